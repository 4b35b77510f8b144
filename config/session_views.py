"""``POST /akun/sesi/perpanjang/``: the "Perpanjang sesi" button of the session-timeout dialog
(WCAG 2.2.1). Counts as activity and answers how many seconds the session now has left."""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import resolve_url
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from config import security


@never_cache
@require_POST
def extend_session(request):
    if not request.user.is_authenticated:
        return JsonResponse(
            {"status": "expired", "login_url": resolve_url(settings.LOGIN_URL)}, status=401
        )
    state = security.record_activity(request.session, request.user, force=True)
    return JsonResponse(
        {
            "status": "ok",
            "seconds_left": state.seconds_left,
            "extendable": state.extendable,
        }
    )
