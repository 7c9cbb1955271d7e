from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "guichet.cases"
    verbose_name = _("Demandes")

    def ready(self) -> None:
        from guichet.cases.models import CaseForm, FormVersion
        from guichet.cases.published_forms import online_forms
        from guichet.catalogue.models import Procedure
        from guichet.organisation.models import Department

        # What a kept online form holds: its settings, versions, procedure and departments.
        for model in (CaseForm, FormVersion, Procedure, Department):
            online_forms.forget_on_change(model)
