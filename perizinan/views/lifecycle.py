"""A permit's life after issue, for its holder (and, for copies, the head and the admin):
start a renewal or an amendment (a prefilled draft), ask for a copy (salinan), download it.

Thin: reads through ``perizinan.selectors.izin``, changes through
``perizinan.services.lifecycle``.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import Role
from perizinan.exceptions import WorkflowError
from perizinan.selectors import izin as selectors
from perizinan.services import lifecycle
from perizinan.views.izin import _file_safe, _pdf_response


class CopyForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Alasan permintaan salinan"),
        min_length=lifecycle.COPY_REASON_MIN,
        max_length=300,
        help_text=gettext_lazy("Mis. izin asli hilang atau rusak."),
    )


def _file_page(izin) -> str:
    return reverse("perizinan:permohonan_detail", kwargs={"public_id": izin.permohonan.public_id})


def _back(request, izin) -> str:
    """The holder goes back to their file, the head and the admin to the permits list."""
    if izin.permohonan.applicant_id == request.user.pk:
        return _file_page(izin)
    return reverse("petugas:izin_list")


def _start(request, public_id, start):
    if request.user.role != Role.PEMOHON:  # renewals and amendments are the holder's
        raise PermissionDenied
    izin = selectors.izin_in_view(request.user, public_id)
    try:
        draft = start(izin, actor=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect(_file_page(izin))
    messages.success(
        request,
        _(
            "Draf %(kind)s izin %(number)s dibuat dari data izin tersebut. Periksa setiap "
            "langkah, ganti dokumen yang sudah berubah, lalu ajukan."
        )
        % {"kind": draft.get_kind_display().lower(), "number": izin.number},
    )
    return redirect("perizinan:permohonan_step", public_id=draft.public_id, step=1)


@never_cache
@login_required
@require_POST
def izin_renew(request, public_id):
    return _start(request, public_id, lifecycle.start_renewal)


@never_cache
@login_required
@require_POST
def izin_amend(request, public_id):
    return _start(request, public_id, lifecycle.start_amendment)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def izin_copy(request, public_id):
    izin = selectors.izin_in_view(request.user, public_id)
    refusal = lifecycle.copy_refusal(izin, request.user)
    if refusal:
        raise Http404
    form = CopyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            copy = lifecycle.issue_copy(
                izin, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error("reason", error)
        except WorkflowError as error:
            messages.error(request, str(error))
            return redirect(_back(request, izin))
        else:
            messages.success(
                request,
                _("Salinan ke-%(n)s izin %(number)s diterbitkan.")
                % {"n": copy.sequence, "number": izin.number},
            )
            return redirect(_back(request, izin))
    context = {"izin": izin, "form": form, "back_url": _back(request, izin)}
    return render(request, "perizinan/izin/salinan.html", context)


@never_cache
@login_required
@require_GET
def salinan_download(request, public_id):
    copy = selectors.copy_for_download(request.user, public_id)
    try:
        handle = copy.open()
    except FileNotFoundError:
        raise Http404 from None
    return _pdf_response(
        handle, filename=f"salinan-{copy.sequence}-izin-{_file_safe(copy.izin.number)}.pdf"
    )
