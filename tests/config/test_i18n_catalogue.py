"""The English translation catalogue (locale/en) is complete, keeps the source's placeholders and
markup, is compiled, and actually reaches the public pages.

Indonesian is the source language: locale/id holds the same messages with empty translations.
The .po files are read with a small parser here (polib is not a dependency of the project).
"""

from __future__ import annotations

import functools
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

from tests.kewenangan.helpers import published_service

LOCALE = Path(settings.BASE_DIR) / "locale"
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
EN_MO = LOCALE / "en" / "LC_MESSAGES" / "django.mo"
ID_PO = LOCALE / "id" / "LC_MESSAGES" / "django.po"
ID_MO = LOCALE / "id" / "LC_MESSAGES" / "django.mo"

PLACEHOLDER = re.compile(r"%\([A-Za-z_]\w*\)[sdif]|%[sdif]|%%|\{[A-Za-z_]\w*\}")
HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
PO_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def sources(self) -> list[str]:
        return [self.msgid] if self.msgid_plural is None else [self.msgid, self.msgid_plural]

    def pairs(self) -> list[tuple[str, str]]:
        """(source, translation) pairs: msgstr[0] is the singular, the rest the plural."""
        if self.msgid_plural is None:
            return [(self.msgid, self.msgstr.get(0, ""))]
        return [
            (self.msgid if index == 0 else self.msgid_plural, text)
            for index, text in sorted(self.msgstr.items())
        ]


def _unquote(text: str) -> str:
    body = text.strip()
    assert body.startswith('"') and body.endswith('"'), body
    return re.sub(r"\\(.)", lambda m: PO_ESCAPES[m.group(1)], body[1:-1])


@functools.cache
def read_po(path: Path) -> tuple[Entry, ...]:
    """The entries of a .po file (blocks separated by blank lines, as gettext writes them),
    header and obsolete (#~) entries excluded."""
    entries: list[Entry] = []
    text = path.read_text(encoding="utf-8")
    offset = 0
    for block in text.split("\n\n"):
        number = text.count("\n", 0, offset) + 1 + len(block) - len(block.lstrip("\n"))
        offset += len(block) + 2
        entry = Entry(line=number)
        target: tuple[str, int] | None = None
        for raw in block.splitlines():
            line = raw.strip()
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            elif not line or line.startswith("#"):
                continue
            elif line.startswith('"'):
                name, index = target
                if name == "msgstr":
                    entry.msgstr[index] += _unquote(line)
                else:
                    setattr(entry, name, getattr(entry, name) + _unquote(line))
            else:
                keyword, _, rest = line.partition(" ")
                plural = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
                if plural or keyword == "msgstr":
                    target = ("msgstr", int(plural.group(1)) if plural else 0)
                    entry.msgstr[target[1]] = _unquote(rest)
                elif keyword in ("msgid", "msgid_plural", "msgctxt"):
                    target = (keyword, 0)
                    setattr(entry, keyword, _unquote(rest))
                else:
                    raise AssertionError(f"{path}:{number}: unexpected line {raw!r}")
        if target is not None and entry.msgid:
            entries.append(entry)
    return tuple(entries)


def _where(entry: Entry) -> str:
    return f"line {entry.line}: {entry.msgid[:70]!r}"


def test_english_catalogue_is_not_empty():
    assert len(read_po(EN_PO)) > 1000


def test_every_english_entry_is_translated_and_not_fuzzy():
    untranslated = [
        _where(entry)
        for entry in read_po(EN_PO)
        if "fuzzy" in entry.flags
        or not entry.msgstr
        or not all(text.strip() for _, text in entry.pairs())
        or (entry.msgid_plural is not None and len(entry.msgstr) != 2)
    ]
    assert not untranslated, "\n".join(untranslated)


def test_english_translations_keep_the_placeholders_of_the_source():
    wrong = []
    for entry in read_po(EN_PO):
        for source, text in entry.pairs():
            expected = sorted(PLACEHOLDER.findall(source))
            found = sorted(PLACEHOLDER.findall(text))
            if expected != found:
                wrong.append(f"{_where(entry)}: {expected} != {found}")
    assert not wrong, "\n".join(wrong)


def test_english_translations_keep_the_html_tags_and_line_breaks_of_the_source():
    wrong = []
    for entry in read_po(EN_PO):
        for source, text in entry.pairs():
            if sorted(HTML_TAG.findall(source)) != sorted(HTML_TAG.findall(text)):
                wrong.append(f"{_where(entry)}: HTML tags differ")
            if source.count("\n") != text.count("\n"):
                wrong.append(f"{_where(entry)}: line breaks differ")
    assert not wrong, "\n".join(wrong)


def test_indonesian_and_english_catalogues_hold_the_same_messages():
    def keys(path):
        return {(entry.msgctxt, entry.msgid, entry.msgid_plural) for entry in read_po(path)}

    assert keys(ID_PO) == keys(EN_PO)


def test_compiled_english_catalogue_matches_the_po_file():
    """Every translation in the .po resolves to the same text in the committed .mo (a .po
    edited without `make messages` fails here)."""
    with EN_MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in read_po(EN_PO):
        if entry.msgid_plural is None:
            got = (
                compiled.pgettext(entry.msgctxt, entry.msgid)
                if entry.msgctxt is not None
                else compiled.gettext(entry.msgid)
            )
            expected = entry.msgstr[0]
        else:
            got = (compiled.ngettext(entry.msgid, entry.msgid_plural, 1),) + (
                compiled.ngettext(entry.msgid, entry.msgid_plural, 2),
            )
            expected = (entry.msgstr[0], entry.msgstr[1])
        if got != expected:
            stale.append(_where(entry))
    assert not stale, "django.mo is out of date for:\n" + "\n".join(stale[:20])


def test_compiled_indonesian_catalogue_loads_with_its_plural_rule():
    with ID_MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert compiled.info()["language"] == "id"
    assert compiled.ngettext("%(n)s hari kerja", "%(n)s hari kerja", 5) == "%(n)s hari kerja"


# Interface words that the English pages must not show. Content (service names, the office's
# official name in the footer) stays Indonesian, so the list avoids words that content uses.
INDONESIAN_UI_WORDS = [
    "Masuk",
    "Keluar",
    "Daftar",
    "Cari",
    "Beranda",
    "Lacak",
    "Permohonan saya",
    "Nomor permohonan",
    "Kata sandi",
    "Lupa kata sandi",
    "Standar pelayanan",
    "Maklumat pelayanan",
    "Langsung ke isi",
    "Statistik",
    "Pengaduan",
    "Sektor",
    "hari kerja",
    "Gratis",
    "Tampilkan",
]


def _visible_text(html: str) -> str:
    """Text a person sees or hears: element text plus labels carried by attributes."""
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    labels = re.findall(r'(?:aria-label|placeholder|title|alt)="([^"]*)"', html)
    return " ".join([re.sub(r"(?s)<[^>]+>", " ", html), *labels])


def _indonesian_words_in(text: str) -> list[str]:
    return [word for word in INDONESIAN_UI_WORDS if re.search(rf"\b{re.escape(word)}\b", text)]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/layanan/", "/lacak/", "/akun/masuk/"])
def test_public_pages_in_english_show_no_indonesian_interface_words(client, path):
    published_service(name="Izin praktik bidan")
    indonesian = _visible_text(client.get(path).content.decode())
    assert _indonesian_words_in(indonesian), "the word list no longer matches the Indonesian page"

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert _indonesian_words_in(_visible_text(response.content.decode())) == []
