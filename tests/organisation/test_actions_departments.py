from guichet.organisation import actions
from guichet.organisation.choices import ChangeKind
from guichet.organisation.models import Agent, OrganisationChange


def test_create_department(admin_agent: Agent) -> None:
    """A department is created with its confidentiality and a history row."""
    department = actions.create_department(
        actor=admin_agent.user, slug="urbanisme", name="Urbanisme", confidential=False
    )
    assert department.slug == "urbanisme"
    assert OrganisationChange.objects.filter(
        department=department, kind=ChangeKind.DEPARTMENT_CREATED
    ).exists()


def test_update_department_records_changed_fields(admin_agent: Agent, city) -> None:
    """Making a department confidential is recorded with the field name."""
    actions.update_department(
        city.education,
        actor=admin_agent.user,
        name=city.education.name,
        description="Écoles",
        email="",
        confidential=True,
    )
    city.education.refresh_from_db()
    assert city.education.confidential
    change = OrganisationChange.objects.get(kind=ChangeKind.DEPARTMENT_UPDATED)
    assert change.details["fields"] == ["description", "confidential"]
