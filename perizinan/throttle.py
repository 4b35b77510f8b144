"""A fixed-window rate limit in the shared Redis cache (per client IP)."""

from __future__ import annotations

from django.core.cache import cache

# The client's address, the same as the login lockout's (PROXY_COUNT, X-Forwarded-For): one
# definition in config/client_ip.py, re-exported for the views.
from config.client_ip import client_ip as client_ip


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
