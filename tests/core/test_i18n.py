"""Translations: the English catalogue is complete and compiled; French plurals are French."""

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]")


@dataclass
class Entry:
    """One message of a .po file."""

    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    obsolete: bool = False

    @property
    def key(self) -> str:
        """The message's key in a compiled catalogue: its context, EOT, then its msgid."""
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"

    def translations(self) -> list[str]:
        if self.msgid_plural is None:
            return [self.msgstr]
        return [self.msgstr_plural[index] for index in sorted(self.msgstr_plural)]


def parse_po(path: Path) -> tuple[Entry, list[Entry]]:
    """Return the header entry and the messages of a .po file (obsolete ones included)."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].lstrip()
        if not line.strip():
            entry = None
            continue
        if line.startswith("#,"):
            entry = entry or _new(entries)
            entry.flags += [flag.strip() for flag in line[2:].split(",")]
            continue
        if line.startswith("#"):
            entry = entry or _new(entries)
            continue
        keyword, _, value = line.partition(" ")
        if keyword.startswith('"'):
            value, keyword = line, ""
        assert value.startswith('"'), f"{path}: unexpected line {line!r}"
        text = ast.literal_eval(value)
        entry = entry or _new(entries)
        entry.obsolete = entry.obsolete or obsolete
        if keyword:
            plural_index = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            target = ("msgstr_plural", int(plural_index[1])) if plural_index else (keyword, 0)
        assert target is not None, f"{path}: text before any keyword: {line!r}"
        name, index = target
        if name == "msgstr_plural":
            entry.msgstr_plural[index] = entry.msgstr_plural.get(index, "") + text
        elif name in {"msgctxt", "msgid_plural"}:
            setattr(entry, name, (getattr(entry, name) or "") + text)
        elif name in {"msgid", "msgstr"}:
            setattr(entry, name, getattr(entry, name) + text)
        else:
            raise AssertionError(f"{path}: keyword {name!r} is not supported")
    header, *messages = entries
    assert header.msgid == "", f"{path} does not start with its header"
    return header, messages


def _new(entries: list[Entry]) -> Entry:
    entry = Entry()
    entries.append(entry)
    return entry


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def header_field(header: Entry, name: str) -> str:
    for line in header.msgstr.splitlines():
        key, _, value = line.partition(":")
        if key == name:
            return value.strip()
    raise AssertionError(f"no {name} in the header")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_catalogue_exists_for_each_language(language: str) -> None:
    """Each language has a .po file with messages and its compiled .mo next to it."""
    _, messages = parse_po(po_path(language))
    assert len(messages) > 100
    assert po_path(language).with_suffix(".mo").is_file()


def test_english_catalogue_is_complete() -> None:
    """Every English message is translated (all plural forms), none is fuzzy or obsolete."""
    header, messages = parse_po(po_path("en"))
    assert "fuzzy" not in header.flags
    untranslated = [m.msgid for m in messages if not all(m.translations())]
    fuzzy = [m.msgid for m in messages if "fuzzy" in m.flags]
    obsolete = [m.msgid for m in messages if m.obsolete]
    assert untranslated == []
    assert fuzzy == []
    assert obsolete == []
    assert all(len(m.msgstr_plural) == 2 for m in messages if m.msgid_plural is not None)


@pytest.mark.parametrize(
    ("language", "plural_forms"),
    [("en", "nplurals=2; plural=(n != 1);"), ("fr", "nplurals=2; plural=(n > 1);")],
)
def test_headers_declare_language_and_plural_rule(language: str, plural_forms: str) -> None:
    """Each catalogue names its language and the plural rule of that language."""
    header, _ = parse_po(po_path(language))
    assert header_field(header, "Language") == language
    assert header_field(header, "Plural-Forms") == plural_forms
    assert header_field(header, "Content-Type") == "text/plain; charset=UTF-8"


def test_english_translations_keep_placeholders() -> None:
    """Translations use exactly the placeholders of their source (no lost or invented one)."""
    _, messages = parse_po(po_path("en"))
    wrong = []
    for message in messages:
        if message.msgid_plural is None:
            pairs = [(message.msgid, message.msgstr)]
        else:
            pairs = [(message.msgid, message.msgstr_plural[0])]
            pairs += [(message.msgid_plural, message.msgstr_plural[1])]
        for source, translated in pairs:
            # A singular form may add the count, for languages where it also covers 0 or 21.
            expected = set(PLACEHOLDER.findall(source))
            found = set(PLACEHOLDER.findall(translated))
            if found != expected and not (
                message.msgid_plural and found == expected | {"%(counter)s"}
            ):
                wrong.append((source, translated))
    assert wrong == []


def test_french_catalogue_fills_only_plurals() -> None:
    """French plural messages repeat their source forms; singular ones fall back to the source."""
    _, messages = parse_po(po_path("fr"))
    plurals = [m for m in messages if m.msgid_plural is not None]
    assert plurals
    assert [m.msgid for m in plurals if m.translations() != [m.msgid, m.msgid_plural]] == []
    assert [m.msgid for m in messages if m.msgid_plural is None and m.msgstr] == []


@pytest.mark.parametrize("language", ["en", "fr"])
def test_compiled_catalogue_matches_po(language: str) -> None:
    """The committed .mo holds every translated message of the .po, with the same text."""
    _, messages = parse_po(po_path(language))
    with po_path(language).with_suffix(".mo").open("rb") as mo_file:
        compiled_catalogue = gettext.GNUTranslations(mo_file)
    catalog: dict[object, str] = compiled_catalogue._catalog  # type: ignore[attr-defined]
    stale = []
    for message in messages:
        if message.obsolete or "fuzzy" in message.flags:
            continue
        if message.msgid_plural is None:
            if message.msgstr and catalog.get(message.key) != message.msgstr:
                stale.append(message.msgid)
        elif all(message.translations()):
            compiled = [
                catalog.get((message.key, index)) for index in sorted(message.msgstr_plural)
            ]
            if compiled != message.translations():
                stale.append(message.msgid)
    assert stale == [], "run `make messages` (or `guichet compilemessages`) and commit the .mo"


@pytest.mark.django_db
def test_home_is_in_french_by_default(client: Client) -> None:
    """Without any preference, the portal home is in French."""
    html = client.get("/").content.decode()
    assert '<html lang="fr">' in html
    assert "Aller au contenu" in html
    assert "Se connecter" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "french", "english"),
    [
        ("portal:home", "Que cherchez-vous ?", "What are you looking for?"),
        ("login", "Mot de passe", "Password"),
    ],
)
def test_accept_language_en_shows_english(
    client: Client, url_name: str, french: str, english: str
) -> None:
    """A browser asking for English gets the home and login pages in English."""
    html = client.get(reverse(url_name), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html
    assert english in html
    assert "Skip to content" in html
    assert french not in html


@pytest.mark.django_db
def test_language_switch_keeps_english_then_back_to_french(client: Client) -> None:
    """Posting language=en to /i18n/setlang/ switches the following pages to English, and back."""
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    home = client.get("/").content.decode()
    assert '<html lang="en">' in home
    assert "Log in" in home
    assert 'name="language" value="fr"' in home
    login = client.get(reverse("login")).content.decode()
    assert "Password" in login
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert "Se connecter" in client.get("/").content.decode()


@pytest.mark.django_db
def test_unknown_language_is_ignored(client: Client) -> None:
    """An unsupported language code leaves the site in French."""
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert '<html lang="fr">' in client.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()


def render_count(text: str, n: int) -> str:
    return Template("{% load i18n %}" + text).render(Context({"n": n}))


COUNT_TEMPLATE = (
    "{% blocktranslate count counter=n %}{{ counter }} démarche"
    "{% plural %}{{ counter }} démarches{% endblocktranslate %}"
)


@pytest.mark.parametrize(
    ("n", "expected"), [(0, "0 démarche"), (1, "1 démarche"), (2, "2 démarches")]
)
def test_french_blocktranslate_count_uses_french_rule(n: int, expected: str) -> None:
    """In French, zero takes the singular ("0 démarche") and two the plural."""
    with translation.override("fr"):
        assert render_count(COUNT_TEMPLATE, n) == expected


@pytest.mark.parametrize(
    ("n", "expected"), [(0, "0 procedures"), (1, "1 procedure"), (2, "2 procedures")]
)
def test_english_blocktranslate_count_uses_english_rule(n: int, expected: str) -> None:
    """In English, zero takes the plural ("0 procedures")."""
    with translation.override("en"):
        assert render_count(COUNT_TEMPLATE, n) == expected


def test_every_french_plural_message_is_singular_for_zero() -> None:
    """Every plural message of the French catalogue gives its singular for 0 and 1."""
    _, messages = parse_po(po_path("fr"))
    wrong = []
    with translation.override("fr"):
        for message in messages:
            if message.msgid_plural is None:
                continue
            forms = [
                translation.npgettext(message.msgctxt, message.msgid, message.msgid_plural, n)
                if message.msgctxt is not None
                else translation.ngettext(message.msgid, message.msgid_plural, n)
                for n in (0, 1, 2)
            ]
            if forms != [message.msgid, message.msgid, message.msgid_plural]:
                wrong.append(message.msgid)
    assert wrong == []


def test_identifier_is_a_username_at_login_and_an_identifier_for_slugs() -> None:
    """By default "Identifiant" is a username; in context "slug" it names a page address."""
    with translation.override("en"):
        assert translation.gettext("Identifiant") == "Username"
        assert translation.pgettext("slug", "Identifiant") == "Identifier (slug)"
    with translation.override("fr"):
        assert translation.pgettext("slug", "Identifiant") == "Identifiant"
