"""Rendering: the sandboxed template syntax, French error messages, safe HTML, SMS length."""

import pytest

from guichet.notifications.choices import Event, MessageChannel
from guichet.notifications.events import EVENTS, RESIDENT, example_context
from guichet.notifications.message_templates import shipped_templates
from guichet.notifications.rendering import (
    TemplateText,
    check_template,
    render_message,
    sms_size,
    text_to_html,
)
from guichet.notifications.sandbox import MessageTemplateError

pytestmark = pytest.mark.django_db


def email(body: str, subject: str = "Demande {{ reference }}") -> TemplateText:
    return TemplateText("case_decided", MessageChannel.EMAIL, "fr", subject, body)


def error_of(body: str) -> str:
    with pytest.raises(MessageTemplateError) as info:
        check_template(email(body))
    return str(info.value)


@pytest.mark.parametrize(
    "tag",
    [
        "{% load static %}",
        '{% include "base.html" %}',
        "{% debug %}",
        "{% url 'login' %}",
        '{% now "Y" %}',
        "{% csrf_token %}",
        "{% for x in reference %}{{ x }}{% endfor %}",
        '{% extends "base.html" %}',
    ],
)
def test_tags_outside_the_short_list_are_refused(tag: str) -> None:
    """Only if, firstof, with and comment exist: anything else is refused, in French."""
    message = error_of(f"Bonjour\n{tag}")
    assert "Erreur à la ligne 2" in message
    assert "n'existe pas ou n'est pas autorisée" in message


def test_unclosed_block_is_explained_with_the_closing_tag() -> None:
    """A forgotten {% endif %} is named in the message."""
    message = error_of("Bonjour\n\n{% if reason %}Motif : {{ reason }}")
    assert "Erreur à la ligne 3" in message
    assert "{% if %} n'est pas fermée : ajoutez {% endif %}" in message


def test_stray_closing_tag_is_explained() -> None:
    """A closing tag without its opening one is explained."""
    assert "ferme un bloc qui n'a pas été ouvert" in error_of("Bonjour {% endif %}")


@pytest.mark.parametrize("expression", ["{{ reference|safe }}", "{{ reference|pprint }}"])
def test_filters_outside_the_short_list_are_refused(expression: str) -> None:
    """Filters are limited to a few text ones."""
    assert "n'existe pas ou n'est pas autorisé dans les messages" in error_of(expression)


@pytest.mark.parametrize("expression", ["{{ reference.__class__ }}", "{{ reference! }}", "{{ }}"])
def test_malformed_variables_are_explained(expression: str) -> None:
    """Private attributes and bad characters are refused with a French explanation."""
    message = error_of(expression)
    assert message.startswith("Erreur")
    assert "variable" in message


@pytest.mark.parametrize(
    "body",
    [
        "{{ secret }}",
        "{% if secret %}x{% endif %}",
        "{% if reference and not secret == 'a' %}x{% endif %}",
        "{% firstof secret reference %}",
        "{{ reference|default:secret }}",
        "{% with name=secret %}{{ name }}{% endwith %}",
    ],
)
def test_unknown_variables_are_refused(body: str) -> None:
    """A variable the event does not define is an error naming it and listing the others."""
    message = error_of(body)
    assert "Variable inconnue pour ce message : {{ secret }}" in message
    assert "{{ tracking_url }}" in message


def test_with_alias_and_allowed_filters_are_accepted() -> None:
    """Aliases, conditions and the allowed filters render as plain text."""
    text = email(
        "{% with ref=reference %}{{ ref|lower }}{% endwith %} {{ procedure|upper }} "
        "{% if reason %}x{% else %}{{ reason|default:'sans motif' }}{% endif %}"
        "{# a comment #}"
    )
    check_template(text)
    rendered = render_message(text, {"reference": "DEM-1", "procedure": "Cantine"})
    assert rendered.text == "dem-1 CANTINE sans motif"


