"""Session lifetime rules (ASVS 4.0.3 V3.3.2 at L2, WCAG 2.2.1 Timing Adjustable).

* Every session ends ``SESSION_ABSOLUTE_SECONDS`` (12 hours) after log-in, whatever the
  activity: a citizen's session is absolute.
* An officer's or an admin's session also ends after ``SESSION_OFFICER_IDLE_SECONDS``
  (30 minutes) without a request. Any request counts as activity; the "Perpanjang sesi" button
  of the warning dialog is one such request (``config.session_views.extend_session``).

The two times live in the session as epoch seconds. The log-in time is written when the user
logs in (the ``user_logged_in`` receiver below); a session from before this module existed
falls back to ``user.last_login``. The activity time is written at most once a minute, so that
an officer's page costs no extra session write on every click.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

from accounts.roles import ADMIN_ROLES, OFFICER_ROLES

logger = logging.getLogger("satupintu.security")

LOGIN_AT_KEY = "_sp_login_at"
ACTIVITY_AT_KEY = "_sp_activity_at"
#: The stored activity time is refreshed only when it is at least this old (seconds).
ACTIVITY_RESOLUTION = 60

IDLE_LIMITED_ROLES = frozenset({*OFFICER_ROLES, *ADMIN_ROLES})

EXPIRED_IDLE = "idle"
EXPIRED_ABSOLUTE = "absolute"


@dataclass(frozen=True)
class SessionClock:
    """Where a signed-in session stands at one moment."""

    seconds_left: int
    #: ``None`` while the session is alive, else EXPIRED_IDLE or EXPIRED_ABSOLUTE.
    expired: str | None
    #: False when only a new log-in can give more time (the absolute limit comes first).
    extendable: bool

    @property
    def warning_seconds(self) -> int:
        """How long before the end the page warns (WCAG 2.2.1 asks for at least 20 s)."""
        return settings.SESSION_WARNING_SECONDS

    @property
    def absolute_hours(self) -> int:
        return settings.SESSION_ABSOLUTE_SECONDS // 3600


def _now() -> int:
    return int(timezone.now().timestamp())


def has_idle_limit(user) -> bool:
    """Officers and admins are logged out after 30 idle minutes; citizens are not."""
    return getattr(user, "role", None) in IDLE_LIMITED_ROLES or bool(
        getattr(user, "is_superuser", False)
    )


def _login_at(session, user) -> int:
    stored = session.get(LOGIN_AT_KEY)
    if isinstance(stored, int):
        return stored
    last_login = getattr(user, "last_login", None)
    return int(last_login.timestamp()) if last_login else _now()


def _activity_at(session, user) -> int:
    stored = session.get(ACTIVITY_AT_KEY)
    return stored if isinstance(stored, int) else _login_at(session, user)


def clock(session, user, *, now: int | None = None) -> SessionClock:
    """How long ``user``'s ``session`` has left, and whether it has already ended."""
    now = _now() if now is None else now
    absolute_left = _login_at(session, user) + settings.SESSION_ABSOLUTE_SECONDS - now
    if absolute_left <= 0:
        return SessionClock(seconds_left=0, expired=EXPIRED_ABSOLUTE, extendable=False)
    if not has_idle_limit(user):
        return SessionClock(seconds_left=absolute_left, expired=None, extendable=False)
    idle_left = _activity_at(session, user) + settings.SESSION_OFFICER_IDLE_SECONDS - now
    if idle_left <= 0:
        return SessionClock(seconds_left=0, expired=EXPIRED_IDLE, extendable=True)
    return SessionClock(
        seconds_left=min(idle_left, absolute_left),
        expired=None,
        extendable=idle_left < absolute_left,
    )


def record_activity(session, user, *, force: bool = False) -> SessionClock:
    """Count this request as activity, and return the session's clock after it (an ended
    session stays ended: the clock is read before the activity is written).

    Only officers' and admins' sessions keep an activity time. It is written when it is at
    least ``ACTIVITY_RESOLUTION`` seconds old, or always with ``force`` (the extend button).
    """
    now = _now()
    before = clock(session, user, now=now)
    if before.expired or not has_idle_limit(user):
        return before
    if force or now - _activity_at(session, user) >= ACTIVITY_RESOLUTION:
        session[ACTIVITY_AT_KEY] = now
    return clock(session, user, now=now)


@receiver(user_logged_in, dispatch_uid="satupintu.security.start_session_clock")
def start_session_clock(sender, request, user, **kwargs):
    """Start both clocks at log-in (``login()`` has just given the session a new key)."""
    if request is None or not hasattr(request, "session"):
        return
    now = _now()
    request.session[LOGIN_AT_KEY] = now
    request.session[ACTIVITY_AT_KEY] = now
