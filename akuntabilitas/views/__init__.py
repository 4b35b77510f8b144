"""Public accountability pages: complaints (file, follow by ticket, public register, the
officers' queue), the satisfaction survey, open statistics, office reports and the compliance
page. Thin: reads through ``statistik`` / ``reports`` / the services' read helpers, changes
through ``services.pengaduan`` and ``services.survei``."""

from __future__ import annotations

import datetime as dt
import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.generic import ListView

from akuntabilitas import charts, reports, statistik
from akuntabilitas.forms import (
    PengaduanForm,
    PengaduanMoveForm,
    SurveiForm,
    TicketForm,
)
from akuntabilitas.ikm import UNSUR
from akuntabilitas.models import Pengaduan, PengaduanStatus
from akuntabilitas.services import pengaduan as complaints
from akuntabilitas.services import survei
from perizinan.exceptions import WorkflowError
from perizinan.models import private_storage
from perizinan.throttle import client_ip, hit

COMPLAINT_LIMIT, COMPLAINT_WINDOW = 5, 60 * 60
TICKET_LIMIT, TICKET_WINDOW = 10, 10 * 60
SURVEY_LIMIT, SURVEY_WINDOW = 30, 60 * 60
SESSION_TICKET = "akuntabilitas.ticket"


def _too_many(request, minutes: int):
    messages.error(
        request,
        _("Terlalu banyak percobaan dari jaringan Anda. Coba lagi dalam %(minutes)s menit.")
        % {"minutes": minutes},
    )


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


