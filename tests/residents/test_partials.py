import pytest
from django.template.loader import render_to_string

from guichet.residents.access import abilities
from guichet.residents.actions import add_document, create_household
from guichet.residents.choices import DocumentKind, Relation
from guichet.residents.models import Resident
from tests.residents.conftest import pdf_file

pytestmark = pytest.mark.django_db


def render(name: str, resident: Resident, user) -> str:
    return render_to_string(
        f"residents/{name}", {"resident": resident, "abilities": abilities(user, resident)}
    )


def test_identity_partial_shows_the_file_and_the_allowed_links(helene, supervisor, dpo) -> None:
    """Identity, formatted phone; edit and merge links only for those allowed."""
    content = render("_identity.html", helene, supervisor.user)
    assert "<h2" in content and "<h1" not in content
    assert "06 12 34 56 78" in content
    assert "12/03/1980" in content
    assert f"/agents/usagers/{helene.uuid}/modifier/" in content
    assert f"/agents/usagers/{helene.uuid}/fusionner/" in content
    read_only = render("_identity.html", helene, dpo.user)
    assert "/modifier/" not in read_only and "/fusionner/" not in read_only


def test_identity_partial_escapes_what_was_typed(make_resident, reception_agent) -> None:
    """Stored text is escaped, never interpreted."""
    resident = make_resident(address="<script>alert(1)</script>")
    content = render("_identity.html", resident, reception_agent.user)
    assert "<script>" not in content and "&lt;script&gt;" in content


def test_household_partial_lists_the_other_members(helene, make_resident, reception_agent) -> None:
    """Each household with its other members and their relation."""
    child = make_resident(first_names="Léo")
    create_household(
        name="Foyer Dupont",
        members=[(helene, Relation.HEAD), (child, Relation.CHILD)],
        actor=None,
        channel="",
    )
    content = render("_household.html", helene, reception_agent.user)
    assert "Foyer Dupont" in content
    assert "DUPONT Léo" in content
    assert f"/agents/usagers/{helene.uuid}/foyers/" in content


def test_documents_partial_links_to_download_and_verify(
    helene, reception_agent, helper_agent
) -> None:
    """Documents link to the protected download; verifying is offered to those allowed."""
    document = add_document(
        resident=helene,
        kind=DocumentKind.PASSPORT,
        uploaded_file=pdf_file(),
        valid_until=None,
        actor=None,
    )
    content = render("_documents.html", helene, reception_agent.user)
    assert f"/agents/usagers/pieces/{document.uuid}/" in content
    assert f"/agents/usagers/pieces/{document.uuid}/verifier/" in content
    assert "/media/" not in content
    assert "/verifier/" not in render("_documents.html", helene, helper_agent.user)


def test_partials_with_prefetched_relations_run_few_queries(
    helene, make_resident, reception_agent, django_assert_max_num_queries
) -> None:
    """With with_page_relations() the three partials need no query per member or document."""
    for index in range(3):
        child = make_resident(first_names=f"Enfant{'x' * index}")
        create_household(
            name=f"Foyer {index}",
            members=[(helene, Relation.HEAD), (child, Relation.CHILD)],
            actor=None,
            channel="",
        )
        add_document(
            resident=helene,
            kind=DocumentKind.PHOTO,
            uploaded_file=pdf_file(),
            valid_until=None,
            actor=None,
        )
    resident = Resident.objects.with_page_relations().get(pk=helene.pk)
    rights = abilities(reception_agent.user, resident)
    with django_assert_max_num_queries(1):
        for name in ("_identity.html", "_household.html", "_documents.html"):
            render_to_string(f"residents/{name}", {"resident": resident, "abilities": rights})
