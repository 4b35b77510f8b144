"""A fixed-window rate limit in the shared Redis cache (per client IP, or per user for uploads)."""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The client's address, the same as the login lockout's (PROXY_COUNT, X-Forwarded-For): one
# definition in config/client_ip.py, re-exported for the views.
from config.client_ip import client_ip as client_ip
from config.logs import log_event

logger = logging.getLogger("perizinan")


def hit(scope: str, ident: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt; False when the limit for this window is already used up."""
    key = f"throttle:{scope}:{ident}"
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        count = 1
    return count <= limit


#: Uploads one user may make (issue 16, finding 5), every attempt counted, refused or not:
#: (limit, window in seconds). A service asks for up to a dozen documents; an applicant
#: replaces a few, a counter officer enters several walk-ins an hour.
UPLOAD_LIMITS = ((15, 60), (100, 60 * 60))


def upload_allowed(user_id: int) -> tuple[bool, int, int]:
    """Count one upload by ``user_id`` in every window of ``UPLOAD_LIMITS``.

    Returns ``(allowed, limit, window_seconds)``, the limit and window being the first one
    used up when not allowed. With the cache unreachable, uploads are allowed (the rest of the
    site works without Redis too; the content checks still bound each upload)."""
    from redis.exceptions import RedisError

    refused = None
    for limit, window in UPLOAD_LIMITS:
        try:
            ok = hit(f"upload-{window}", str(user_id), limit=limit, window_seconds=window)
        except (RedisError, OSError):
            return True, limit, window
        if not ok and refused is None:
            refused = (limit, window)
    if refused is None:
        return True, *UPLOAD_LIMITS[0]
    return False, *refused


def require_upload_rate(user) -> None:
    """Refuse the upload (a form error, before the file is read) when ``user`` has used up a
    window of ``UPLOAD_LIMITS``; the message says how many files per minute or hour."""
    allowed, limit, window = upload_allowed(user.pk)
    if allowed:
        return
    log_event(logger, "upload_rate_limited", user_id=user.pk, limit=limit, window=window)
    if window == 60:
        per = _("menit")
    elif window == 60 * 60:
        per = _("jam")
    else:
        per = _("%(minutes)s menit") % {"minutes": window // 60}
    raise ValidationError(
        _(
            "Terlalu banyak unggahan dalam waktu singkat (paling banyak %(limit)s berkas per "
            "%(per)s). Tunggu sebentar lalu unggah lagi; dokumen yang sudah tersimpan tetap ada."
        )
        % {"limit": limit, "per": per},
        code="upload_rate",
    )
