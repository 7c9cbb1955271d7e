"""factory_boy factories; derived fields (search keys) are computed as the actions do."""

import datetime

import factory
from django.utils import timezone

from guichet.catalogue.models import Article, LifeEvent, Procedure
from guichet.contacts.choices import Outcome
from guichet.contacts.models import Contact
from guichet.organisation.choices import Channel, Role, SiteKind
from guichet.organisation.models import Agent, Department, Site, User
from guichet.residents.models import Resident
from guichet.residents.names import search_fields


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("motdepasse-test")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"service-{n}")
    name = factory.LazyAttribute(lambda d: d.slug.replace("-", " ").capitalize())
    confidential = factory.LazyAttribute(lambda d: d.slug == "ccas")


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"site-{n}")
    name = factory.LazyAttribute(lambda s: s.slug.replace("-", " ").capitalize())
    kind = SiteKind.NEIGHBOURHOOD_OFFICE
    city = "Créteil"


class AgentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agent
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    role = Role.RECEPTION

    @factory.post_generation
    def sites(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and extracted:
            self.sites.set(extracted)

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and extracted:
            self.departments.set(extracted)


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident

    first_names = factory.Faker("first_name", locale="fr_FR")
    usage_name = factory.Faker("last_name", locale="fr_FR")
    birth_date = factory.Faker("date_of_birth", minimum_age=18, maximum_age=90)
    email = factory.Sequence(lambda n: f"usager{n}@example.org")
    city = "Créteil"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.update(
            search_fields(
                kwargs.get("first_names", ""),
                kwargs.get("usage_name", ""),
                kwargs.get("birth_name", ""),
            )
        )
        return super()._create(model_class, *args, **kwargs)


class LifeEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LifeEvent
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"evenement-{n}")
    title = factory.LazyAttribute(lambda e: e.slug.capitalize())


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"demarche-{n}")
    title = factory.LazyAttribute(lambda p: f"Démarche {p.slug}")
    summary = "Une démarche de test."
    body = "Présentation de la démarche."
    agent_note = "Note pour les agents."
    department = factory.SubFactory(DepartmentFactory, slug="population")
    channels = factory.LazyFunction(lambda: [Channel.COUNTER, Channel.WEB])
    review_before = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=365)
    )


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"fiche-{n}")
    title = factory.LazyAttribute(lambda a: f"Fiche {a.slug}")
    body = "Contenu de la fiche."


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    channel = Channel.PHONE
    outcome = Outcome.ANSWERED
    subject = "Question"
    summary = "Résumé de l'échange."
    resident = factory.SubFactory(ResidentFactory)


# Requests (cases). A form with a small definition; cases filed through the action in tests that
# need history and notifications, built directly here when only the row matters.
SIMPLE_FORM_DEFINITION = {
    "procedure": "demarche-test",
    "title": "Demande de test",
    "pages": [
        {
            "key": "demande",
            "title": "Votre demande",
            "sections": [
                {
                    "fields": [
                        {"key": "objet", "type": "text", "label": "Objet", "required": True},
                        {"key": "details", "type": "textarea", "label": "Détails"},
                    ]
                }
            ],
        }
    ],
}


class CaseFormFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.CaseForm"
        django_get_or_create = ("procedure",)
        skip_postgeneration_save = True

    procedure = factory.SubFactory(ProcedureFactory, commitment_days=10)
    is_online = True

    @factory.post_generation
    def version(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create and not self.versions.exists():
            self.versions.create(number=1, definition=extracted or SIMPLE_FORM_DEFINITION)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.Case"

    reference = factory.Sequence(lambda n: f"2026-T{n:05d}")
    tracking_code = factory.Sequence(lambda n: f"TEST-{n // 10000:04d}-{n % 10000:04d}")
    procedure = factory.SubFactory(ProcedureFactory, commitment_days=10)
    resident = factory.SubFactory(ResidentFactory)
    channel = Channel.WEB
    department = factory.LazyAttribute(lambda case: case.procedure.department)
    confidential = factory.LazyAttribute(lambda case: case.department.confidential)
    commitment_days = 10
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
    data = factory.LazyFunction(lambda: {"objet": "Test", "details": ""})


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "residents.Household"

    name = factory.Sequence(lambda n: f"Foyer {n}")
    city = "Créteil"


class HouseholdMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "residents.HouseholdMember"

    household = factory.SubFactory(HouseholdFactory)
    resident = factory.SubFactory(ResidentFactory)
    relation = "head"


class DocumentFactory(factory.django.DjangoModelFactory):
    """A pièce justificative with a small real PDF (stored in the tests' media directory)."""

    class Meta:
        model = "residents.Document"

    resident = factory.SubFactory(ResidentFactory)
    kind = "identity_card"
    file = factory.django.FileField(
        filename="piece.pdf",
        data=b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
    )
    original_name = "piece.pdf"
    content_type = "application/pdf"
    size = 77
    valid_until = None
