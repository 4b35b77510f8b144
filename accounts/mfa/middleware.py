"""No staff page without the second factor.

A signed-in user who needs MFA (every staff role and admin, ``services.required_for``) and whose
session has not passed it yet reaches only the MFA pages, log-out, the language switch and the
session-extend button. Every other URL, officer pages and Django admin included, is answered
with a redirect to the code page (or to enrolment when the user has no device yet), carrying
the asked URL as ``next`` for a GET; a request that wants JSON gets a 401 naming that page.

Deny by default: a page added later is covered without being listed anywhere. Installed after
``django_otp.middleware.OTPMiddleware`` (which installs ``request.user.is_verified``) and after
the session-timeout middleware, so an expired session is logged out first.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode

from accounts.mfa import services

OTP_MIDDLEWARE = "django_otp.middleware.OTPMiddleware"

#: URL names a staff member may open before the second factor.
OPEN_BEFORE_SECOND_FACTOR = (
    "accounts:mfa_verify",
    "accounts:mfa_enrol",
    "accounts:logout",
    "set_language",
    "session_extend",
)


@cache
def open_paths() -> frozenset[str]:
    return frozenset(reverse(name) for name in OPEN_BEFORE_SECOND_FACTOR)


class SecondFactorMiddleware:
    def __init__(self, get_response):
        middleware = list(settings.MIDDLEWARE)
        here = f"{__name__}.{type(self).__name__}"
        if OTP_MIDDLEWARE not in middleware or (
            here in middleware and middleware.index(OTP_MIDDLEWARE) > middleware.index(here)
        ):
            raise ImproperlyConfigured(f"{here} must come after {OTP_MIDDLEWARE} in MIDDLEWARE.")
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and services.required_for(user)
            and not services.is_verified(user)
            and request.path not in open_paths()
        ):
            return self._second_factor_needed(request, user)
        return self.get_response(request)

    def _second_factor_needed(self, request, user):
        url = reverse("accounts:mfa_verify" if services.has_device(user) else "accounts:mfa_enrol")
        if request.method in ("GET", "HEAD"):
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        if request.accepts("application/json") and not request.accepts("text/html"):
            return JsonResponse({"status": "mfa_required", "url": url}, status=401)
        return HttpResponseRedirect(url)