def test_plain_text_is_not_escaped_and_html_is() -> None:
    """Values stay as typed in the text part and are escaped in the HTML part."""
    rendered = render_message(
        email("Motif : {{ reason }}\n\nSuivi : {{ tracking_url }}"),
        {
            "reason": "<script>alert('x')</script> & co",
            "tracking_url": "https://guichet.example.fr/suivi/AB?x=1&y=2",
        },
    )
    assert rendered.text.startswith("Motif : <script>alert('x')</script> & co")
    assert "<script>" not in rendered.html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; co" in rendered.html
    assert '<a href="https://guichet.example.fr/suivi/AB?x=1&amp;y=2">' in rendered.html


def test_html_has_paragraphs_and_line_breaks() -> None:
    """Blank lines make paragraphs, single line breaks become <br>."""
    assert str(text_to_html("Un\ndeux\n\nTrois")) == "<p>Un<br>\ndeux</p>\n<p>Trois</p>"


def test_javascript_links_are_not_made_clickable() -> None:
    """Only web addresses become links."""
    html = str(text_to_html("javascript:alert(1) et https://ville.example"))
    assert 'href="javascript' not in html
    assert '<a href="https://ville.example">' in html


def test_subject_is_one_line() -> None:
    """A value with a line break cannot add a header: the subject is flattened."""
    rendered = render_message(email("x"), {"reference": "A\r\nBcc: pirate@example.org"})
    assert rendered.subject == "Demande A Bcc: pirate@example.org"


def test_blank_lines_left_by_conditions_are_collapsed() -> None:
    """Paragraphs hidden by an if leave no run of empty lines."""
    rendered = render_message(
        email("Bonjour\n\n{% if reason %}{{ reason }}{% endif %}\n\n\n\nFin"), {}
    )
    assert rendered.text == "Bonjour\n\nFin"


@pytest.mark.parametrize(
    ("text", "characters", "parts", "unicode"),
    [
        ("a" * 160, 160, 1, False),
        ("a" * 161, 161, 2, False),
        ("é" * 160, 160, 1, False),
        ("€" * 80, 160, 1, False),
        ("ê" * 70, 70, 1, True),
        ("ê" * 71, 71, 2, True),
        ("a" * 306, 306, 2, False),
        ("a" * 307, 307, 3, False),
    ],
)
def test_sms_size_counts_parts_by_alphabet(
    text: str, characters: int, parts: int, unicode: bool
) -> None:
    """160 GSM characters per SMS (153 when split), 70 in Unicode; € counts twice."""
    size = sms_size(text)
    assert (size.characters, size.parts, size.unicode) == (characters, parts, unicode)


def test_every_event_ships_a_french_and_an_english_email() -> None:
    """Each event has its email in French and English; case events also have SMS texts."""
    shipped = shipped_templates()
    for event, spec in EVENTS.items():
        for language in ("fr", "en"):
            for channel in spec.channels:
                assert (event, channel, language) in shipped
        if spec.audience == RESIDENT:
            assert MessageChannel.SMS in spec.channels
    assert {key[0] for key in shipped} == set(Event.values)


def test_shipped_sms_fit_in_one_plain_sms() -> None:
    """With believable values, every shipped SMS fits in one SMS of the GSM alphabet."""
    for (event, channel, _language), text in shipped_templates().items():
        if channel != MessageChannel.SMS:
            continue
        size = sms_size(render_message(text, example_context(event)).text)
        assert size.parts == 1 and not size.unicode, (event, size)


@pytest.mark.parametrize(
    "line",
    [
        "Bonjour Hélène, votre demande 2026-K7M3QP est bien reçue.",
        "Suivez-la sur https://guichet.ville.example/suivi/ABCD-EFGH-JKMN.",
        "Écrivez à accueil@ville.example ou sur www.ville.example.",
        "Voir ville.org, mairie.COM/horaires et service-public.gouv.fr",
        "<script>alert('x')</script> & « guillemets » 'apostrophes'",
        "Code : ABCD-EFGH-JKMN ; date : 02/12/2026 ; montant 12,50 €",
        "ftp://old.example et mailto:moi@ville.example",
        "",
    ],
)
def test_lines_without_links_skip_urlize_with_the_same_result(line: str) -> None:
    """Only lines that may hold a link go through urlize; the others are escaped alike."""
    from django.utils.html import urlize

    assert str(text_to_html(line)) == "<p>" + urlize(line, autoescape=True) + "</p>"
