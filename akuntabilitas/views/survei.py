"""The satisfaction survey: the invited applicant's form (by token, closed once used or
expired), the general form at the counter (rate limited per client), the thank-you page and
the QR code of the general form. Answers go through ``services.survei``."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from akuntabilitas.forms import SurveiForm
from akuntabilitas.services import survei
from akuntabilitas.views import too_many_attempts
from perizinan.throttle import client_ip, hit

SURVEY_LIMIT, SURVEY_WINDOW = 30, 60 * 60


@never_cache
@require_http_methods(["GET", "POST"])
def survei_token(request, token):
    invitation = survei.open_invitation(token)
    if invitation is None:
        return render(request, "akuntabilitas/survei_closed.html", status=410)
    form = SurveiForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                survei.submit_survey(
                    answers=form.answers(),
                    profile=form.profile(),
                    comment=form.cleaned_data["comment"],
                    token=token,
                )
            except ValidationError:
                return render(request, "akuntabilitas/survei_closed.html", status=410)
            return redirect("akuntabilitas:survei_terima_kasih")
        status = 400
    return render(
        request,
        "akuntabilitas/survei_form.html",
        {"form": form, "service": invitation.permohonan.jenis_izin, "general": False},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def survei_umum(request):
    form = SurveiForm(request.POST or None, general=True)
    status = 200
    if request.method == "POST":
        if not hit("survei", client_ip(request), limit=SURVEY_LIMIT, window_seconds=SURVEY_WINDOW):
            too_many_attempts(request, SURVEY_WINDOW // 60)
            status = 429
        elif form.is_valid():
            survei.submit_survey(
                answers=form.answers(),
                profile=form.profile(),
                comment=form.cleaned_data["comment"],
                jenis_izin=form.cleaned_data.get("jenis_izin"),
            )
            return redirect("akuntabilitas:survei_terima_kasih")
        else:
            status = 400
    return render(
        request,
        "akuntabilitas/survei_form.html",
        {"form": form, "general": True},
        status=status,
    )


@require_GET
def survei_terima_kasih(request):
    return render(request, "akuntabilitas/survei_terima_kasih.html")


@require_GET
def survei_qr(request):
    """A QR code (SVG) of the general survey's address, for the counter."""
    url = settings.SITE_URL.rstrip("/") + reverse("akuntabilitas:survei_umum")
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    out = io.BytesIO()
    image.save(out)
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response
