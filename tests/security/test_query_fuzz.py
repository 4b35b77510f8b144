"""Hostile query strings never make a 500 (issue 16, finding 7; ASVS v5.0.0-1.5 / 16.5).

Every GET page of the permission matrix (``tests/security/matrix.py``, which must cover the
whole resolver) is opened as a role that may see it, with each parameter the page reads set to
values an attacker would send: NUL and other control characters, 10 kB strings, huge and
negative numbers, non-ASCII letters that fold to ASCII, malformed dates and cursors, SQL and
HTML metacharacters, repeated and empty parameters. No answer may be a 5xx, and nothing may be
logged with a traceback (``django.request`` logs every 500 at ERROR with ``exc_info``).

The parameters of a page are found, not listed by hand: a first plain request records every
name the view looks up in ``request.GET`` (``QueryDict.get``/``[]``/``getlist``/``in``, which is
also how a form's widgets read their data), and the names of ``GENERIC_PARAMS`` are sent to every
page besides. A new filter is fuzzed the day it is added.

About 1,100 requests: 30 to 45 seconds on the 2-core development machine.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from contextlib import contextmanager
from html import unescape
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from perizinan.selectors.queue import QueueCursor
from tests.factories import KewenanganFactory, UserFactory
from tests.kewenangan.helpers import published_service
from tests.security.matrix import MATRIX, REDIRECT, ROLES, row
from tests.security.world import build_world

pytestmark = pytest.mark.django_db

#: Sent to every page whatever it reads: the names the portal's filter bars and pagers use.
GENERIC_PARAMS = (
    "page",
    "q",
    "setelah",
    "sebelum",
    "tahun",
    "bulan",
    "status",
    "opd",
    "sektor",
    "layanan",
    "format",
    "tabel",
    "next",
)

#: The parameter of the first request to a page, which no view reads.
UNREAD = "fuzz-probe"

#: (label, value) pairs; every value is sent as every parameter of a page at once.
VALUES: tuple[tuple[str, str], ...] = (
    ("NUL", "\x00"),
    ("NUL inside", "a\x00b"),
    ("control characters", "\x01\x08\x0b\x1b\x1f\x7f"),
    ("bidi and zero-width", "\u202e\u200b\ufeff"),
    ("lone surrogate escape", "\udcff"),
    ("10 kB", "x" * 10_240),
    ("10 kB of digits", "9" * 10_240),
    ("huge integer", str(10**30)),
    ("bigint + 1", str(2**63)),
    ("negative", "-1"),
    ("float", "1e309"),
    ("non-ASCII digits", "\u0662\u0660\u0662\u0666"),
    ("dotless i and long s", "admın ſektor"),
    ("emoji", "\U0001f600\U0001f44d\U0001f3fd"),
    ("malformed date", "2026-13-45"),
    ("date out of range", "99999-01-01"),
    ("overflowing cursor", "2026-01-01.99999999999999999999.1"),
    ("negative cursor", "0001-01-01.-99999999999999999999.-1"),
    ("cursor with a huge id", "2026-01-01.0.99999999999999999999"),
    ("SQL", "' OR '1'='1' --; DROP TABLE x;"),
    ("LIKE wildcards", "%_%\\"),
    ("HTML", '"><script>alert(1)</script>'),
    ("URL", "https://evil.example/\\\\evil"),
    ("whitespace", " \t\r\n "),
    ("empty", ""),
)

#: What a page that reads no parameter of its own is sent (with the generic names).
QUICK_VALUES = ("NUL", "control characters", "10 kB", "huge integer", "emoji", "SQL")

#: The values also sent one parameter at a time (a page may stop at the first bad parameter
#: and never reach the next one when all carry the same bad value).
SINGLE_PARAM_VALUES = ("\x00", str(10**30), "2026-01-01.99999999999999999999.1", "x" * 10_240)


# --- Which parameters a view reads ------------------------------------------------------------


@contextmanager
def recording_lookups():
    """Record every key looked up on any ``QueryDict`` (``request.GET`` and its copies)."""
    names: set[str] = set()
    originals = {
        attr: getattr(QueryDict, attr)
        for attr in ("__getitem__", "get", "getlist", "__contains__", "pop")
    }

    def recorder(attr):
        original = originals[attr]

        def lookup(self, key, *args, **kwargs):
            if isinstance(key, str):
                names.add(key)
            return original(self, key, *args, **kwargs)

        return lookup

    for attr in originals:
        setattr(QueryDict, attr, recorder(attr))
    try:
        yield names
    finally:
        for attr, original in originals.items():
            setattr(QueryDict, attr, original)


def _role_for(entry: dict) -> str | None:
    """A role that gets the page itself (200), or, for a page that only redirects, anyone."""
    if "get" not in entry:
        return None
    statuses = row(entry)
    for role in ROLES:
        if statuses[role] == 200:
            return role
    if statuses["anonymous"] == REDIRECT:
        return "anonymous"
    return None


def _query(params: dict[str, list[str]]) -> str:
    """The query string, encoded the way a browser would (NUL as ``%00``)."""
    return "&".join(
        f"{quote(name, safe='')}={quote(value, safe='', errors='surrogatepass')}"
        for name, values in params.items()
        for value in values
    )


@pytest.fixture
def world():
    return build_world()


class _Recorder(logging.Handler):
    """Every record at ERROR or above, and every record carrying a traceback."""

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR or record.exc_info:
            self.records.append(record)


@contextmanager
def recorded_errors():
    handler = _Recorder()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler.records
    finally:
        root.removeHandler(handler)


def _short(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:20] + f"…({len(value)} chars)")


def test_no_query_string_makes_a_server_error_or_a_logged_traceback(world):
    pages = []
    for name, entry in MATRIX.items():
        role = _role_for(entry)
        if role is None:
            continue
        client = world.client(role)
        client.raise_request_exception = False
        url = world.url(name, entry)
        # A parameter of no meaning, so that ``request.GET`` is not empty and the filter
        # forms built as ``Form(request.GET or None)`` are bound and read their fields.
        with recording_lookups() as names:
            response = client.get(f"{url}?{UNREAD}=1")
        # The page itself, not a log-in or second-factor redirect in its place.
        expected = 200 if row(entry)[role] == 200 else 302
        assert response.status_code == expected, f"{name} as {role}: {response.status_code}"
        pages.append((name, url, client, sorted(names - {UNREAD})))
    read_by = dict((name, params) for name, _u, _c, params in pages)
    assert {"setelah", "sebelum", "q", "layanan"} <= set(read_by["petugas:queue"])
    assert {"q", "opd", "sektor"} <= set(read_by["kewenangan:layanan_list"])

    wrong: list[str] = []
    sent = 0

    def send(name, client, url, params, label):
        nonlocal sent
        sent += 1
        with recorded_errors() as errors:
            response = client.get(f"{url}?{_query(params)}")
        if response.status_code >= 500 or errors:
            logged = sorted({f"{r.name}: {r.getMessage()[:80]}" for r in errors})
            wrong.append(f"{name} with {label}: {response.status_code}, logged {logged}")

    for name, url, client, read in pages:
        params = sorted(set(read) | set(GENERIC_PARAMS))
        # A page that reads no parameter of its own gets the generic names, fewer values.
        values = VALUES if read else [v for v in VALUES if v[0] in QUICK_VALUES]
        for label, value in values:
            send(name, client, url, {p: [value] for p in params}, f"every parameter = {label}")
        # Repeated parameters: a filter reading one value gets the last, getlist() all.
        send(name, client, url, {p: ["1", "\x00", "x" * 300] for p in params}, "repeated")
        for param in read:
            for value in SINGLE_PARAM_VALUES:
                send(name, client, url, {param: [value]}, f"{param}={_short(value)}")
    assert sent > 300
    assert not wrong, f"{len(wrong)} of {sent} requests failed:\n" + "\n".join(wrong)


# --- The requests of the finding, one by one (they failed before the fix) ----------------------


NUL_PAGE = "Alamat halaman memuat karakter NUL."


@pytest.mark.parametrize(
    "path",
    [
        "/layanan/?opd=%00",
        "/layanan/?sektor=%00",
        "/kewenangan/?opd=%00",
        "/layanan/?q=a%00b",
        "/layanan/?%00=1",
        "/petugas/berkas/?q=%00",
        # Django admin's list filters pass the value to the query as it came.
        "/admin/accounts/user/?role=%00",
    ],
)
def test_a_nul_in_the_query_string_is_a_400_page_not_a_500(path):
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(email="admin.nul@contoh.test", admin=True))
    with recorded_errors() as errors:
        response = client.get(path)
    assert response.status_code == 400
    assert not errors
    assert NUL_PAGE in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "date__year=9999",
        "date__year=" + "9" * 20,
        "date__year=2026&date__month=13",
        "date__year=-1",
    ],
)
def test_an_admin_date_hierarchy_out_of_range_is_a_400_page_not_a_500(admin_user, query):
    """Django 5.2's admin list raises ValueError/OverflowError on these (ticket #37357)."""
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    with recorded_errors() as errors:
        response = client.get(f"/admin/kewenangan/harilibur/?{query}")
    assert response.status_code == 400
    assert not errors
    assert "Tanggal pada alamat halaman di luar rentang" in response.content.decode()
    assert client.get("/admin/kewenangan/harilibur/?date__year=2026").status_code == 200


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/layanan/?q=a%1Bb", "tidak boleh memuat karakter kontrol"),
        ("/layanan/?opd=%7F", "tidak boleh memuat karakter kontrol"),
        ("/layanan/?sektor=a%C2%85b", "tidak boleh memuat karakter kontrol"),
        ("/kewenangan/?q=%01", "tidak boleh memuat karakter kontrol"),
        ("/kewenangan/?status=lainnya", "Pilih salah satu status dari daftar"),
        ("/kewenangan/?opd=" + "x" * 41, "paling banyak 40 karakter"),
    ],
)
def test_a_bad_catalogue_filter_is_a_400_with_its_message_on_the_page(path, message):
    client = Client(raise_request_exception=False)
    with recorded_errors() as errors:
        response = client.get(path)
    assert response.status_code == 400
    assert not errors
    html = response.content.decode()
    assert "Saringan tidak dapat dipakai" in html and message in html


