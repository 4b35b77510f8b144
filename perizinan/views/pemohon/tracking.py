"""Public tracking (/lacak/): application number and PIN give the status, the dates and the
timeline, and while the file waits for its applicant what to fix and by when, or what to pay:
the PIN is the applicant's own (on their receipt), so a walk-in without an account is never
left without the officer's words. No login, no officers' names; rate limited per client
address."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from perizinan import selectors
from perizinan.forms.pemohon import LacakForm
from perizinan.throttle import client_ip, hit

LACAK_LIMIT = 10
LACAK_WINDOW_SECONDS = 10 * 60


@never_cache
@require_http_methods(["GET", "POST"])
def lacak(request):
    """Number + PIN -> status and dates. No login; no officer names; rate limited per IP."""
    result = None
    status = 200
    if request.method == "POST":
        form = LacakForm(request.POST)
        if not hit(
            "lacak", client_ip(request), limit=LACAK_LIMIT, window_seconds=LACAK_WINDOW_SECONDS
        ):
            form = LacakForm(initial={"number": request.POST.get("number", "")})
            messages.error(
                request,
                _(
                    "Terlalu banyak percobaan pelacakan dari jaringan Anda. "
                    "Coba lagi dalam %(minutes)s menit."
                )
                % {"minutes": LACAK_WINDOW_SECONDS // 60},
            )
            status = 429
        elif form.is_valid():
            result = selectors.track(form.cleaned_data["number"], form.cleaned_data["pin"])
            if result is not None:  # a fresh form: the PIN is not echoed back into the page
                form = LacakForm(initial={"number": result.number})
            else:
                form.add_error(
                    None,
                    _("Nomor permohonan atau PIN tidak cocok. Periksa kembali tanda terima Anda."),
                )
    else:
        form = LacakForm(initial={"number": request.GET.get("nomor", "")[:40]})
    context = {"form": form, "result": result}
    if result is not None:
        context["expected_completion"] = selectors.expected_completion(result)
        context["timeline"] = list(result.riwayat.all())
        context["correction"] = selectors.correction_request(result)
        context["payment"] = selectors.payment_due(result)
    return render(request, "perizinan/lacak.html", context, status=status)
