"""The client's address, as the login lockout and every rate limit see it.

There is one definition. django-axes resolves the address through django-ipware with the
``AXES_IPWARE_*`` settings that :func:`axes_ipware_settings` builds from ``PROXY_COUNT``, and the
project's own limits (``/lacak/``, sign-up, verification e-mails, complaints, the survey, permit
verification) ask axes through :func:`client_ip`.

``PROXY_COUNT`` is the number of reverse proxies in front of the app:

* ``0``: the app is reached directly; the address is ``REMOTE_ADDR`` and any
  ``X-Forwarded-For`` a visitor sends is ignored.
* ``N > 0``: each proxy adds the address it received the request from to ``X-Forwarded-For``,
  the last one is ``REMOTE_ADDR``. The client is then the N-th entry of ``X-Forwarded-For``
  counted from the right, and the header must hold exactly N entries. ipware counts only the
  proxies *listed in* the header (``client, proxy1, ...``), hence ``N - 1``, and its strict mode
  rejects a header with more (or malformed) entries: a visitor who sends an
  ``X-Forwarded-For`` of their own cannot pick their address. Such a request is counted under
  the proxy's address (``REMOTE_ADDR``) instead, together with every other request whose header
  was not the one the proxies write; the nginx line in README.md ("Production") overwrites
  what the visitor sent, so only requests that bypass the proxy land there.

Strict mode matters: without it, ipware drops entries it cannot parse, and a visitor who sends
``X-Forwarded-For: 1.2.3.4, "`` makes the unclosed quote swallow the entry nginx appends, so
``1.2.3.4`` would be taken as the address (a test keeps this closed).
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"


def axes_ipware_settings(proxy_count: int) -> dict[str, object]:
    """The django-axes and django-ipware settings for ``proxy_count`` reverse proxies."""
    if isinstance(proxy_count, bool) or not isinstance(proxy_count, int) or proxy_count < 0:
        raise ImproperlyConfigured(
            f"PROXY_COUNT must be a whole number of proxies, 0 or more (got {proxy_count!r})."
        )
    if proxy_count == 0:
        return {
            "AXES_IPWARE_META_PRECEDENCE_ORDER": ("REMOTE_ADDR",),
            "AXES_IPWARE_PROXY_COUNT": None,
            "AXES_IPWARE_PROXY_ORDER": "left-most",
            "IPWARE_STRICT": True,
        }
    return {
        # REMOTE_ADDR last: taken only when the header is missing or not the one the proxies
        # write (ipware cannot check a one-entry chain against N - 1 > 0 listed proxies, so with
        # two or more proxies such a request has no address for axes; client_ip falls back).
        "AXES_IPWARE_META_PRECEDENCE_ORDER": (FORWARDED_FOR, "REMOTE_ADDR"),
        "AXES_IPWARE_PROXY_COUNT": proxy_count - 1,
        "AXES_IPWARE_PROXY_ORDER": "left-most",
        "IPWARE_STRICT": True,
    }


def client_ip(request) -> str:
    """The client's address for throttling: the one axes uses, else ``REMOTE_ADDR``."""
    from axes.helpers import get_client_ip_address  # axes.conf reads settings on import

    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR", "")
