"""The officers' desk (/petugas/): dashboard, queues, the file page, the moves, claims, notes,
verdicts, the BAP, documents viewed in the page, and the counter's assisted entry.

Thin: reads through ``selectors``, changes through ``services``; every object through
``Permohonan.objects.visible_to``. Who may do what is asked of ``perizinan.workflow``.
Officers' roles and admins enter; everyone else gets 403.
"""

from __future__ import annotations

import uuid
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import Role
from config import page_cache
from perizinan import selectors, services
from perizinan.exceptions import WorkflowError
from perizinan.forms.pemohon import ServiceFieldsForm
from perizinan.forms.petugas import (
    AssistedApplicantForm,
    AssistedDocumentsForm,
    BeritaAcaraForm,
    CounterLookupForm,
    MoveForm,
    NoteForm,
    QueueFilterForm,
    ReassignForm,
    VerdictForm,
)
from perizinan.models import Permohonan
from perizinan.services import petugas as desk
from perizinan.services.deadlines import deadline_of, fix_working_days_default
from perizinan.workdays import default_calendar
from perizinan.workflow import (
    SYSTEM,
    WAITING_FOR_APPLICANT,
    Status,
    available_transitions,
    get_transition,
    is_supervisor,
    statuses_for_role,
)

QUEUE_PAGE_SIZE = 25
#: How long a rendered queue page may be served again (``config.page_cache``; any change to a
#: file makes it stale at once).
QUEUE_CACHE_SECONDS = 300


def officer_required(view):
    """Logged in, and an officer or an admin; otherwise 403."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not (user.is_officer or user.role == Role.ADMIN):
            raise PermissionDenied(_("Halaman ini khusus petugas."))
        return view(request, *args, **kwargs)

    return wrapper


def _error_text(exc) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    return str(getattr(exc, "message", exc))


def _file_url(permohonan) -> str:
    return reverse("petugas:file", kwargs={"public_id": permohonan.public_id})


def _with_file_urls(rows) -> None:
    """``row.file_url`` for each row, from one ``reverse()``: a ``{% url %}`` per row was a
    measurable part of the queue page's cost."""
    marker = uuid.UUID(int=0)
    head, tail = reverse("petugas:file", kwargs={"public_id": marker}).split(str(marker))
    for row in rows:
        row.file_url = f"{head}{row.public_id}{tail}"


# --- Dashboard and queues ----------------------------------------------------------------------


@never_cache
@officer_required
@require_GET
def dashboard(request):
    user = request.user
    counts = selectors.dashboard_counts(user)
    own = statuses_for_role(user.role)
    cards = [
        {
            "status": status,
            "label": Status(status).label,
            "count": n,
            "unassigned": counts["unassigned"].get(status, 0),
            "is_work": status in own,
        }
        for status, n in counts["by_status"].items()
    ]
    context = {
        "counts": counts,
        "cards": cards,
        "mine": selectors.my_open_count(user),
        "own_statuses": own,
        "may_enter_at_counter": user.role == Role.FRONT_OFFICE,
        "sign_queue_url": _reverse_or_none("petugas:sign_queue"),
    }
    return render(request, "perizinan/petugas/dashboard.html", context)


def _bell(request) -> str:
    from notifikasi.services import unread_count

    return str(unread_count(request.user))


@never_cache
@officer_required
@require_GET
@page_cache.per_session(seconds=QUEUE_CACHE_SECONDS, vary=_bell)
def queue(request):
    user = request.user
    form = QueueFilterForm(request.GET or None)
    values = form.values()
    today = timezone.localdate()
    qs = selectors.officer_queue(user, today=today, **values)
    page = selectors.queue_page(
        qs,
        after=request.GET.get("setelah", ""),
        before=request.GET.get("sebelum", ""),
        per_page=QUEUE_PAGE_SIZE,
    )
    selectors.with_deadlines(page.rows, today=today)
    _with_file_urls(page.rows)
    query = request.GET.copy()
    for key in ("setelah", "sebelum", "hal"):
        query.pop(key, None)
    context = {
        "form": form,
        "page": page,
        "rows": page.rows,
        "querystring": query.urlencode(),
        "view": values["view"],
        "may_claim_next": bool(statuses_for_role(user.role)),
        "today": today,
    }
    return render(request, "perizinan/petugas/queue.html", context)


def _reverse_or_none(name: str, **kwargs) -> str | None:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


# --- The file page -----------------------------------------------------------------------------


