"""Whole-page caching per signed-in session, for the officers' busiest page (the queue).

An officer's queue page is the same HTML until something it shows changes, yet each view of
it costs a query, a form and 25 rendered rows (bench/README.md, finding 6). ``per_session``
keeps the rendered page in the cache under a key made of:

* the session and the CSRF cookie (so the page's CSRF tokens stay valid: any masked form of the
  session's CSRF secret is accepted), the language, the full path with its query string, the
  date (deadlines count in days) and the bell's unread count;
* a **generation** that every change the page could show moves on (``bump()``: a file saved
  or deleted, a claim, a user's name, the catalogue or the calendar; see ``PerizinanConfig``),
  so a change is visible on the next view, in every process;
* whether the session can still be extended.

The one part that changes by itself, the session clock the timeout warning reads
(``data-session-seconds-left``), is written into the stored page again on every hit. A page
rendered with a flash message is never stored, and nothing is cached when the cache cannot be
reached. Pages live ``seconds`` at most, whatever the generation says.
"""

from __future__ import annotations

import hashlib
import logging
import re
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

from config.logs import log_event

logger = logging.getLogger(__name__)

GENERATION_KEY = "page-cache:generation"
_CLOCK = re.compile(rb'data-session-seconds-left="\d+"')


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY) or 1
    return int(value)


def bump(**_signal_kwargs) -> None:
    """Make every stored page stale, now and again when the current transaction commits (a
    view that stored a page in between is made stale too). Never fails the caller."""

    def incr():
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # not set yet
            cache.add(GENERATION_KEY, 2, timeout=None)
        except Exception:  # noqa: BLE001 - the cache is down: nothing is served from it either
            log_event(logger, "page_cache_unavailable", level=logging.WARNING)

    incr()
    transaction.on_commit(incr)


def _has_messages(request) -> bool:
    return len(messages.get_messages(request)) > 0  # len() does not mark them shown


def _key(request, extra: str) -> str:
    clock = getattr(request, "session_clock", None)
    parts = [
        request.session.session_key or "",
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        get_language() or "",
        request.get_full_path(),
        timezone.localdate().isoformat(),
        str(generation()),
        str(bool(clock and clock.extendable)),
        extra,
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"page-cache:{digest}"


def _with_clock(content: bytes, request) -> bytes:
    clock = getattr(request, "session_clock", None)
    if clock is None:
        return content
    return _CLOCK.sub(f'data-session-seconds-left="{int(clock.seconds_left)}"'.encode(), content)


def per_session(*, seconds: int, vary=lambda request: ""):
    """Cache a GET view's 200 HTML response per session (see the module docstring). Put it
    inside the permission decorators: they run on every request, hit or miss. ``vary(request)``
    adds what else the page depends on (the bell's count)."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            key = None
            cacheable = request.method == "GET" and request.session.session_key
            if cacheable and not _has_messages(request):
                try:
                    key = _key(request, vary(request))
                    content = cache.get(key)
                except Exception:  # noqa: BLE001 - no cache: render as usual
                    log_event(logger, "page_cache_unavailable", level=logging.WARNING)
                    key = content = None
                if content is not None:
                    return HttpResponse(_with_clock(content, request))
            response = view(request, *args, **kwargs)
            if (
                key is not None
                and response.status_code == 200
                and not response.streaming
                and response.get("Content-Type", "").startswith("text/html")
            ):
                try:
                    cache.set(key, response.content, timeout=seconds)
                except Exception:  # noqa: BLE001
                    log_event(logger, "page_cache_unavailable", level=logging.WARNING)
            return response

        return wrapper

    return decorate
