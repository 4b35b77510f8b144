"""A fixed-window rate limit in the shared Redis cache (per client IP)."""

from __future__ import annotations

from django.core.cache import cache


def client_ip(request) -> str:
    """The client's address, honouring the same proxy count as the login throttle."""
    try:
        from axes.helpers import get_client_ip_address

        return get_client_ip_address(request) or request.META.get("REMOTE_ADDR", "")
    except ImportError:  # pragma: no cover - axes is a runtime dependency
        return request.META.get("REMOTE_ADDR", "")


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