def test_a_pasted_tab_or_line_break_in_a_search_is_a_space():
    response = Client().get("/layanan/", {"q": "izin\tpraktik\r\nbidan"})
    assert response.status_code == 200
    assert response.context["q"] == "izin praktik bidan"


def test_the_other_filters_still_apply_when_one_is_refused(dinkes, pupr):
    health = published_service(kewenangan=KewenanganFactory(origin_opd=dinkes, sector="Kesehatan"))
    published_service(kewenangan=KewenanganFactory(origin_opd=pupr, technical_opd=pupr))
    response = Client().get("/layanan/", {"opd": dinkes.short_name, "q": "x\x1b"})
    assert response.status_code == 400
    assert [s.pk for s in response.context["services"]] == [health.pk]


@pytest.mark.parametrize(
    "text",
    [
        "2026-01-01.99999999999999999999.1",  # the finding: OverflowError in timedelta
        "2026-01-01.253402300800000000.1",  # one microsecond-count past year 9999
        "2026-01-01.0.9223372036854775808",  # an id past bigint
        "2026-01-01.0.0",
        "2026-01-01.0.-1",
        "2026-13-45.0.1",
        "2026-01-01.\u0661\u0662.1",  # non-ASCII digits that int() would take
        "2026-01-01.1_000.1",
        "2026-01-01. 1.1",
        "2026-01-01.1.1.1",
        "\x00",
        "",
    ],
)
def test_a_queue_cursor_out_of_range_is_ignored_not_a_server_error(text):
    assert QueueCursor.parse(text) is None


