"""The citizen's files: the list of their applications, the detail page (timeline, documents,
what to fix, expected completion), the receipt (tanda terima) as a page and as a PDF, and
document downloads (staff downloads are written to the applicant's access log)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import ListView

from perizinan import selectors, services
from perizinan.models import Dokumen, Permohonan
from perizinan.pdf import ReceiptData, receipt, render_receipt_pdf
from perizinan.selectors import izin as izin_selectors
from perizinan.views.pemohon.apply import STEPS
from perizinan.workflow import Status, available_transitions


@method_decorator(never_cache, name="dispatch")
class PermohonanListView(LoginRequiredMixin, ListView):
    template_name = "perizinan/permohonan_list.html"
    context_object_name = "permohonan_list"
    paginate_by = 20

    def get_queryset(self):
        return selectors.list_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        izin_selectors.attach_permits(context["permohonan_list"])
        return context


@never_cache
@login_required
def permohonan_detail(request, public_id):
    permohonan = selectors.get_visible(request.user, public_id)
    is_owner = permohonan.applicant_id == request.user.pk
    moves = [t for t in available_transitions(permohonan, request.user) if t.is_applicant_move]
    context = {
        "permohonan": permohonan,
        "is_owner": is_owner,
        "timeline": selectors.timeline(permohonan),
        "documents": selectors.document_history(permohonan),
        "correction": selectors.correction_request(permohonan),
        "payment": selectors.payment_due(permohonan),
        "expected_completion": selectors.expected_completion(permohonan),
        "can_withdraw": any(t.name == "withdraw" for t in moves),
        "can_fix": is_owner and permohonan.is_editable and not permohonan.is_draft,
        "steps": STEPS,
        "permit_life": izin_selectors.permit_life(
            getattr(permohonan, "izin", None) if permohonan.status == Status.TERBIT else None,
            request.user,
        ),
    }
    return render(request, "perizinan/permohonan_detail.html", context)


def _submitted_visible(request, public_id) -> Permohonan:
    permohonan = selectors.get_visible(request.user, public_id)
    if permohonan.status == Status.DRAFT:
        raise Http404
    return permohonan


def _tracking_url(request, permohonan) -> str:
    path = reverse("perizinan:lacak") + f"?nomor={permohonan.number}"
    base = settings.SITE_URL or request.build_absolute_uri("/")
    return base.rstrip("/") + path


@never_cache
@login_required
def tanda_terima(request, public_id):
    permohonan = _submitted_visible(request, public_id)
    current = selectors.current_documents(permohonan)
    context = {
        "permohonan": permohonan,
        "is_owner": permohonan.applicant_id == request.user.pk,
        "expected_completion": selectors.expected_completion(permohonan),
        "documents": [
            current[r.pk]
            for r in selectors.requirements_of(permohonan.jenis_izin)
            if r.pk in current
        ],
        "tracking_url": _tracking_url(request, permohonan),
    }
    return render(request, "perizinan/tanda_terima.html", context)


@never_cache
@login_required
def tanda_terima_pdf(request, public_id):
    """The receipt as PDF: the applicant's own shows their PIN; anyone else (an officer) gets
    the office's copy, which never shows it."""
    permohonan = _submitted_visible(request, public_id)
    if permohonan.applicant_id == request.user.pk:
        return receipt_pdf_response(request, permohonan)
    return receipt_pdf_response(
        request,
        permohonan,
        pin=receipt.OFFICE_COPY_PIN,
        pin_note=receipt.OFFICE_COPY_NOTE,
        copy_label="Salinan kantor",
    )


def receipt_pdf_response(request, permohonan, **shown) -> HttpResponse:
    """The receipt PDF of ``permohonan``; ``shown`` overrides what it says about the PIN."""
    current = selectors.current_documents(permohonan)
    data = ReceiptData(
        number=permohonan.number,
        pin=shown.pop("pin", permohonan.pin),
        service_name=permohonan.jenis_izin.name,
        applicant_name=permohonan.applicant_name,
        submitted_at=permohonan.submitted_at,
        expected_completion=selectors.expected_completion(permohonan),
        tracking_url=_tracking_url(request, permohonan),
        documents=[
            r.name for r in selectors.requirements_of(permohonan.jenis_izin) if r.pk in current
        ],
        office_name=settings.OFFICE_NAME,
        regency_name=settings.REGENCY_NAME,
        **shown,
    )
    response = HttpResponse(render_receipt_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="tanda-terima-{permohonan.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@never_cache
@login_required
def dokumen_download(request, public_id):
    """Serve a document after the object check; staff access is logged for the applicant.
    A document held for the malware scanner or found infected is served to nobody."""
    visible = Permohonan.objects.visible_to(request.user)
    dokumen = (
        Dokumen.objects.servable()
        .select_related("permohonan", "persyaratan")
        .filter(public_id=public_id, permohonan__in=visible)
        .first()
    )
    if dokumen is None:
        raise Http404
    inline = request.GET.get("inline") == "1" and request.user.is_officer
    try:
        handle = dokumen.open()
    except FileNotFoundError:
        raise Http404 from None
    services.record_document_access(dokumen, user=request.user, inline=inline)
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=dokumen.original_name,
        content_type=dokumen.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
