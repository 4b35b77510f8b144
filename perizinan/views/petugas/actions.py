"""The POSTs of the file page, each one service call and a redirect back (Post/Redirect/Get;
invalid input shows the page again with the bound form, status 400): a workflow move, claims
(take, take the next, release, re-assign), internal notes, document verdicts and the BAP."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from perizinan import selectors, services
from perizinan.exceptions import WorkflowError
from perizinan.forms.petugas import BeritaAcaraForm, MoveForm, NoteForm, ReassignForm, VerdictForm
from perizinan.models import Permohonan
from perizinan.services import petugas as desk
from perizinan.services.deadlines import fix_working_days_default
from perizinan.views.petugas.common import error_text, file_url, officer_required
from perizinan.views.petugas.file_page import field_choices, render_file
from perizinan.workflow import get_transition, is_supervisor


@never_cache
@officer_required
@require_POST
def act(request, public_id, name):
    """Run one move from the file page (Post/Redirect/Get; errors re-render the page)."""
    permohonan = selectors.officer_file(request.user, public_id)
    move = get_transition(name)
    if move is None or move.system_only or move.is_applicant_move:
        raise Http404
    form = MoveForm(
        request.POST,
        move=move,
        permohonan=permohonan,
        field_choices=field_choices(permohonan),
        fix_days_default=fix_working_days_default(move.target),
    )
    if not form.is_valid():
        messages.error(request, _("Periksa isian tindakan “%(action)s”.") % {"action": move.label})
        return render_file(request, permohonan, bound={move.name: form}, status=400)
    try:
        result = services.transition(
            permohonan,
            name=move.name,
            actor=request.user,
            note=form.cleaned_data.get("note", ""),
            internal_note=form.cleaned_data.get("internal_note", ""),
            fields_to_fix=form.cleaned_data.get("fields_to_fix") or (),
            expected_version=form.cleaned_data["state_version"],
            data=form.data_for_service(),
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return render_file(request, permohonan, bound={move.name: form}, status=400)
    except WorkflowError as exc:
        messages.error(request, exc.message)
        return redirect(file_url(permohonan))
    messages.success(
        request,
        _("%(number)s: %(action)s. Status sekarang “%(status)s”.")
        % {
            "number": result.number,
            "action": move.label,
            "status": result.get_status_display(),
        },
    )
    if Permohonan.objects.visible_to(request.user).filter(pk=result.pk).exists():
        return redirect(file_url(result))
    return redirect("petugas:queue")


# --- Claims ------------------------------------------------------------------------------------


@officer_required
@require_POST
def claim(request, public_id):
    permohonan = selectors.officer_file(request.user, public_id)
    try:
        desk.claim_permohonan(permohonan, actor=request.user)
    except WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Berkas %(number)s Anda ambil.") % {"number": permohonan.number}
        )
    return redirect(file_url(permohonan))


@officer_required
@require_POST
def claim_next(request):
    taken = desk.claim_next(actor=request.user)
    if taken is None:
        messages.info(request, _("Tidak ada berkas yang menunggu diambil pada antrean Anda."))
        return redirect("petugas:queue")
    messages.success(request, _("Berkas %(number)s Anda ambil.") % {"number": taken.number})
    return redirect(file_url(taken))


@officer_required
@require_POST
def release(request, public_id):
    permohonan = selectors.officer_file(request.user, public_id)
    try:
        desk.release_permohonan(permohonan, actor=request.user)
    except WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Berkas dikembalikan ke antrean."))
    return redirect(file_url(permohonan))


@officer_required
@require_POST
def reassign(request, public_id):
    permohonan = selectors.officer_file(request.user, public_id)
    if not is_supervisor(request.user, permohonan):
        raise PermissionDenied(_("Hanya atasan yang dapat mengalihkan berkas."))
    form = ReassignForm(request.POST, colleagues=desk.colleagues_for(permohonan, request.user))
    if not form.is_valid():
        return render_file(request, permohonan, bound={"reassign": form}, status=400)
    try:
        desk.reassign_permohonan(
            permohonan,
            actor=request.user,
            to_user=form.selected_user(),
            reason=form.cleaned_data["reason"],
        )
    except (WorkflowError, ValidationError) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request, _("Berkas dialihkan kepada %(name)s.") % {"name": form.selected_user()}
        )
    return redirect(file_url(permohonan))


# --- Notes, verdicts, BAP ----------------------------------------------------------------------


@officer_required
@require_POST
def add_note(request, public_id):
    permohonan = selectors.officer_file(request.user, public_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return render_file(request, permohonan, bound={"note": form}, status=400)
    desk.add_internal_note(permohonan, actor=request.user, text=form.cleaned_data["text"])
    messages.success(request, _("Catatan internal tersimpan."))
    return redirect(file_url(permohonan) + "#riwayat")


@officer_required
@require_POST
def judge(request, public_id):
    dokumen = selectors.officer_document(request.user, public_id)
    permohonan = selectors.officer_file(request.user, dokumen.permohonan.public_id)
    form = VerdictForm(request.POST, prefix=f"v{dokumen.pk}")
    if not form.is_valid():
        return render_file(request, permohonan, bound={f"verdict-{dokumen.pk}": form}, status=400)
    try:
        desk.judge_document(
            dokumen,
            actor=request.user,
            verdict=form.cleaned_data["verdict"],
            note=form.cleaned_data["note"],
        )
    except (WorkflowError, ValidationError) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request, _("%(name)s: hasil pemeriksaan tersimpan.") % {"name": dokumen.persyaratan}
        )
    return redirect(file_url(permohonan) + f"#dok-{dokumen.persyaratan_id}")


@officer_required
@require_POST
def upload_bap(request, public_id):
    permohonan = selectors.officer_file(request.user, public_id)
    form = BeritaAcaraForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            report = desk.upload_berita_acara(
                permohonan,
                actor=request.user,
                inspected_on=form.cleaned_data["inspected_on"],
                summary=form.cleaned_data["summary"],
                uploaded_file=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        except WorkflowError as exc:
            messages.error(request, exc.message)
            return redirect(file_url(permohonan))
        else:
            messages.success(
                request,
                _("Berita acara pemeriksaan tersimpan dan menunggu pemindaian virus.")
                if report.is_waiting_for_scan
                else _("Berita acara pemeriksaan tersimpan."),
            )
            return redirect(file_url(permohonan) + "#bap")
    return render_file(request, permohonan, bound={"bap": form}, status=400)
