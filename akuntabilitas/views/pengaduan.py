"""Complaint pages. Public: file a complaint (rate limited per client), the ticket and PIN
shown once, follow a complaint by ticket and PIN, the public register without personal data.
Officers: the queue, a complaint with the moves this officer may make now, a move (POST,
through ``services.pengaduan``) and the attachment download."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.generic import ListView

from akuntabilitas import statistik
from akuntabilitas.forms import PengaduanForm, PengaduanMoveForm, TicketForm
from akuntabilitas.models import OPEN_COMPLAINT_STATES, Pengaduan, PengaduanStatus
from akuntabilitas.services import pengaduan as complaints
from akuntabilitas.views import too_many_attempts
from perizinan.exceptions import WorkflowError
from perizinan.models import private_storage
from perizinan.throttle import client_ip, hit

COMPLAINT_LIMIT, COMPLAINT_WINDOW = 5, 60 * 60
TICKET_LIMIT, TICKET_WINDOW = 10, 10 * 60
SESSION_TICKET = "akuntabilitas.ticket"


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


# --- Public ---------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def pengaduan_create(request):
    status = 200
    if request.method == "POST":
        form = PengaduanForm(request.POST, request.FILES, user=request.user)
        if not hit(
            "pengaduan", client_ip(request), limit=COMPLAINT_LIMIT, window_seconds=COMPLAINT_WINDOW
        ):
            too_many_attempts(request, COMPLAINT_WINDOW // 60)
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                ticket = complaints.file_pengaduan(
                    topic=data["topic"],
                    title=data["title"],
                    description=data["description"],
                    jenis_izin=data.get("jenis_izin"),
                    permohonan_number=data.get("permohonan_number", ""),
                    anonymous=data.get("anonymous", False),
                    reporter=request.user if request.user.is_authenticated else None,
                    name=data.get("name", ""),
                    email=data.get("email", ""),
                    phone=data.get("phone", ""),
                    attachment=data.get("attachment"),
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field_name, errs in exc.message_dict.items():
                        target = field_name if field_name in form.fields else None
                        for e in errs:
                            form.add_error(target, e)
                else:
                    for e in _errors(exc):
                        form.add_error("attachment" if data.get("attachment") else None, e)
                status = 400
            else:
                request.session[SESSION_TICKET] = {
                    "number": ticket.pengaduan.number,
                    "pin": ticket.pin,
                    "due": ticket.pengaduan.due_date.isoformat(),
                }
                return redirect("akuntabilitas:pengaduan_terkirim")
        else:
            status = 400
    else:
        form = PengaduanForm(user=request.user)
    return render(
        request,
        "akuntabilitas/pengaduan_form.html",
        {"form": form, "lapor_url": settings.SP4N_LAPOR_URL},
        status=status,
    )


@never_cache
@require_GET
def pengaduan_terkirim(request):
    """The ticket number and PIN, shown once (Post/Redirect/Get; the PIN leaves the session)."""
    ticket = request.session.pop(SESSION_TICKET, None)
    if ticket is None:
        return redirect("akuntabilitas:pengaduan_lacak")
    due = dt.date.fromisoformat(ticket["due"])
    return render(request, "akuntabilitas/pengaduan_terkirim.html", {"ticket": ticket, "due": due})


@never_cache
@require_http_methods(["GET", "POST"])
def pengaduan_lacak(request):
    result, status = None, 200
    if request.method == "POST":
        form = TicketForm(request.POST)
        if not hit(
            "pengaduan-lacak", client_ip(request), limit=TICKET_LIMIT, window_seconds=TICKET_WINDOW
        ):
            form = TicketForm(initial={"number": request.POST.get("number", "")[:30]})
            too_many_attempts(request, TICKET_WINDOW // 60)
            status = 429
        elif form.is_valid():
            result = complaints.find_by_ticket(
                form.cleaned_data["number"], form.cleaned_data["pin"]
            )
            if result is None:
                form.add_error(None, _("Nomor tiket atau PIN tidak cocok."))
            else:
                form = TicketForm(initial={"number": result.number})
    else:
        form = TicketForm(initial={"number": request.GET.get("tiket", "")[:30]})
    context = {"form": form, "result": result, "lapor_url": settings.SP4N_LAPOR_URL}
    if result is not None:
        context["history"] = list(result.riwayat.all())
    return render(request, "akuntabilitas/pengaduan_lacak.html", context, status=status)


class PengaduanRegisterView(ListView):
    """The public register: every complaint, without personal data, with its times."""

    template_name = "akuntabilitas/pengaduan_register.html"
    context_object_name = "rows"
    paginate_by = 25

    def get_queryset(self):
        return (
            Pengaduan.objects.select_related("jenis_izin", "opd")
            .only(
                "number",
                "topic",
                "status",
                "received_at",
                "due_date",
                "answered_at",
                "response_days",
                "answered_on_time",
                "jenis_izin__name",
                "opd__short_name",
            )
            .order_by("-received_at", "-id")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["stats"] = statistik.complaint_stats(today.year, today)
        context["year"] = today.year
        context["today"] = today
        context["lapor_url"] = settings.SP4N_LAPOR_URL
        return context


# --- Officers -----------------------------------------------------------------------------------


def _require_complaint_reader(user):
    if not complaints.can_read(user):
        raise PermissionDenied


@never_cache
@login_required
@require_GET
def pengaduan_queue(request):
    _require_complaint_reader(request.user)
    status = request.GET.get("status", "terbuka")
    qs = complaints.queue_for(request.user, status=status)
    today = timezone.localdate()
    counts = Pengaduan.objects.visible_to(request.user).aggregate(
        terbuka=Count("id", filter=Q(status__in=list(OPEN_COMPLAINT_STATES))),
        terlambat=Count(
            "id",
            filter=Q(
                status__in=list(OPEN_COMPLAINT_STATES),
                due_date__lt=today,
            ),
        ),
    )
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    filters = [
        ("terbuka", _("Terbuka")),
        ("terlambat", _("Terlambat")),
        *[(v, label) for v, label in PengaduanStatus.choices],
        ("semua", _("Semua")),
    ]
    return render(
        request,
        "akuntabilitas/pengaduan_queue.html",
        {
            "page_obj": page,
            "rows": page.object_list,
            "status": status,
            "filters": filters,
            "counts": counts,
            "today": today,
            "can_handle": complaints.can_handle(request.user),
        },
    )


def _visible_complaint(user, public_id) -> Pengaduan:
    _require_complaint_reader(user)
    obj = (
        Pengaduan.objects.visible_to(user)
        .select_related("jenis_izin", "opd", "permohonan", "handled_by", "answered_by", "reporter")
        .filter(public_id=public_id)
        .first()
    )
    if obj is None:
        raise Http404
    return obj


@never_cache
@login_required
@require_GET
def pengaduan_detail(request, public_id):
    obj = _visible_complaint(request.user, public_id)
    # One form per move; distinct ids so that every label points at its own field.
    moves = [
        (
            move,
            PengaduanMoveForm(
                initial={"state_version": obj.state_version}, auto_id=f"id_{move.name}_%s"
            ),
        )
        for move in complaints.available_moves(obj, request.user)
    ]
    return render(
        request,
        "akuntabilitas/pengaduan_detail.html",
        {
            "obj": obj,
            "moves": moves,
            "history": list(obj.riwayat.select_related("actor")),
            "overdue": complaints.is_overdue(obj),
        },
    )


@login_required
@require_POST
def pengaduan_move(request, public_id, move):
    obj = _visible_complaint(request.user, public_id)
    form = PengaduanMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Formulir tidak lengkap. Muat ulang halaman."))
        return redirect("akuntabilitas:pengaduan_detail", public_id=obj.public_id)
    try:
        complaints.move_pengaduan(
            obj,
            name=move,
            actor=request.user,
            answer=form.cleaned_data["answer"],
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["state_version"],
        )
    except WorkflowError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        for e in _errors(exc):
            messages.error(request, e)
    else:
        messages.success(request, _("Pengaduan %(number)s diperbarui.") % {"number": obj.number})
    return redirect("akuntabilitas:pengaduan_detail", public_id=obj.public_id)


@never_cache
@login_required
@require_GET
def pengaduan_lampiran(request, public_id):
    obj = _visible_complaint(request.user, public_id)
    if not obj.has_attachment:
        raise Http404
    try:
        handle = private_storage().open(obj.attachment_name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=obj.attachment_original_name,
        content_type=obj.attachment_content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
