"""The file page (/petugas/berkas/<id>/): the application and its service fields, the
documents with their verdict forms, the moves this officer may make now, claims and
re-assignment, internal notes, the BAP, the head's signing button, the permit and the history.

``render_file`` is also how the POSTs in ``actions`` show the page again with a bound form
when the input is invalid.
"""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.roles import Role
from perizinan import selectors
from perizinan.forms.petugas import (
    BeritaAcaraForm,
    MoveForm,
    NoteForm,
    ReassignForm,
    VerdictForm,
)
from perizinan.models import Izin, SuratPenolakan
from perizinan.services import izin as izin_services
from perizinan.services import petugas as desk
from perizinan.services.actor import may_act_for_applicant
from perizinan.services.deadlines import deadline_of, fix_working_days_default
from perizinan.views.petugas.common import officer_required
from perizinan.workdays import default_calendar
from perizinan.workflow import (
    SYSTEM,
    WAITING_FOR_APPLICANT,
    Status,
    available_transitions,
    is_supervisor,
)


def field_choices(permohonan) -> list[tuple[str, str]]:
    fields = [(f.key, f.label) for f in selectors.form_fields_of(permohonan.jenis_izin)]
    return [("applicant", _("Data pemohon")), *fields]


def _move_forms(request, permohonan, bound: dict | None = None) -> list[dict]:
    bound = bound or {}
    moves = []
    for move in available_transitions(permohonan, request.user):
        if move.is_applicant_move:
            continue
        form = bound.get(move.name) or MoveForm(
            initial={"state_version": permohonan.state_version},
            move=move,
            permohonan=permohonan,
            field_choices=field_choices(permohonan),
            fix_days_default=fix_working_days_default(move.target),
        )
        moves.append({"move": move, "form": form})
    return moves


def _sign_url(request, permohonan) -> str | None:
    """The head's "Tanda tangani" button, when this head may sign this file now (not on a file
    the tim teknis recommends rejecting: ``issue``'s check in the workflow table)."""
    if not izin_services.may_sign(permohonan, request.user):
        return None
    if not izin_services.ISSUE.can_be_made_on(permohonan):
        return None
    return reverse("petugas:sign", kwargs={"public_id": permohonan.public_id})


def _izin_links(permohonan) -> tuple[Izin | None, str | None]:
    try:
        izin = permohonan.izin
    except Izin.DoesNotExist:
        return None, None
    return izin, reverse("perizinan:izin_download", kwargs={"public_id": permohonan.public_id})


def _rejection_letter_links(permohonan) -> tuple[SuratPenolakan | None, str | None]:
    """The signed rejection letter of a rejected file (a front-office refusal has none)."""
    if permohonan.status != Status.DITOLAK:
        return None, None
    try:
        letter = permohonan.surat_penolakan
    except SuratPenolakan.DoesNotExist:
        return None, None
    return letter, reverse(
        "perizinan:surat_penolakan_download", kwargs={"public_id": permohonan.public_id}
    )


def render_file(request, permohonan, *, bound: dict | None = None, status: int = 200):
    user = request.user
    bound = bound or {}
    today = timezone.localdate()
    calendar = default_calendar()
    current = selectors.current_documents(permohonan)
    requirements = selectors.requirements_of(permohonan.jenis_izin)
    doc_rows = []
    for r in requirements:
        doc = current.get(r.pk)
        form = None
        if doc is not None:
            form = bound.get(f"verdict-{doc.pk}") or VerdictForm(prefix=f"v{doc.pk}")
        doc_rows.append({"requirement": r, "document": doc, "form": form})
    supervisor = is_supervisor(user, permohonan)
    colleagues = desk.colleagues_for(permohonan, user) if supervisor else []
    izin, izin_url = _izin_links(permohonan)
    rejection_letter, rejection_letter_url = _rejection_letter_links(permohonan)
    context = {
        "permohonan": permohonan,
        "service": permohonan.jenis_izin,
        "data": permohonan.applicant_data or {},
        "field_rows": [
            (f.label, (permohonan.form_data or {}).get(f.key, ""))
            for f in selectors.form_fields_of(permohonan.jenis_izin)
        ],
        "doc_rows": doc_rows,
        "old_documents": [d for d in selectors.document_history(permohonan) if not d.is_current],
        "may_judge": desk.may_judge_documents(permohonan, user),
        "moves": _move_forms(request, permohonan, bound),
        "deadline": deadline_of(permohonan, calendar, today),
        "stage_deadline_days": (
            calendar.days_left(permohonan.stage_due_date, today)
            if permohonan.stage_due_date
            else None
        ),
        "clock_stopped": permohonan.status in WAITING_FOR_APPLICANT,
        "history": selectors.officer_history(permohonan),
        "note_form": bound.get("note") or NoteForm(),
        "may_claim": permohonan.assigned_to_id is None and desk.may_claim(permohonan, user),
        "may_release": permohonan.assigned_to_id is not None
        and (permohonan.assigned_to_id == user.pk or supervisor),
        "is_supervisor": supervisor,
        "reassign_form": bound.get("reassign") or ReassignForm(colleagues=colleagues),
        "colleagues": colleagues,
        "reports": list(permohonan.berita_acara.select_related("uploaded_by")),
        "may_upload_bap": user.role == Role.TIM_TEKNIS
        and permohonan.status == Status.KAJIAN_TEKNIS,
        "bap_form": bound.get("bap") or BeritaAcaraForm(),
        "sign_url": _sign_url(request, permohonan),
        "izin": izin,
        "izin_url": izin_url,
        "pin_receipt": desk.pin_receipt_state(permohonan, user),
        "may_fix_for_applicant": permohonan.is_editable
        and not permohonan.is_draft
        and may_act_for_applicant(permohonan, user),
        "rejection_letter": rejection_letter,
        "rejection_letter_url": rejection_letter_url,
        "SYSTEM": SYSTEM,
    }
    return render(request, "perizinan/petugas/file.html", context, status=status)


@never_cache
@officer_required
@require_GET
def file_detail(request, public_id):
    permohonan = selectors.officer_file(request.user, public_id)
    return render_file(request, permohonan)