def _field_choices(permohonan) -> list[tuple[str, str]]:
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
            field_choices=_field_choices(permohonan),
            fix_days_default=fix_working_days_default(),
        )
        moves.append({"move": move, "form": form})
    return moves


def _sign_url(request, permohonan) -> str | None:
    """The head's "Tanda tangani" button (the signing service and its URL are part B's)."""
    if permohonan.status != Status.PENANDATANGANAN or request.user.role != Role.KEPALA:
        return None
    move = get_transition("issue")
    if move is None or not move.allows_role(request.user.role):
        return None
    if not Permohonan.objects.visible_to(request.user).filter(pk=permohonan.pk).exists():
        return None
    return _reverse_or_none("petugas:sign", public_id=permohonan.public_id)


def _izin_links(permohonan) -> tuple[object | None, str | None]:
    izin = getattr(permohonan, "izin", None)
    if izin is None:
        return None, None
    return izin, _reverse_or_none("perizinan:izin_download", public_id=permohonan.public_id)


def _render_file(request, permohonan, *, bound: dict | None = None, status: int = 200):
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
        "show_pin": permohonan.assisted_by_id == user.pk,
        "SYSTEM": SYSTEM,
    }
    return render(request, "perizinan/petugas/file.html", context, status=status)


@never_cache
@officer_required
@require_GET
def file_detail(request, public_id):
    permohonan = selectors.officer_file(request.user, public_id)
    return _render_file(request, permohonan)


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
        field_choices=_field_choices(permohonan),
        fix_days_default=fix_working_days_default(),
    )
    if not form.is_valid():
        messages.error(request, _("Periksa isian tindakan “%(action)s”.") % {"action": move.label})
        return _render_file(request, permohonan, bound={move.name: form}, status=400)
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
        return _render_file(request, permohonan, bound={move.name: form}, status=400)
    except WorkflowError as exc:
        messages.error(request, exc.message)
        return redirect(_file_url(permohonan))
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
        return redirect(_file_url(result))
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
    return redirect(_file_url(permohonan))


@officer_required
@require_POST
def claim_next(request):
    taken = desk.claim_next(actor=request.user)
    if taken is None:
        messages.info(request, _("Tidak ada berkas yang menunggu diambil pada antrean Anda."))
        return redirect("petugas:queue")
    messages.success(request, _("Berkas %(number)s Anda ambil.") % {"number": taken.number})
    return redirect(_file_url(taken))


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
    return redirect(_file_url(permohonan))


@officer_required
@require_POST
def reassign(request, public_id):
    permohonan = selectors.officer_file(request.user, public_id)
    if not is_supervisor(request.user, permohonan):
        raise PermissionDenied(_("Hanya atasan yang dapat mengalihkan berkas."))
    form = ReassignForm(request.POST, colleagues=desk.colleagues_for(permohonan, request.user))
    if not form.is_valid():
        return _render_file(request, permohonan, bound={"reassign": form}, status=400)
    try:
        desk.reassign_permohonan(
            permohonan,
            actor=request.user,
            to_user=form.selected_user(),
            reason=form.cleaned_data["reason"],
        )
    except (WorkflowError, ValidationError) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request, _("Berkas dialihkan kepada %(name)s.") % {"name": form.selected_user()}
        )
    return redirect(_file_url(permohonan))


# --- Notes, verdicts, BAP ----------------------------------------------------------------------


@officer_required
@require_POST
def add_note(request, public_id):
    permohonan = selectors.officer_file(request.user, public_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _render_file(request, permohonan, bound={"note": form}, status=400)
    desk.add_internal_note(permohonan, actor=request.user, text=form.cleaned_data["text"])
    messages.success(request, _("Catatan internal tersimpan."))
    return redirect(_file_url(permohonan) + "#riwayat")


@officer_required
@require_POST
def judge(request, public_id):
    dokumen = selectors.officer_document(request.user, public_id)
    permohonan = selectors.officer_file(request.user, dokumen.permohonan.public_id)
    form = VerdictForm(request.POST, prefix=f"v{dokumen.pk}")
    if not form.is_valid():
        return _render_file(request, permohonan, bound={f"verdict-{dokumen.pk}": form}, status=400)
    try:
        desk.judge_document(
            dokumen,
            actor=request.user,
            verdict=form.cleaned_data["verdict"],
            note=form.cleaned_data["note"],
        )
    except (WorkflowError, ValidationError) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request, _("%(name)s: hasil pemeriksaan tersimpan.") % {"name": dokumen.persyaratan}
        )
    return redirect(_file_url(permohonan) + f"#dok-{dokumen.persyaratan_id}")


