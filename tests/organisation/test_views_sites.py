import datetime

from django.test import Client
from django.urls import reverse

from guichet.organisation.choices import ChangeKind
from guichet.organisation.models import OrganisationChange, Site, SiteClosure
from tests.conftest import City


def hours_data(
    rows: list[tuple[str, str, str]], initial: int = 0, delete: tuple[int, ...] = ()
) -> dict[str, str]:
    data = {
        "horaires-TOTAL_FORMS": str(max(len(rows), 3)),
        "horaires-INITIAL_FORMS": str(initial),
        "horaires-MIN_NUM_FORMS": "0",
        "horaires-MAX_NUM_FORMS": "28",
    }
    for index, (weekday, opens, closes) in enumerate(rows):
        data[f"horaires-{index}-weekday"] = weekday
        data[f"horaires-{index}-opens_at"] = opens
        data[f"horaires-{index}-closes_at"] = closes
        if index in delete:
            data[f"horaires-{index}-DELETE"] = "on"
    return data


def site_data(**overrides: str) -> dict[str, str]:
    data = {
        "slug": "relais-sud",
        "name": "Relais numérique Sud",
        "kind": "digital_help_point",
        "address": "2 rue des Écoles",
        "postal_code": "94000",
        "city": "Créteil",
        "phone": "01 45 13 00 00",
        "accessibility": "Rez-de-chaussée",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_create_site_with_opening_hours(admin_client: Client, city: City) -> None:
    """A valid form creates the site and its periods, then shows it."""
    data = site_data() | hours_data(
        [("0", "09:00", "12:00"), ("0", "14:00", "17:30"), ("", "", "")]
    )
    response = admin_client.post(reverse("organisation:site_create"), data)
    assert response.status_code == 302
    site = Site.objects.get(slug="relais-sud")
    assert site.opening_hours.count() == 2
    assert response["Location"] == reverse("organisation:site_edit", args=["relais-sud"])
    page = admin_client.get(response["Location"])
    assert "Le site « Relais numérique Sud » a été créé." in page.content.decode()


def test_closing_before_opening_is_refused_and_input_kept(admin_client: Client, city: City) -> None:
    """Closing at 08:00 after opening at 09:00 gives a French message linked to the field."""
    data = site_data() | hours_data([("2", "09:00", "08:00")])
    response = admin_client.post(reverse("organisation:site_create"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        "L&#x27;heure de fermeture doit être après l&#x27;heure d&#x27;ouverture (09:00)." in html
    )
    assert 'aria-describedby="id_horaires-0-closes_at_errors"' in html
    assert 'aria-invalid="true"' in html
    assert 'value="Relais numérique Sud"' in html
    assert 'value="08:00"' in html
    assert 'role="alert"' in html
    assert not Site.objects.filter(slug="relais-sud").exists()


def test_overlapping_periods_are_refused(admin_client: Client, city: City) -> None:
    """Two overlapping periods on Monday are refused with a formset message."""
    data = site_data() | hours_data([("0", "09:00", "13:00"), ("0", "12:00", "17:00")])
    response = admin_client.post(reverse("organisation:site_create"), data)
    assert response.status_code == 400
    assert "Deux plages horaires du lundi se chevauchent" in response.content.decode()


def test_invalid_time_gives_a_french_hint(admin_client: Client, city: City) -> None:
    """A malformed time asks for the 09:00 format."""
    data = site_data() | hours_data([("0", "9h", "12:00")])
    response = admin_client.post(reverse("organisation:site_create"), data)
    assert "Saisissez une heure au format 09:00." in response.content.decode()


def test_duplicate_slug_is_refused(admin_client: Client, city: City) -> None:
    """An existing slug (or a reserved word) cannot be reused."""
    for slug in ("mairie-annexe-nord", "nouveau"):
        response = admin_client.post(
            reverse("organisation:site_create"), site_data(slug=slug) | hours_data([])
        )
        assert response.status_code == 400
        assert "Un autre site utilise déjà cet identifiant" in response.content.decode()


def test_hostile_and_long_strings_are_escaped_or_refused(admin_client: Client, city: City) -> None:
    """A script in the name is stored as text and escaped; an over-long name is refused."""
    hostile = "<script>alert('x')</script>"
    response = admin_client.post(
        reverse("organisation:site_create"),
        site_data(slug="hostile", name=hostile) | hours_data([]),
        follow=True,
    )
    assert Site.objects.get(slug="hostile").name == hostile
    assert hostile not in response.content.decode()
    assert "&lt;script&gt;" in response.content.decode()
    response = admin_client.post(
        reverse("organisation:site_create"), site_data(slug="long", name="x" * 500) | hours_data([])
    )
    assert response.status_code == 400
    assert "200 caractères" in response.content.decode()


def test_bad_postal_code_and_phone_are_explained(admin_client: Client, city: City) -> None:
    """A four-digit postal code and a phone with letters get clear messages."""
    response = admin_client.post(
        reverse("organisation:site_create"),
        site_data(postal_code="9400", phone="appelez-nous") | hours_data([]),
    )
    html = response.content.decode()
    assert "Le code postal compte cinq chiffres" in html
    assert "Saisissez un numéro de téléphone avec des chiffres" in html


def test_edit_site_updates_details_and_hours(admin_client: Client, site_with_hours: Site) -> None:
    """The edit page is pre-filled; deleting a row and renaming the site saves both."""
    url = reverse("organisation:site_edit", args=[site_with_hours.slug])
    page = admin_client.get(url).content.decode()
    assert 'value="08:30"' in page
    rows = [
        (str(p.weekday), p.opens_at.strftime("%H:%M"), p.closes_at.strftime("%H:%M"))
        for p in site_with_hours.opening_hours.all()
    ]
    data = site_data(name="Hôtel de Ville de Créteil", kind="city_hall") | hours_data(
        rows, initial=len(rows), delete=(len(rows) - 1,)
    )
    del data["slug"]
    response = admin_client.post(url, data)
    assert response.status_code == 302
    site_with_hours.refresh_from_db()
    assert site_with_hours.name == "Hôtel de Ville de Créteil"
    assert site_with_hours.opening_hours.count() == len(rows) - 1
    kinds = set(OrganisationChange.objects.values_list("kind", flat=True))
    assert kinds == {ChangeKind.SITE_UPDATED, ChangeKind.HOURS_CHANGED}


def test_add_closure(admin_client: Client, city: City) -> None:
    """A valid closure is added and listed."""
    url = reverse("organisation:site_closures", args=[city.annex.slug])
    response = admin_client.post(
        url, {"start_date": "2026-12-24", "end_date": "2026-12-26", "reason": "Fêtes"}, follow=True
    )
    assert city.annex.closures.get().end_date == datetime.date(2026, 12, 26)
    assert "24/12/2026" in response.content.decode()


def test_closure_ending_before_it_starts_is_refused(admin_client: Client, city: City) -> None:
    """An end date before the start date keeps the input and says what to do."""
    url = reverse("organisation:site_closures", args=[city.annex.slug])
    response = admin_client.post(
        url, {"start_date": "2026-12-26", "end_date": "2026-12-24", "reason": "<b>Fêtes</b>"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "La date de fin doit être le même jour que le début ou après." in html
    assert 'value="2026-12-26"' in html
    assert 'value="&lt;b&gt;Fêtes&lt;/b&gt;"' in html
    assert not SiteClosure.objects.exists()


def test_wrong_dates_and_too_long_closures_are_refused(admin_client: Client, city: City) -> None:
    """A 31 February and a closure of two years are refused."""
    url = reverse("organisation:site_closures", args=[city.annex.slug])
    html = admin_client.post(
        url, {"start_date": "2026-02-31", "end_date": "2026-03-01", "reason": "X"}
    ).content.decode()
    assert "Saisissez une date valide" in html
    html = admin_client.post(
        url, {"start_date": "2026-01-01", "end_date": "2028-01-01", "reason": "X"}
    ).content.decode()
    assert "Une fermeture exceptionnelle dure au plus un an" in html


def test_delete_closure(admin_client: Client, city: City) -> None:
    """The delete button removes the closure of that site only."""
    closure = SiteClosure.objects.create(
        site=city.annex, start_date="2026-12-24", end_date="2026-12-24", reason="Noël"
    )
    wrong_site = reverse("organisation:closure_delete", args=[city.city_hall.slug, closure.pk])
    assert admin_client.post(wrong_site).status_code == 404
    url = reverse("organisation:closure_delete", args=[city.annex.slug, closure.pk])
    assert admin_client.get(url).status_code == 405
    assert admin_client.post(url).status_code == 302
    assert not SiteClosure.objects.exists()


def test_site_list_shows_sites_without_hours(admin_client: Client, city: City) -> None:
    """Sites without opening hours are flagged."""
    html = admin_client.get(reverse("organisation:site_list")).content.decode()
    assert "Mairie annexe Nord" in html
    assert "Sans horaires" in html