# --- Complaints: public --------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def pengaduan_create(request):
    status = 200
    if request.method == "POST":
        form = PengaduanForm(request.POST, request.FILES, user=request.user)
        if not hit(
            "pengaduan", client_ip(request), limit=COMPLAINT_LIMIT, window_seconds=COMPLAINT_WINDOW
        ):
            _too_many(request, COMPLAINT_WINDOW // 60)
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
            _too_many(request, TICKET_WINDOW // 60)
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


# --- Complaints: officers ------------------------------------------------------------------------


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
        terbuka=Count(
            "id", filter=Q(status__in=[PengaduanStatus.DITERIMA, PengaduanStatus.DITINDAKLANJUTI])
        ),
        terlambat=Count(
            "id",
            filter=Q(
                status__in=[PengaduanStatus.DITERIMA, PengaduanStatus.DITINDAKLANJUTI],
                due_date__lt=today,
            ),
        ),
    )
    from django.core.paginator import Paginator

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


# --- Survey --------------------------------------------------------------------------------------


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
            _too_many(request, SURVEY_WINDOW // 60)
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
    import qrcode
    import qrcode.image.svg

    url = settings.SITE_URL.rstrip("/") + reverse("akuntabilitas:survei_umum")
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    out = io.BytesIO()
    image.save(out)
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response


# --- Open statistics -----------------------------------------------------------------------------


def _year(request) -> int:
    years = statistik.available_years()
    try:
        year = int(request.GET.get("tahun", years[0]))
    except (TypeError, ValueError):
        year = years[0]
    return year if year in years else years[0]


def _month_label(d) -> str:
    from django.utils.dateformat import format as date_format

    return date_format(d, "M")


@require_GET
def statistik_page(request):
    """The public statistics. The page's content is the same for every visitor, so it is
    rendered once per year, language and statistics generation and kept in the cache for the
    rest of the statistics' own cache time (``statistik.cached_content``): a request then costs
    the same whatever the size of the data."""
    year = _year(request)
    body = statistik.cached_content(
        year, get_language(), lambda stats: _statistik_body(stats, year)
    )
    response = render(request, "akuntabilitas/statistik.html", {"body": body, "year": year})
    response["Cache-Control"] = "public, max-age=300"
    return response


def _statistik_body(stats, year: int) -> str:
    monthly_chart = charts.grouped_columns(
        [_month_label(m.month) for m in stats.months],
        [
            (_("Diterima"), "bar-a", [m.received for m in stats.months]),
            (_("Terbit"), "bar-b", [m.issued for m in stats.months]),
            (_("Ditolak"), "bar-c", [m.rejected for m in stats.months]),
            (_("Dalam proses"), "bar-d", [m.in_progress for m in stats.months]),
        ],
    )
    service_chart = charts.horizontal_bars(
        [(s.name[:40], s.received) for s in stats.services[:15]], css="bar-a"
    )
    ikm_chart = charts.horizontal_bars(
        [(str(u.label)[:40], stats.ikm.score(u.key).nrr or 0) for u in UNSUR],
        max_value=4,
        css="bar-b",
    )
    context = {
        "stats": stats,
        "year": year,
        "years": statistik.available_years(),
        "monthly_chart": monthly_chart,
        "service_chart": service_chart,
        "ikm_chart": ikm_chart,
        "unsur": UNSUR,
        "ikm_scores": [(u, stats.ikm.score(u.key)) for u in UNSUR],
        "min_group": statistik.min_group_size(),
        "lapor_url": settings.SP4N_LAPOR_URL,
        "cache_minutes": settings.STATISTICS_CACHE_SECONDS // 60,
    }
    return render_to_string("akuntabilitas/_statistik_body.html", context)


def statistik_tables(stats) -> dict[str, reports.Table]:
    """The data behind each chart and table of /statistik/, as downloadable tables."""
    ikm_rows = [
        [str(u.label), u.key, score.answered, score.nrr, score.nrr_converted]
        for u, score in ((u, stats.ikm.score(u.key)) for u in UNSUR)
    ]
    ikm_rows.append([_("IKM"), "", stats.ikm.respondents, stats.ikm.ikm, stats.ikm.converted])
    return {
        "bulanan": reports.Table(
            "bulanan",
            _("Permohonan per bulan"),
            [_("Bulan"), _("Diterima"), _("Terbit"), _("Ditolak"), _("Dalam proses")],
            [
                [m.month.strftime("%Y-%m"), m.received, m.issued, m.rejected, m.in_progress]
                for m in stats.months
            ],
        ),
        "layanan": reports.Table(
            "layanan",
            _("Permohonan per layanan"),
            [
                _("Layanan"),
                _("Diterima"),
                _("Terbit"),
                _("Ditolak"),
                _("Dalam proses"),
                _("Median lama proses (hari kerja)"),
                _("Persentase selesai dalam jangka waktu"),
            ],
            [
                [
                    s.name,
                    s.received,
                    s.issued,
                    s.rejected,
                    s.in_progress,
                    s.median_days,
                    s.within_time_share,
                ]
                for s in stats.services
            ],
        ),
        "ikm": reports.Table(
            "ikm",
            _("IKM per unsur"),
            [_("Unsur"), _("Kunci"), _("Responden menjawab"), _("NRR"), _("NRR konversi")],
            ikm_rows,
        ),
        "ikm-periode": reports.Table(
            "ikm-periode",
            _("IKM per semester"),
            [_("Periode"), _("Responden"), _("IKM"), _("IKM konversi"), _("Mutu")],
            [
                [g.label, g.result.respondents, g.result.ikm, g.result.converted, g.result.grade]
                for g in stats.ikm_semesters
            ],
        ),
        "pengaduan": reports.Table(
            "pengaduan",
            _("Pengaduan"),
            [_("Ukuran"), _("Nilai")],
            [
                [_("Diterima"), stats.complaints.received],
                [_("Dijawab"), stats.complaints.answered],
                [_("Dijawab tepat waktu"), stats.complaints.answered_on_time],
                [_("Persentase tepat waktu"), stats.complaints.on_time_share],
                [_("Median lama jawaban (hari kerja)"), stats.complaints.median_response_days],
            ],
        ),
        "kewenangan": reports.Table(
            "kewenangan",
            _("Kewenangan dilimpahkan"),
            [_("Ukuran"), _("Nilai")],
            [
                [_("Kewenangan aktif"), stats.delegation.total],
                [_("Dilimpahkan ke DPMPTSP"), stats.delegation.delegated],
            ],
        ),
    }


@require_GET
def statistik_csv(request, dataset):
    year = _year(request)
    tables = statistik_tables(statistik.get_statistik(year))
    if dataset not in tables:
        raise Http404
    return reports.csv_response(tables[dataset], f"statistik-{dataset}-{year}")


# --- Office reports ------------------------------------------------------------------------------


def _require_reports(user):
    if not reports.can_view_reports(user):
        raise PermissionDenied


@never_cache
@login_required
@require_GET
def laporan_index(request):
    _require_reports(request.user)
    today = timezone.localdate()
    return render(
        request,
        "akuntabilitas/laporan_index.html",
        {
            "reports": reports.REPORTS,
            "year": today.year,
            "month": today.month,
            "months": range(1, 13),
            "years": statistik.available_years(),
            "can_compliance": reports.can_view_compliance(request.user),
            "survey_url": settings.SITE_URL.rstrip("/") + reverse("akuntabilitas:survei_umum"),
        },
    )


@never_cache
@login_required
@require_GET
def laporan_report(request, slug):
    _require_reports(request.user)
    if slug not in reports.REPORTS_BY_SLUG:
        raise Http404
    report, period, tables = reports.build(slug, request.user, request.GET)
    query = request.GET.urlencode()
    return render(
        request,
        "akuntabilitas/laporan_report.html",
        {
            "report": report,
            "period": period,
            "tables": tables,
            "query": query,
            "years": statistik.available_years(),
            "months": range(1, 13),
        },
    )


@never_cache
@login_required
@require_GET
def laporan_download(request, slug, fmt):
    _require_reports(request.user)
    if slug not in reports.REPORTS_BY_SLUG or fmt not in ("csv", "xlsx"):
        raise Http404
    report, period, tables = reports.build(slug, request.user, request.GET)
    filename = f"laporan-{slug}" + (f"-{period.slug}" if period else "")
    if fmt == "xlsx":
        return reports.xlsx_response(tables, filename)
    wanted = request.GET.get("tabel")
    table = next((t for t in tables if t.slug == wanted), tables[0])
    if wanted and table.slug != wanted:
        raise Http404
    suffix = f"-{table.slug}" if table.slug != slug else ""
    return reports.csv_response(table, filename + suffix)


@never_cache
@login_required
@require_GET
def kepatuhan(request):
    if not reports.can_view_compliance(request.user):
        raise PermissionDenied
    items = reports.compliance_items()
    return render(
        request,
        "akuntabilitas/kepatuhan.html",
        {"items": items, "missing": sum(1 for i in items if i.status == reports.MISSING)},
    )
