from tests.cases.api_fixtures import (  # noqa: F401
    api,
    ccas_case,
    ccas_form,
    education_case,
    education_form,
    make_case,
    population_case,
    population_form,
)
from tests.cases.backoffice_fixtures import (  # noqa: F401
    birth_form,
    school_case,
    school_form,
    social_case,
    social_form,
)
