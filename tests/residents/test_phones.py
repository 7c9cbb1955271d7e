import pytest

from guichet.residents.phones import InvalidPhoneNumber, display, to_e164


@pytest.mark.parametrize(
    "raw",
    ["06 12 34 56 78", "0612345678", "06.12.34.56.78", "+33 6 12 34 56 78", "0033612345678"],
)
def test_french_formats_become_e164(raw: str) -> None:
    """Every way of writing a French mobile number gives the same E.164 value."""
    assert to_e164(raw) == "+33612345678"


def test_international_numbers_are_kept_with_their_country_code() -> None:
    """A British number stays British."""
    assert to_e164("+44 20 7946 0958") == "+442079460958"


@pytest.mark.parametrize("raw", ["123", "abc", "06 12", "+33 6 12 34 56 78 90 12"])
def test_invalid_numbers_are_refused(raw: str) -> None:
    """Numbers that cannot be dialled raise InvalidPhoneNumber."""
    with pytest.raises(InvalidPhoneNumber):
        to_e164(raw)


def test_display_uses_the_national_format_in_france() -> None:
    """French numbers read as 06 12 34 56 78, foreign ones with their prefix."""
    assert display("+33612345678") == "06 12 34 56 78"
    assert display("+442079460958") == "+44 20 7946 0958"