def test_a_queue_cursor_in_range_round_trips():
    for cursor in (
        QueueCursor(dt.date(2026, 1, 1), 1_767_225_600_000_000, 42),
        QueueCursor(dt.date(9999, 12, 31), -62_135_596_800_000_000, 2**63 - 1),
    ):
        parsed = QueueCursor.parse(str(cursor))
        assert parsed == cursor
        parsed.values()  # the datetime arithmetic of the query does not overflow


# --- Django admin's lists ---------------------------------------------------------------------

#: The values sent to every admin list, all parameters at once.
ADMIN_VALUES = ("NUL", "control characters", "10 kB", "huge integer", "negative", "SQL")
#: The values sent to each filter of an admin list on its own.
ADMIN_SINGLE_VALUES = (str(10**30), "9999", "2026-13-45", "\u0131")


def _filter_names(html: str) -> set[str]:
    """The query parameters of the filter, sort and page links of an admin list."""
    names: set[str] = set()
    for query in re.findall(r'href="\?([^"]*)"', html):
        names |= set(QueryDict(unescape(query)).keys())
    return names


def test_no_query_string_makes_a_django_admin_list_fail(admin_user):
    """Every model's list in Django admin (the admin role's pages), with the parameters its
    own filter, sort and page links use, plus search, sort, page and error flags."""
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    wrong: list[str] = []
    sent = 0
    for model, model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        page = client.get(url)
        assert page.status_code == 200, f"{url}: {page.status_code}"
        filters = _filter_names(page.content.decode())
        if model_admin.date_hierarchy:  # its links only show once there are rows
            filters |= {f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month")}
        filters = sorted(filters)
        params = sorted(set(filters) | {"q", "o", "p", "e", "all"})
        cases = [({p: [value] for p in params}, label) for label, value in VALUES]
        cases = [case for case in cases if case[1] in ADMIN_VALUES]
        cases += [({p: [v]}, f"{p}={_short(v)}") for p in filters for v in ADMIN_SINGLE_VALUES]
        for query, label in cases:
            sent += 1
            with recorded_errors() as errors:
                response = client.get(f"{url}?{_query(query)}")
            if response.status_code >= 500 or errors:
                wrong.append(f"{url} with {label}: {response.status_code}")
    assert sent > 100
    assert not wrong, f"{len(wrong)} of {sent} requests failed:\n" + "\n".join(wrong)
