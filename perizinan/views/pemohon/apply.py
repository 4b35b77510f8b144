"""Applying: the "Ajukan" entry that opens (or resumes) a draft, the four steps (applicant
data, the service's fields, documents, review and submit; the same steps fix a file sent back
for correction), discarding a draft and withdrawing a submitted application."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.roles import Role
from perizinan import selectors, services
from perizinan.exceptions import WorkflowError
from perizinan.forms.pemohon import (
    ApplicantForm,
    ApplicantStepForm,
    DokumenUploadForm,
    ServiceFieldsForm,
    SubmitForm,
    WithdrawForm,
)
from perizinan.models import Permohonan
from perizinan.workflow import available_transitions

STEPS = (
    (1, gettext_lazy("Data pemohon")),
    (2, gettext_lazy("Isian layanan")),
    (3, gettext_lazy("Dokumen")),
    (4, gettext_lazy("Periksa dan ajukan")),
)


def _messages_from(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def permohonan_create(request, slug):
    """The "Ajukan" entry: GET explains, POST opens (or resumes) the draft."""
    service = selectors.get_published_service(slug)
    if request.user.role != Role.PEMOHON:
        raise PermissionDenied(_("Hanya akun pemohon yang dapat mengajukan permohonan."))
    existing = (
        Permohonan.objects.visible_to(request.user)
        .drafts()
        .filter(jenis_izin=service)
        .order_by("-updated_at")
        .first()
    )
    if request.method == "POST":
        try:
            draft = services.start_draft(applicant=request.user, jenis_izin=service)
        except WorkflowError as exc:
            messages.error(request, exc.message)
            return redirect("perizinan:permohonan_create", slug=slug)
        return redirect(_step_url(draft, min(draft.last_step + 1, 4)))
    context = {
        "service": service,
        "accepts": selectors.accepts_applications(service),
        "existing": existing,
        "requirements": selectors.requirements_of(service),
        "steps": STEPS,
    }
    return render(request, "perizinan/permohonan_start.html", context)


def _step_url(permohonan, step: int) -> str:
    return reverse(
        "perizinan:permohonan_step", kwargs={"public_id": permohonan.public_id, "step": step}
    )


def _after_save(request, permohonan, step: int):
    if "save_draft" in request.POST:
        messages.success(request, _("Draf tersimpan. Anda dapat melanjutkannya kapan saja."))
        return redirect("perizinan:permohonan_list")
    return redirect(_step_url(permohonan, step + 1))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def permohonan_step(request, public_id, step):
    permohonan = selectors.get_own(request.user, public_id)
    if not permohonan.is_editable:
        messages.info(request, _("Permohonan ini sudah diajukan dan tidak dapat diubah."))
        return redirect("perizinan:permohonan_detail", public_id=permohonan.public_id)
    if step not in (1, 2, 3, 4):
        raise Http404
    handler = {1: _step_applicant, 2: _step_fields, 3: _step_documents, 4: _step_review}[step]
    return handler(request, permohonan)


def _render_step(request, permohonan, step, context, status=200):
    context = {
        "permohonan": permohonan,
        "service": permohonan.jenis_izin,
        "steps": STEPS,
        "step": step,
        "step_label": dict(STEPS)[step],
        "correction": selectors.correction_request(permohonan),
        **context,
    }
    return render(request, f"perizinan/step_{step}.html", context, status=status)


def _step_applicant(request, permohonan):
    if request.method == "POST":
        form = ApplicantStepForm(request.POST)
        if form.is_valid():
            try:
                permohonan = services.save_applicant_data(
                    permohonan,
                    actor=request.user,
                    data=form.to_data(),
                    save_to_profile=form.cleaned_data["save_to_profile"],
                )
            except WorkflowError as exc:
                messages.error(request, exc.message)
                return redirect("perizinan:permohonan_detail", public_id=permohonan.public_id)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                return _after_save(request, permohonan, 1)
    else:
        form = ApplicantStepForm(initial=ApplicantForm.initial_from(permohonan.applicant_data))
    return _render_step(request, permohonan, 1, {"form": form})


def _step_fields(request, permohonan):
    definitions = selectors.form_fields_of(permohonan.jenis_izin)
    if request.method == "POST":
        form = ServiceFieldsForm(request.POST, definitions=definitions)
        if form.is_valid():
            try:
                permohonan = services.save_form_data(
                    permohonan, actor=request.user, data=form.to_data()
                )
            except WorkflowError as exc:
                messages.error(request, exc.message)
                return redirect("perizinan:permohonan_detail", public_id=permohonan.public_id)
            return _after_save(request, permohonan, 2)
    else:
        form = ServiceFieldsForm(initial=permohonan.form_data, definitions=definitions)
    return _render_step(request, permohonan, 2, {"form": form})


def _step_documents(request, permohonan):
    requirements = selectors.requirements_of(permohonan.jenis_izin)
    errors: dict[int, list[str]] = {}
    if request.method == "POST" and "file" not in request.FILES:
        if "persyaratan" in request.POST:
            errors = {_int(request.POST.get("persyaratan")): [_("Pilih berkas lebih dulu.")]}
        else:
            permohonan = services.mark_step(permohonan, actor=request.user, step=3)
            return _after_save(request, permohonan, 3)
    elif request.method == "POST":
        form = DokumenUploadForm(request.POST, request.FILES)
        by_id = {r.pk: r for r in requirements}
        requirement = by_id.get(_int(request.POST.get("persyaratan")))
        if not form.is_valid() or requirement is None:
            raise Http404
        try:
            dokumen = services.upload_document(
                permohonan,
                actor=request.user,
                persyaratan=requirement,
                uploaded_file=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            errors = {requirement.pk: _messages_from(exc)}
        except WorkflowError as exc:
            messages.error(request, exc.message)
            return redirect("perizinan:permohonan_detail", public_id=permohonan.public_id)
        else:
            saved = (
                _("%(name)s: dokumen tersimpan dan menunggu pemindaian virus.")
                if dokumen.is_waiting_for_scan
                else _("%(name)s: dokumen tersimpan.")
            )
            messages.success(request, saved % {"name": requirement.name})
            return redirect(_step_url(permohonan, 3) + f"#req-{requirement.pk}")
    current = selectors.current_documents(permohonan)
    rows = [
        {"requirement": r, "document": current.get(r.pk), "errors": errors.get(r.pk, [])}
        for r in requirements
    ]
    return _render_step(
        request,
        permohonan,
        3,
        {"rows": rows, "has_errors": bool(errors)},
        status=400 if errors else 200,
    )


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _step_review(request, permohonan):
    errors: list[str] = []
    if request.method == "POST":
        form = SubmitForm(request.POST)
        if form.is_valid():
            was_draft = permohonan.is_draft
            try:
                result = services.submit_permohonan(
                    permohonan,
                    actor=request.user,
                    declaration_accepted=form.cleaned_data["declaration"],
                    expected_version=form.cleaned_data["state_version"],
                )
            except ValidationError as exc:
                errors = _messages_from(exc)
            except WorkflowError as exc:
                messages.error(request, exc.message)
                return redirect("perizinan:permohonan_detail", public_id=permohonan.public_id)
            else:
                if was_draft:
                    messages.success(
                        request,
                        _("Permohonan Anda diajukan dengan nomor %(number)s.")
                        % {"number": result.number},
                    )
                    return redirect("perizinan:tanda_terima", public_id=result.public_id)
                messages.success(request, _("Perbaikan Anda terkirim kepada petugas."))
                return redirect("perizinan:permohonan_detail", public_id=result.public_id)
    else:
        form = SubmitForm(initial={"state_version": permohonan.state_version})
    definitions = selectors.form_fields_of(permohonan.jenis_izin)
    current = selectors.current_documents(permohonan)
    context = {
        "form": form,
        "errors": errors,
        "missing": services.missing_for_submission(permohonan),
        "field_rows": [(d.label, permohonan.form_data.get(d.key, "")) for d in definitions],
        "document_rows": [
            (r, current.get(r.pk)) for r in selectors.requirements_of(permohonan.jenis_izin)
        ],
        "data": permohonan.applicant_data,
    }
    return _render_step(request, permohonan, 4, context, status=400 if errors else 200)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def permohonan_discard(request, public_id):
    """Delete a draft, after the applicant confirmed it on this page (GET asks, POST deletes):
    a draft and its documents cannot be brought back."""
    permohonan = selectors.get_own(request.user, public_id)
    if request.method == "GET":
        if not permohonan.is_draft:
            raise Http404
        context = {"permohonan": permohonan, "documents": permohonan.dokumen.count()}
        return render(request, "perizinan/discard.html", context)
    try:
        services.discard_draft(permohonan, actor=request.user)
    except WorkflowError as exc:
        messages.error(request, exc.message)
        return redirect("perizinan:permohonan_detail", public_id=permohonan.public_id)
    messages.success(request, _("Draf dihapus."))
    return redirect("perizinan:permohonan_list")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def permohonan_withdraw(request, public_id):
    permohonan = selectors.get_own(request.user, public_id)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_permohonan(
                permohonan, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except WorkflowError as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            messages.error(request, " ".join(_messages_from(exc)))
        else:
            messages.success(
                request, _("Permohonan %(number)s dibatalkan.") % {"number": permohonan.number}
            )
        return redirect("perizinan:permohonan_detail", public_id=permohonan.public_id)
    can_withdraw = any(
        t.name == "withdraw" for t in available_transitions(permohonan, request.user)
    )
    return render(
        request,
        "perizinan/withdraw.html",
        {"permohonan": permohonan, "form": form, "can_withdraw": can_withdraw},
    )
