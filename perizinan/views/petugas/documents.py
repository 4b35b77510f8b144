"""An applicant's documents and the BAPs, opened by an officer from the file page: inline in
the page (the browser's own PDF and image viewer, under a policy that lets nothing in the
document run) or as a download. Every view of an applicant's document is written to
``AksesDokumen``, so the applicant sees who looked."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from perizinan import selectors, services
from perizinan.views.petugas.common import officer_required

#: Inline view for officers: the browser's PDF viewer and images must render inside our own
#: page (an iframe of the same origin), so no ``sandbox`` (it blocks Chromium's PDF viewer);
#: nothing may run or load from the document itself.
INLINE_CSP = (
    "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'"
)
#: Download: an attachment, sandboxed in case a browser renders it anyway.
DOWNLOAD_CSP = "sandbox; default-src 'none'"


def _serve(handle, *, inline: bool, filename: str, content_type: str):
    response = FileResponse(
        handle, as_attachment=not inline, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    if inline:
        response["Content-Security-Policy"] = INLINE_CSP
        response["X-Frame-Options"] = "SAMEORIGIN"
    else:
        response["Content-Security-Policy"] = DOWNLOAD_CSP
    return response


@never_cache
@officer_required
@require_GET
def document(request, public_id):
    """An applicant's document for an officer: inline (``?inline=1``) or as a download.
    Every view and download is written to ``AksesDokumen`` (the applicant sees who looked)."""
    dokumen = selectors.officer_document(request.user, public_id)
    inline = request.GET.get("inline") == "1"
    try:
        handle = dokumen.open()
    except FileNotFoundError:
        raise Http404 from None
    services.record_document_access(dokumen, user=request.user, inline=inline)
    return _serve(
        handle, inline=inline, filename=dokumen.original_name, content_type=dokumen.content_type
    )


@never_cache
@officer_required
@require_GET
def berita_acara(request, public_id):
    report = selectors.officer_berita_acara(request.user, public_id)
    try:
        handle = report.open()
    except FileNotFoundError:
        raise Http404 from None
    inline = request.GET.get("inline") == "1"
    return _serve(
        handle, inline=inline, filename=report.original_name, content_type=report.content_type
    )
