from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "guichet.organisation"

    def ready(self) -> None:
        from guichet.organisation.models import CityClosure
        from guichet.organisation.working_days import closures

        closures.forget_on_change(CityClosure)
