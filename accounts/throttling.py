"""Rate limits for the account pages, kept in the shared cache (Redis).

Login guessing is throttled by django-axes (see ``AXES_*`` in settings and its handler in
``accounts.lockout``); this module holds the axes username key and a small fixed-window counter
for the e-mails a visitor can trigger (sign-up, "kirim ulang e-mail verifikasi", password reset),
so that the site cannot be used to flood someone's inbox.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache

from accounts.identifiers import counter_key, fold

# The client address (behind PROXY_COUNT proxies) is the one the login lockout uses: one
# definition in config/client_ip.py, re-exported for the account views.
from config.client_ip import client_ip as client_ip

# (limit, window in seconds) per kind of key.
RESEND_PER_EMAIL = (3, 60 * 60)
RESEND_PER_IP = (10, 60 * 60)
SIGNUP_PER_IP = (10, 60 * 60)
PASSWORD_RESET_PER_EMAIL = (3, 60 * 60)


def axes_username(request, credentials=None) -> str | None:
    """The account key axes counts failures on (``AXES_USERNAME_CALLABLE``): the address in the
    one form the log-in looks up (``accounts.identifiers.counter_key``), so that
    ``Ani@Contoh.id``, ``ＡＮＩ@contoh.id`` and the look-alike ``anı@contoh.id`` share the counter
    of ``ani@contoh.id``."""
    value = None
    if credentials:
        value = credentials.get("username")
    if value is None and request is not None:
        value = getattr(request, "POST", {}).get("username")
    return counter_key(value)


def email_key(email: str) -> str:
    """A cache-key fragment for an e-mail address that does not store the address itself."""
    return hashlib.sha256(fold(email).encode()).hexdigest()[:32]


def hit(key: str, *, limit: int, window: int) -> bool:
    """Count one event for ``key``; True while the count stays within ``limit`` per window.

    A fixed window starting at the first event: simple and good enough for e-mail triggers.
    """
    full_key = f"throttle:{key}"
    if cache.add(full_key, 1, timeout=window):
        return True
    try:
        count = cache.incr(full_key)
    except ValueError:  # expired between add() and incr()
        cache.set(full_key, 1, timeout=window)
        return True
    return count <= limit