@officer_required
@require_POST
def upload_bap(request, public_id):
    permohonan = selectors.officer_file(request.user, public_id)
    form = BeritaAcaraForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            desk.upload_berita_acara(
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
            return redirect(_file_url(permohonan))
        else:
            messages.success(request, _("Berita acara pemeriksaan tersimpan."))
            return redirect(_file_url(permohonan) + "#bap")
    return _render_file(request, permohonan, bound={"bap": form}, status=400)


# --- Documents in the page ---------------------------------------------------------------------

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


# --- Assisted entry at the counter -------------------------------------------------------------


def _front_office(request):
    if request.user.role != Role.FRONT_OFFICE:
        raise PermissionDenied(_("Entri berbantuan dilakukan petugas front office."))


@never_cache
@officer_required
@require_GET
def counter(request):
    """The counter: pick the service for a walk-in applicant."""
    _front_office(request)
    services_list = selectors.open_services_for_counter(request.user)
    return render(
        request,
        "perizinan/petugas/counter.html",
        {"services": services_list, "lookup": CounterLookupForm(request.GET or None)},
    )


@never_cache
@officer_required
@require_http_methods(["GET", "POST"])
def counter_entry(request, slug):
    """One page: the applicant, the service's fields, the documents, the declaration."""
    _front_office(request)
    service = next(
        (s for s in selectors.open_services_for_counter(request.user) if s.slug == slug), None
    )
    if service is None:
        raise Http404
    definitions = selectors.form_fields_of(service)
    requirements = selectors.requirements_of(service)
    found = None
    errors: list[str] = []
    if request.method == "POST":
        applicant_form = AssistedApplicantForm(request.POST, prefix="p")
        fields_form = ServiceFieldsForm(request.POST, prefix="f", definitions=definitions)
        docs_form = AssistedDocumentsForm(
            request.POST, request.FILES, prefix="d", requirements=requirements
        )
        if applicant_form.is_valid() and fields_form.is_valid() and docs_form.is_valid():
            try:
                result = desk.create_assisted_application(
                    officer=request.user,
                    jenis_izin=service,
                    applicant_data=applicant_form.to_data(),
                    email=applicant_form.cleaned_data.get("email", ""),
                    form_data=fields_form.to_data(),
                    files=docs_form.files_by_requirement(),
                    declaration_accepted=docs_form.cleaned_data["declaration"],
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for key, messages_ in exc.message_dict.items():
                        target = docs_form if key.startswith("dok_") else applicant_form
                        target.add_error(key if key in target.fields else None, messages_)
                else:
                    errors = list(exc.messages)
            except WorkflowError as exc:
                errors = [exc.message]
            else:
                permohonan = result.permohonan
                messages.success(
                    request,
                    _(
                        "Permohonan %(number)s diajukan atas nama %(name)s. Serahkan tanda "
                        "terima dan PIN %(pin)s kepada pemohon."
                    )
                    % {
                        "number": permohonan.number,
                        "name": permohonan.applicant_name,
                        "pin": permohonan.pin,
                    },
                )
                return redirect(_file_url(permohonan))
    else:
        lookup = CounterLookupForm(request.GET or None)
        initial = {}
        if lookup.is_valid() and lookup.cleaned_data["identifier"]:
            found = desk.find_applicant(lookup.cleaned_data["identifier"])
            if found is not None:
                initial = services.profile_prefill(found)
                initial = {**AssistedApplicantForm.initial_from(initial), "email": found.email}
            else:
                messages.info(
                    request,
                    _("Akun pemohon tidak ditemukan; isi data untuk membuat akun baru."),
                )
        applicant_form = AssistedApplicantForm(prefix="p", initial=initial)
        fields_form = ServiceFieldsForm(prefix="f", definitions=definitions)
        docs_form = AssistedDocumentsForm(prefix="d", requirements=requirements)
    has_errors = bool(errors or applicant_form.errors or fields_form.errors or docs_form.errors)
    context = {
        "service": service,
        "applicant_form": applicant_form,
        "fields_form": fields_form,
        "docs_form": docs_form,
        "errors": errors,
        "found": found,
        "has_errors": has_errors,
    }
    return render(
        request, "perizinan/petugas/counter_entry.html", context, status=400 if has_errors else 200
    )
