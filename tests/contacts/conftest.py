from tests.contacts.fixtures import (  # noqa: F401
    callback_contact,
    ccas_contact,
    ccas_free_subject_contact,
    ccas_procedure,
    id_procedure,
    phone_contact,
)
