"""Taking a counter file into one's own account (/permohonan/klaim/): a signed-in applicant
types the number and PIN from the receipt the counter gave them (``perizinan.services.claim``).

Applicants only (staff are refused the page: 403). Attempts are limited per client address,
per account and per application number, each in its own window: guessing a PIN here is no
easier than on /lacak/, and one file's PIN cannot be tried from many addresses at once.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.roles import Role
from perizinan.exceptions import WorkflowError
from perizinan.forms.pemohon import LacakForm
from perizinan.services import claim
from perizinan.throttle import client_ip, hit

#: (scope, limit, window in seconds) of each limit on claim attempts.
CLAIM_PER_IP = ("klaim-ip", 10, 10 * 60)
CLAIM_PER_ACCOUNT = ("klaim-akun", 10, 60 * 60)
CLAIM_PER_NUMBER = ("klaim-nomor", 5, 60 * 60)


def _allowed(limit: tuple[str, int, int], ident: str) -> bool:
    scope, count, window = limit
    return hit(scope, ident, limit=count, window_seconds=window)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def permohonan_claim(request):
    if request.user.role != Role.PEMOHON:
        raise PermissionDenied(_("Halaman ini khusus pemohon."))
    status = 200
    errors: list[str] = []
    if request.method == "POST":
        form = LacakForm(request.POST)
        number = (request.POST.get("number") or "").strip().upper()[:40]
        if not (
            _allowed(CLAIM_PER_IP, client_ip(request))
            and _allowed(CLAIM_PER_ACCOUNT, str(request.user.pk))
            and (not number or _allowed(CLAIM_PER_NUMBER, number))
        ):
            form = LacakForm(initial={"number": number})
            messages.error(
                request,
                _("Terlalu banyak percobaan klaim. Coba lagi dalam satu jam, atau hubungi loket."),
            )
            status = 429
        elif form.is_valid():
            try:
                permohonan = claim.claim_counter_file(
                    user=request.user,
                    number=form.cleaned_data["number"],
                    pin=form.cleaned_data["pin"],
                )
            except WorkflowError as exc:
                form = LacakForm(initial={"number": number})  # the PIN is not echoed back
                errors = [str(exc.message)]
                status = 400
            else:
                messages.success(
                    request,
                    _("Permohonan %(number)s kini ada di akun Anda.")
                    % {"number": permohonan.number},
                )
                detail = {"public_id": permohonan.public_id}
                return redirect(reverse("perizinan:permohonan_detail", kwargs=detail))
        else:
            status = 400
    else:
        form = LacakForm()
    context = {"form": form, "errors": errors}
    return render(request, "perizinan/claim.html", context, status=status)
