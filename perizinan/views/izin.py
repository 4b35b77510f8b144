"""Permit pages: the head's signing queue and preview, one-by-one and batch signing, the
issued-permits list and revocation (officers); the permit and rejection-letter downloads
(applicant and officers in scope); the public verification page.

Thin: reads through ``perizinan.selectors.izin``, changes through ``perizinan.services.izin``.
"""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import Role
from perizinan.exceptions import WorkflowError
from perizinan.models import Izin, Permohonan
from perizinan.selectors import izin as selectors
from perizinan.services import izin as services
from perizinan.signing import get_signer
from perizinan.throttle import client_ip, hit

QUEUE_PAGE_SIZE = 50
LIST_PAGE_SIZE = 50
BATCH_LIMIT = 50
VERIFY_LIMIT = 30
VERIFY_WINDOW_SECONDS = 10 * 60


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Alasan pencabutan"),
        min_length=services.REVOCATION_REASON_MIN,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Alasan ini ditampilkan pada halaman verifikasi publik. Jangan menulis data pribadi."
        ),
    )


def _require_kepala(user) -> None:
    if user.role != Role.KEPALA:
        raise PermissionDenied


def _signer_info() -> dict:
    signer = get_signer()
    return {
        "signer_certified": bool(signer.certified),
        "signer_provider": str(signer.provider),
    }


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _pdf_response(handle_or_bytes, *, filename: str):
    if isinstance(handle_or_bytes, bytes | bytearray):
        response = HttpResponse(handle_or_bytes, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        response = FileResponse(
            handle_or_bytes, as_attachment=True, filename=filename, content_type="application/pdf"
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


def _file_safe(number: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in number)


# --- Signing (the head) --------------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def sign_queue(request):
    """Files waiting for this head's signature, with checkboxes for batch signing."""
    _require_kepala(request.user)
    page = Paginator(selectors.sign_queue(request.user), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page_obj": page, "queue": page.object_list, **_signer_info()}
    return render(request, "perizinan/izin/sign_queue.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def sign(request, public_id):
    """GET: the permit's data as it will be printed; POST: sign and issue it."""
    user = request.user
    permohonan = (
        Permohonan.objects.visible_to(user)
        .select_related("jenis_izin", "versi", "processing_opd", "recommended_by")
        .filter(public_id=public_id)
        .first()
    )
    if permohonan is None or user.role != Role.KEPALA:
        raise Http404
    queue_url = _safe_next(request, default=_queue_url())
    if request.method == "POST":
        refusal = services.ISSUE.refusal(permohonan)
        if refusal is not None and services.may_sign(permohonan, user):
            messages.error(
                request,
                _("Izin permohonan %(number)s tidak dapat diterbitkan: %(reason)s")
                % {"number": permohonan.number, "reason": refusal},
            )
            return redirect(reverse("petugas:file", kwargs={"public_id": permohonan.public_id}))
        try:
            izin = services.sign_permohonan(permohonan, actor=user)
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Izin nomor %(number)s terbit untuk permohonan %(application)s.")
                % {"number": izin.number, "application": permohonan.number},
            )
        return redirect(queue_url)
    if not services.may_sign(permohonan, user):
        messages.info(
            request,
            _("Permohonan %(number)s tidak sedang menunggu tanda tangan Anda.")
            % {"number": permohonan.number},
        )
        return redirect(_queue_url())
    basis = selectors.decision_basis(permohonan)
    context = {
        "permohonan": permohonan,
        "preview": services.permit_preview(permohonan),
        "documents": basis.documents,
        "reports": basis.reports,
        "may_issue": services.ISSUE.can_be_made_on(permohonan),
        "file_url": reverse("petugas:file", kwargs={"public_id": permohonan.public_id}),
        **_signer_info(),
    }
    return render(request, "perizinan/izin/sign_preview.html", context)


def _queue_url() -> str:
    return reverse("petugas:sign_queue")


@never_cache
@login_required
@require_POST
def sign_batch(request):
    """Batch signing in two steps, without JavaScript: the checked files first come back as a
    confirmation page (how many, which ones, and which cannot be signed: a rejection
    recommendation is decided one by one); only its confirm button (``confirm=1``) signs,
    each file in its own transaction, and reports what failed and why."""
    _require_kepala(request.user)
    wanted = []
    for raw in request.POST.getlist("permohonan")[:BATCH_LIMIT]:
        try:
            wanted.append(uuid.UUID(raw))
        except ValueError:
            continue
    wanted = list(dict.fromkeys(wanted))
    if not wanted:
        messages.warning(request, _("Pilih dulu permohonan yang akan ditandatangani."))
        return redirect(_queue_url())
    chosen = {
        p.public_id: p for p in selectors.sign_queue(request.user).filter(public_id__in=wanted)
    }
    signable = [
        chosen[p] for p in wanted if p in chosen and services.ISSUE.can_be_made_on(chosen[p])
    ]
    held = [
        chosen[p] for p in wanted if p in chosen and not services.ISSUE.can_be_made_on(chosen[p])
    ]
    missing = len(set(wanted) - set(chosen))
    if request.POST.get("confirm") != "1":
        context = {"signable": signable, "held": held, "missing": missing, **_signer_info()}
        return render(request, "perizinan/izin/sign_batch_confirm.html", context)
    for permohonan in held:
        messages.error(
            request,
            _("%(number)s tidak ditandatangani: %(reason)s")
            % {"number": permohonan.number, "reason": services.ISSUE.refusal(permohonan)},
        )
    result = services.sign_batch([p.pk for p in signable], actor=request.user)
    if result.signed:
        messages.success(
            request,
            _("%(count)s izin ditandatangani dan terbit: %(numbers)s.")
            % {"count": len(result.signed), "numbers": ", ".join(i.number for i in result.signed)},
        )
    for _pk, number, message in result.failed:
        messages.error(request, f"{number}: {message}" if number else message)
    if missing:
        messages.warning(
            request,
            _("%(count)s permohonan yang dipilih tidak lagi menunggu tanda tangan Anda.")
            % {"count": missing},
        )
    return redirect(_queue_url())


# --- Issued permits and revocation ---------------------------------------------------------


@never_cache
@login_required
@require_GET
def izin_list(request):
    if request.user.role not in (Role.KEPALA, Role.ADMIN):
        raise PermissionDenied
    page = Paginator(selectors.issued_permits(request.user), LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page_obj": page, "permits": page.object_list, "today": timezone.localdate()}
    return render(request, "perizinan/izin/izin_list.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def izin_revoke(request, public_id):
    izin = selectors.get_revocable(request.user, public_id)
    form = RevokeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke_izin(izin, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason", error)
        except WorkflowError as error:
            messages.error(request, str(error))
            return redirect("petugas:izin_list")
        else:
            messages.success(request, _("Izin %(number)s dicabut.") % {"number": izin.number})
            return redirect("petugas:izin_list")
    context = {"izin": izin, "form": form, "in_force": izin.is_in_force}
    return render(request, "perizinan/izin/revoke.html", context)


# --- Downloads -----------------------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def izin_download(request, public_id):
    """The signed permit PDF, for the applicant and officers in scope (404 for anyone else)."""
    izin = selectors.permit_for_download(request.user, public_id)
    try:
        handle = izin.open()
    except FileNotFoundError:
        raise Http404 from None
    return _pdf_response(handle, filename=f"izin-{_file_safe(izin.number)}.pdf")


@never_cache
@login_required
@require_GET
def surat_penolakan_download(request, public_id):
    letter = selectors.rejection_letter_for_download(request.user, public_id)
    return _pdf_response(
        services.rejection_pdf(letter),
        filename=f"surat-penolakan-{_file_safe(letter.permohonan.number or '')}.pdf",
    )


# --- Public verification ---------------------------------------------------------------------


def _public(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@require_GET
def verifikasi(request, token):
    """Is this permit genuine and in force? No login; no officer names; rate limited per IP."""
    if not hit(
        "verifikasi", client_ip(request), limit=VERIFY_LIMIT, window_seconds=VERIFY_WINDOW_SECONDS
    ):
        context = {"minutes": VERIFY_WINDOW_SECONDS // 60}
        return _public(
            render(request, "perizinan/izin/verifikasi_throttled.html", context, status=429)
        )
    izin = selectors.permit_by_token(token)
    if izin is None:
        return _public(render(request, "perizinan/izin/verifikasi_not_found.html", status=404))
    status = izin.effective_status()
    context = {
        "izin": izin,
        "status": status,
        "status_label": Izin.Status(status).label,
        "is_valid": status == Izin.Status.VALID,
        "is_expired": status == Izin.Status.EXPIRED,
        "is_revoked": status == Izin.Status.REVOKED,
        "is_superseded": status == Izin.Status.SUPERSEDED,
        **selectors.verification_links(izin),
    }
    return _public(render(request, "perizinan/izin/verifikasi.html", context))
