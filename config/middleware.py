"""Language selection: Indonesian unless the visitor chose otherwise with the switcher.

Django's LocaleMiddleware follows the browser's Accept-Language, so a phone set to English
would get the English site by default. A regency's portal speaks Indonesian first; English is
used only when the visitor picks it (the language cookie set by ``set_language``).

Also the session-lifetime and no-store middlewares of the security gates (``config.security``).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect, resolve_url
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from config import security
from config.logs import log_event

SUPPORTED = {code for code, _name in settings.LANGUAGES}


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in SUPPORTED else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class SessionTimeoutMiddleware:
    """End sessions by the rules of ``config.security``: 12 hours after log-in for everyone,
    30 idle minutes for officers and admins. The ended session is flushed and the visitor is
    sent to the log-in page with a message saying why.

    Also flushes a session whose user can no longer log in (deactivated or deleted): Django's
    backend already treats it as anonymous; flushing removes it from the session store.

    Sets ``request.session_clock`` (a ``config.security.SessionClock``) for signed-in users;
    ``templates/includes/session_timeout.html`` reads it to warn before the end.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.session_clock = None
        user = request.user
        if user.is_authenticated:
            state = security.record_activity(request.session, user)
            if state.expired:
                return self._expire(request, user, state.expired)
            request.session_clock = state
        elif SESSION_KEY in request.session:
            request.session.flush()
        return self.get_response(request)

    def _expire(self, request, user, reason):
        log_event(security.logger, "session.expired", reason=reason, user_id=user.pk)
        logout(request)
        if reason == security.EXPIRED_IDLE:
            minutes = settings.SESSION_OFFICER_IDLE_SECONDS // 60
            text = _(
                "Sesi Anda berakhir karena tidak aktif selama %(minutes)d menit. "
                "Silakan masuk kembali."
            ) % {"minutes": minutes}
        else:
            hours = settings.SESSION_ABSOLUTE_SECONDS // 3600
            text = _("Sesi Anda berakhir setelah %(hours)d jam. Silakan masuk kembali.") % {
                "hours": hours
            }
        login_url = resolve_url(settings.LOGIN_URL)
        if _wants_json(request):
            return JsonResponse({"status": "expired", "login_url": login_url}, status=401)
        messages.info(request, text)
        if request.path == login_url:
            return self.get_response(request)
        next_url = request.get_full_path() if request.method in ("GET", "HEAD") else None
        return redirect_to_login(next_url) if next_url else redirect(login_url)


def _wants_json(request) -> bool:
    return request.accepts("application/json") and not request.accepts("text/html")


class NoStoreForAuthenticatedMiddleware:
    """Every response to a signed-in user is ``Cache-Control: no-store, private`` unless the
    view chose its own Cache-Control: such pages carry personal data (ASVS 14.3.2)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store, private"
        return response
