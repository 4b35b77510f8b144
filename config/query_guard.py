"""Refuse a query string no page of the portal can answer, before any view reads it (issue
16, finding 7): a 400 page that says what is wrong instead of a 500 with a traceback.

* A NUL anywhere (name or value). PostgreSQL cannot hold a NUL in text: a filter, a search or
  an admin list filter that passes one to a query fails inside the database driver ("A string
  literal cannot contain NUL"). No link or form of the portal ever sends one.
* A date-hierarchy parameter of Django admin (``<field>__year``, ``__month``, ``__day``) that
  is not a date Python can hold: Django 5.2's ``ChangeList`` turns ``?created_at__year=9999``
  and ``?…__year=99999999999999999999`` into a ValueError/OverflowError and a 500 (Django
  ticket #37357, fixed upstream after 5.2.19; drop this rule once the pinned Django has it).
  No other page of the portal uses these names (its own filters are ``tahun`` and ``bulan``).

Other control characters are the forms' to refuse with a message on the page
(``config.forms.SafeCharField``); a filter that does not parse falls back to its default.
"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

#: Admin's date hierarchy: the highest value of each part it can turn into a date range.
_DATE_PART = re.compile(r".+__(year|month|day)")
_DATE_PART_MAX = {"year": 9998, "month": 12, "day": 31}
_DIGITS = re.compile(r"[0-9]{1,4}")


def refusal(request: HttpRequest) -> str | None:
    """Why the query string cannot be answered (for the 400 page), or ``None``."""
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return _("Alamat halaman memuat karakter NUL.")
        part = _DATE_PART.fullmatch(key)
        if part and not all(_date_part_ok(value, part[1]) for value in values):
            return _("Tanggal pada alamat halaman di luar rentang yang dapat dipakai.")
    return None


def _date_part_ok(value: str, part: str) -> bool:
    return _DIGITS.fullmatch(value) is not None and 1 <= int(value) <= _DATE_PART_MAX[part]


class RefuseBadQueryMiddleware:
    """After the session, language, authentication and messages middleware (the 400 page is
    the site's own page, in the visitor's language), before any view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        reason = refusal(request)
        if reason is not None:
            return render(request, "bad_query.html", {"reason": reason}, status=400)
        return self.get_response(request)
