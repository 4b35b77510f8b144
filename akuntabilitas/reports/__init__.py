"""Reports for the office, their CSV and XLSX files, the SIPPN-shaped export of the service
standards and the compliance checklist (what the Ombudsman observes, with evidence).

Each report is a list of ``Table`` objects built by one function; the same tables are shown on
the page and written to CSV (the first table, or the one asked for) and XLSX (one sheet per
table). Application data comes through ``Permohonan.objects.visible_to(user)`` and complaints
through ``Pengaduan.objects.visible_to(user)``, like every other view.

Survey answers appear only as aggregates or as anonymous rows: month, unit, channel, profile
bands and the nine answers. No export carries an answer's id, exact date, comment, service of
a tiny group, invitation, application or person.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role
from akuntabilitas import statistik
from akuntabilitas.ikm import UNSUR, IkmResult, krejcie_morgan
from akuntabilitas.models import JawabanSurvei, NilaiUnsur, Pengaduan
from kewenangan.models import JenisIzin, Kewenangan, LangkahProsedur, Maklumat, Persyaratan
from perizinan.models import Permohonan, RiwayatStatus
from perizinan.workdays import default_calendar
from perizinan.workflow import FINAL_STATES, WAITING_FOR_APPLICANT, Status

REPORT_ROLES = frozenset({Role.FRONT_OFFICE, Role.BACK_OFFICE, Role.KEPALA, Role.ADMIN})
COMPLIANCE_ROLES = frozenset({Role.KEPALA, Role.ADMIN})


def can_view_reports(user) -> bool:
    """Office reports: the DPMPTSP's front office, back office and head, and admins. The OPDs'
    technical teams work in their own queues and do not see the office-wide reports."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.role == Role.ADMIN:
        return True
    if user.role not in REPORT_ROLES:
        return False
    return user.opd_id is None or user.opd.is_dpmptsp


def can_view_compliance(user) -> bool:
    return can_view_reports(user) and user.role in COMPLIANCE_ROLES


# --- Tables and files ----------------------------------------------------------------------------


@dataclass
class Table:
    slug: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    note: str = ""


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Values for CSV/XLSX: text that a spreadsheet would run as a formula is quoted
    (OWASP CSV injection); dates and numbers stay typed."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    return value


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(h) for h in table.headers])
    for row in table.rows:
        writer.writerow([_csv_value(safe_cell(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel opens it as UTF-8


def _csv_value(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def to_xlsx(tables: list[Table]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    used = set()
    for table in tables:
        title = _sheet_title(table.title, used)
        sheet = workbook.create_sheet(title)
        sheet.append([safe_cell(h) for h in table.headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_xlsx_value(safe_cell(v)) for v in row])
        for i, header in enumerate(table.headers, start=1):
            sheet.column_dimensions[sheet.cell(1, i).column_letter].width = min(
                max(12, len(str(header)) + 2), 60
            )
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_value(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    if hasattr(value, "__html__") or type(value).__name__ == "__proxy__":
        return str(value)
    return value


def _sheet_title(title: str, used: set) -> str:
    clean = "".join(ch for ch in str(title) if ch not in "[]:*?/\\")[:28] or "Data"
    candidate, n = clean, 2
    while candidate in used:
        candidate = f"{clean[:25]} {n}"
        n += 1
    used.add(candidate)
    return candidate


def csv_response(table: Table, filename: str) -> HttpResponse:
    response = HttpResponse(to_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def xlsx_response(tables: list[Table], filename: str) -> HttpResponse:
    response = HttpResponse(
        to_xlsx(tables),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


# --- Periods -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    year: int
    month: int | None = None

    @property
    def start(self) -> dt.datetime:
        tz = timezone.get_current_timezone()
        return dt.datetime(self.year, self.month or 1, 1, tzinfo=tz)

    @property
    def stop(self) -> dt.datetime:
        tz = timezone.get_current_timezone()
        if self.month is None:
            return dt.datetime(self.year + 1, 1, 1, tzinfo=tz)
        nxt_year = self.year + (self.month == 12)
        return dt.datetime(nxt_year, self.month % 12 + 1, 1, tzinfo=tz)

    @property
    def slug(self) -> str:
        return f"{self.year}-{self.month:02d}" if self.month else str(self.year)

    @property
    def label(self) -> str:
        if self.month is None:
            return str(self.year)
        from django.utils.dateformat import format as date_format

        return date_format(dt.date(self.year, self.month, 1), "F Y")


def parse_period(params, *, monthly_default: bool) -> Period:
    """``?tahun=2026&bulan=3`` -> Period; bad or missing values fall back to now."""
    today = timezone.localdate()
    try:
        year = int(params.get("tahun", today.year))
    except (TypeError, ValueError):
        year = today.year
    if not 2000 <= year <= today.year + 1:
        year = today.year
    raw_month = params.get("bulan", "")
    if raw_month in ("", None):
        month = today.month if monthly_default and year == today.year else None
        if monthly_default and month is None:
            month = 12
    else:
        try:
            month = int(raw_month)
        except (TypeError, ValueError):
            month = None
        if month is not None and not 1 <= month <= 12:
            month = None
    return Period(year, month)


# --- Application reports -------------------------------------------------------------------------


def _recap(base, period: Period, group: str, label_field: str, title: str, slug: str) -> Table:
    start, stop = period.start, period.stop
    end = min(stop, timezone.now())
    counts = (
        base.values(group, label_field)
        .annotate(
            received=Count("id", filter=Q(submitted_at__gte=start, submitted_at__lt=stop)),
            issued=Count(
                "id", filter=Q(status=Status.TERBIT, decided_at__gte=start, decided_at__lt=stop)
            ),
            rejected=Count(
                "id", filter=Q(status=Status.DITOLAK, decided_at__gte=start, decided_at__lt=stop)
            ),
            in_progress=Count(
                "id",
                filter=Q(submitted_at__lt=end)
                & (Q(decided_at__isnull=True) | Q(decided_at__gte=end)),
            ),
        )
        .order_by(label_field)
    )
    decided = statistik.decisions(base, start, stop, default_calendar())
    key = "jenis_izin_id" if group == "jenis_izin_id" else "processing_opd_id"
    by_group = defaultdict(list)
    for d in decided:
        by_group[getattr(d, key)].append(d)
    table = Table(
        slug,
        title,
        [
            _("Nama"),
            _("Diterima"),
            _("Terbit"),
            _("Ditolak"),
            _("Dalam proses (akhir periode)"),
            _("Diputus (terdaftar)"),
            _("Selesai dalam jangka waktu"),
            _("Persentase tepat waktu"),
            _("Median lama proses (hari kerja)"),
        ],
    )
    for c in counts:
        mine = by_group.get(c[group], [])
        timed = [d for d in mine if d.within_time is not None]
        within = sum(1 for d in timed if d.within_time)
        if not (c["received"] or c["issued"] or c["rejected"] or c["in_progress"]):
            continue
        table.rows.append(
            [
                c[label_field] or "-",
                c["received"],
                c["issued"],
                c["rejected"],
                c["in_progress"],
                len(timed),
                within,
                statistik._share(within, len(timed)),
                statistik._median([d.processing_days for d in mine]),
            ]
        )
    return table


def rekap_report(user, period: Period) -> list[Table]:
    base = Permohonan.objects.visible_to(user).submitted()
    return [
        _recap(
            base, period, "jenis_izin_id", "jenis_izin__name", _("Rekap per layanan"), "layanan"
        ),
        _recap(
            base,
            period,
            "processing_opd_id",
            "processing_opd__short_name",
            _("Rekap per OPD"),
            "opd",
        ),
    ]


def workload_report(user, period: Period) -> list[Table]:
    """Actions recorded in the history per officer (and the files each holds now)."""
    visible = Permohonan.objects.visible_to(user)
    rows = (
        RiwayatStatus.objects.filter(
            permohonan__in=visible,
            created_at__gte=period.start,
            created_at__lt=period.stop,
            actor__isnull=False,
        )
        .exclude(actor_role=Role.PEMOHON)
        .values_list("actor_id", "actor__full_name", "actor__email", "actor_role", "transition")
        .annotate(n=Count("id"))
        .order_by("actor__full_name", "actor_id")
    )
    per_officer: dict[int, dict] = {}
    transitions = set()
    for actor_id, name, email, role, transition, n in rows:
        entry = per_officer.setdefault(
            actor_id, {"name": name or email, "role": role, "counts": defaultdict(int)}
        )
        entry["counts"][transition] += n
        transitions.add(transition)
    holding = dict(
        visible.exclude(status__in=FINAL_STATES)
        .filter(assigned_to__isnull=False)
        .values_list("assigned_to")
        .annotate(n=Count("id"))
    )
    columns = sorted(transitions)
    table = Table(
        "beban-kerja",
        _("Beban kerja per petugas"),
        [_("Petugas"), _("Peran"), _("Jumlah tindakan"), _("Berkas dipegang sekarang")] + columns,
    )
    role_labels = dict(Role.choices)
    for actor_id, entry in per_officer.items():
        counts = entry["counts"]
        table.rows.append(
            [
                entry["name"],
                str(role_labels.get(entry["role"], entry["role"])),
                sum(counts.values()),
                holding.get(actor_id, 0),
            ]
            + [counts.get(c, 0) for c in columns]
        )
    return [table]


def overdue_report(user, today: dt.date | None = None) -> list[Table]:
    """Open files past their due date (not those waiting for the applicant: the clock stops)."""
    today = today or timezone.localdate()
    calendar = default_calendar()
    qs = (
        Permohonan.objects.visible_to(user)
        .submitted()
        .exclude(status__in=FINAL_STATES)
        .exclude(status__in=WAITING_FOR_APPLICANT)
        .filter(due_date__lt=today)
        .select_related("jenis_izin", "processing_opd", "technical_opd")
        .order_by("due_date", "id")
    )
    table = Table(
        "terlambat",
        _("Permohonan melewati batas waktu"),
        [
            _("Nomor"),
            _("Layanan"),
            _("Status"),
            _("OPD pemroses"),
            _("OPD teknis"),
            _("Terdaftar"),
            _("Batas waktu"),
            _("Terlambat (hari kerja)"),
        ],
    )
    for p in qs:
        table.rows.append(
            [
                p.number,
                p.jenis_izin.name,
                str(p.get_status_display()),
                p.processing_opd.short_name if p.processing_opd_id else "",
                p.technical_opd.short_name if p.technical_opd_id else "",
                timezone.localdate(p.registered_at) if p.registered_at else "",
                p.due_date,
                calendar.working_days_between(p.due_date, today),
            ]
        )
    return [table]


# --- Complaints ----------------------------------------------------------------------------------


def complaint_report(user, period: Period) -> list[Table]:
    """Complaints received in the period: the register with its times. No complainant data."""
    qs = (
        Pengaduan.objects.visible_to(user)
        .filter(received_at__gte=period.start, received_at__lt=period.stop)
        .select_related("jenis_izin", "opd", "handled_by")
        .order_by("received_at", "id")
    )
    topics = dict(Pengaduan.Topic.choices)
    table = Table(
        "pengaduan",
        _("Register pengaduan"),
        [
            _("Nomor tiket"),
            _("Diterima"),
            _("Perihal"),
            _("Layanan"),
            _("Unit"),
            _("Status"),
            _("Batas waktu"),
            _("Dijawab"),
            _("Lama jawaban (hari kerja)"),
            _("Tepat waktu"),
            _("Dieskalasi"),
            _("Ditangani oleh"),
        ],
    )
    for p in qs:
        table.rows.append(
            [
                p.number,
                timezone.localdate(p.received_at),
                str(topics.get(p.topic, p.topic)),
                p.jenis_izin.name if p.jenis_izin_id else "",
                p.opd.short_name if p.opd_id else "",
                str(p.get_status_display()),
                p.due_date,
                timezone.localdate(p.answered_at) if p.answered_at else "",
                p.response_days if p.response_days is not None else "",
                p.answered_on_time if p.answered_on_time is not None else "",
                bool(p.escalated_at),
                p.handled_by.get_full_name() if p.handled_by_id else "",
            ]
        )
    stats = statistik.complaint_stats(period.year, timezone.localdate())
    summary = Table(
        "pengaduan-ringkasan",
        _("Ringkasan pengaduan %(year)s") % {"year": period.year},
        [_("Ukuran"), _("Nilai")],
        [
            [_("Diterima"), stats.received],
            [_("Dijawab"), stats.answered],
            [_("Dijawab tepat waktu"), stats.answered_on_time],
            [_("Persentase tepat waktu"), stats.on_time_share],
            [_("Masih terbuka"), stats.open],
            [_("Terlambat (belum dijawab)"), stats.overdue],
            [_("Median lama jawaban (hari kerja)"), stats.median_response_days],
        ],
    )
    return [table, summary]


# --- Survey (IKM) --------------------------------------------------------------------------------


def _ikm_headers(first: str) -> list[str]:
    return (
        [first, _("Responden")]
        + [str(u.label) for u in UNSUR]
        + [
            _("IKM"),
            _("IKM konversi"),
            _("Mutu"),
            _("Kinerja"),
        ]
    )


def _ikm_row(label: str, result: IkmResult, shown: bool = True) -> list:
    if not shown:
        hidden = _("responden terlalu sedikit untuk ditampilkan")
        return [label, result.respondents] + [""] * len(UNSUR) + ["", "", "", hidden]
    return (
        [label, result.respondents]
        + [result.score(u.key).nrr for u in UNSUR]
        + [result.ikm, result.converted, result.grade, result.grade_label]
    )


def ikm_report(period: Period) -> list[Table]:
    """The index per period, unit and service with NRR per unsur, the respondents' profile and
    the anonymous answers (month, unit, channel, profile, nine answers)."""
    answers = JawabanSurvei.objects.filter(
        submitted_on__gte=period.start.date(), submitted_on__lt=period.stop.date()
    )
    overall = statistik.ikm_overall(answers)
    tables = []
    periods = Table("ikm-periode", _("IKM per periode"), _ikm_headers(_("Periode")))
    periods.rows.append(_ikm_row(period.label, overall))
    if period.month is None:
        for group in sorted(
            statistik.labelled_groups(
                statistik.ikm_groups(answers, "semester"),
                {1: "Semester I", 2: "Semester II"},
                missing_label="-",
            ),
            key=lambda g: g.key,
        ):
            periods.rows.append(_ikm_row(f"{group.label} {period.year}", group.result))
    tables.append(periods)

    from kewenangan.models import PerangkatDaerah

    units = dict(PerangkatDaerah.objects.values_list("id", "short_name"))
    names = dict(JenisIzin.objects.values_list("id", "name"))
    unit_table = Table("ikm-unit", _("IKM per unit pelayanan"), _ikm_headers(_("Unit")))
    for g in statistik.labelled_groups(
        statistik.ikm_groups(answers, "opd"), units, missing_label="-"
    ):
        unit_table.rows.append(_ikm_row(g.label, g.result, g.shown))
    tables.append(unit_table)
    service_table = Table("ikm-layanan", _("IKM per layanan"), _ikm_headers(_("Layanan")))
    for g in statistik.labelled_groups(
        statistik.ikm_groups(answers, "jenis_izin"), names, missing_label=_("Survei umum")
    ):
        service_table.rows.append(_ikm_row(g.label, g.result, g.shown))
    service_table.note = _(
        "Kelompok dengan kurang dari %(n)s responden dihitung dalam IKM keseluruhan, tetapi "
        "nilainya tidak ditampilkan tersendiri agar jawaban tidak dapat ditelusuri."
    ) % {"n": statistik.min_group_size()}
    tables.append(service_table)

    profile = Table("ikm-profil", _("Profil responden"), [_("Profil"), _("Kelompok"), _("Jumlah")])
    field_labels = {
        "age_band": _("Usia"),
        "sex": _("Jenis kelamin"),
        "education": _("Pendidikan"),
        "occupation": _("Pekerjaan"),
    }
    for p in statistik.respondent_profile(answers):
        for label, n in p.counts:
            profile.rows.append([field_labels[p.field], label, n])
    tables.append(profile)
    tables.append(anonymous_answers(answers, units))
    return tables


def anonymous_answers(answers, units: dict) -> Table:
    """One row per respondent, in an order that says nothing about when each came in:
    month, unit, channel, profile bands and the nine answers (by unsur key)."""
    table = Table(
        "ikm-jawaban",
        _("Jawaban responden (anonim)"),
        [
            _("Bulan"),
            _("Unit"),
            _("Saluran"),
            _("Usia"),
            _("Jenis kelamin"),
            _("Pendidikan"),
            _("Pekerjaan"),
        ]
        + [u.key for u in UNSUR],
    )
    values = defaultdict(dict)
    for jawaban_id, unsur, value in NilaiUnsur.objects.filter(jawaban__in=answers).values_list(
        "jawaban_id", "unsur", "value"
    ):
        values[jawaban_id][unsur] = value
    channel = dict(JawabanSurvei.Channel.choices)
    labels = {
        name: dict(JawabanSurvei._meta.get_field(name).choices)
        for name in ("age_band", "sex", "education", "occupation")
    }
    rows = []
    for a in answers.only(
        "id", "submitted_on", "opd_id", "channel", "age_band", "sex", "education", "occupation"
    ):
        rows.append(
            [
                a.submitted_on.strftime("%Y-%m"),
                units.get(a.opd_id, ""),
                str(channel.get(a.channel, "")),
                str(labels["age_band"].get(a.age_band, "")),
                str(labels["sex"].get(a.sex, "")),
                str(labels["education"].get(a.education, "")),
                str(labels["occupation"].get(a.occupation, "")),
            ]
            + [values[a.id].get(u.key, "") for u in UNSUR]
        )
    rows.sort(key=lambda r: [str(v) for v in r])
    table.rows = rows
    return table


# --- Service standards in the SIPPN shape ---------------------------------------------------------


def sippn_report() -> list[Table]:
    """One row per published service with the six service-delivery components of the standard
    plus legal basis, as the national service information system (SIPPN) lists them."""
    services = (
        JenisIzin.objects.published()
        .with_kewenangan()
        .prefetch_related(
            Prefetch("persyaratan", queryset=Persyaratan.objects.order_by("order", "id")),
            Prefetch("langkah", queryset=LangkahProsedur.objects.order_by("order", "id")),
            "versi",
        )
        .order_by("kewenangan__code", "name")
    )
    lapor = settings.SP4N_LAPOR_URL
    table = Table(
        "standar-pelayanan",
        _("Standar pelayanan (SIPPN)"),
        [
            _("Kode"),
            _("Nama layanan"),
            _("Jenis"),
            _("Penyelenggara"),
            _("Dasar hukum"),
            _("Persyaratan"),
            _("Sistem, mekanisme dan prosedur"),
            _("Jangka waktu penyelesaian"),
            _("Biaya/tarif"),
            _("Produk pelayanan"),
            _("Penanganan pengaduan, saran dan masukan"),
            _("Nomor SK standar"),
            _("Tanggal SK"),
            _("Versi"),
        ],
    )
    for s in services:
        kewenangan = s.kewenangan
        holder = settings.OFFICE_NAME if kewenangan.delegated else kewenangan.origin_opd.name
        versions = sorted(s.versi.all(), key=lambda v: v.number)
        latest = versions[-1] if versions else None
        steps = "; ".join(
            f"{i}. {step.title}" + (f" ({step.working_days} HK)" if step.working_days else "")
            for i, step in enumerate(s.langkah.all(), start=1)
        )
        complaint = s.complaint_channel or ""
        if lapor and lapor not in complaint:
            complaint = (complaint + "; " if complaint else "") + f"SP4N-LAPOR! {lapor}"
        table.rows.append(
            [
                kewenangan.code,
                s.name,
                str(s.get_kind_display()),
                holder,
                s.legal_basis,
                "; ".join(p.name for p in s.persyaratan.all()),
                steps,
                _("%(n)s hari kerja") % {"n": s.sla_working_days} if s.sla_working_days else "",
                _fee_text(s),
                s.product,
                complaint,
                latest.sk_number if latest else "",
                latest.sk_date if latest and latest.sk_date else "",
                latest.number if latest else "",
            ]
        )
    return [table]


def _fee_text(service: JenisIzin) -> str:
    if service.fee_kind == JenisIzin.FeeKind.GRATIS:
        return _("Gratis (Rp0)")
    if service.fee_kind == JenisIzin.FeeKind.TETAP and service.fee_amount:
        amount = f"{service.fee_amount:,}".replace(",", ".")
        text = f"Rp {amount}"
    else:
        text = str(service.get_fee_kind_display())
    if service.fee_legal_basis:
        text += f" ({service.fee_legal_basis})"
    return text


# --- Registry of reports -----------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    slug: str
    title: str
    description: str
    period: str  # "month", "year" or "none"


REPORTS = (
    Report(
        "rekap",
        gettext_lazy("Rekap bulanan per layanan dan per OPD"),
        gettext_lazy("Diterima, terbit, ditolak, dalam proses, ketepatan waktu dan median."),
        "month",
    ),
    Report(
        "beban-kerja",
        gettext_lazy("Beban kerja per petugas"),
        gettext_lazy("Tindakan yang tercatat per petugas dan berkas yang dipegang."),
        "month",
    ),
    Report(
        "terlambat",
        gettext_lazy("Daftar permohonan terlambat"),
        gettext_lazy("Berkas yang melewati batas waktu layanan hari ini."),
        "none",
    ),
    Report(
        "pengaduan",
        gettext_lazy("Laporan pengaduan"),
        gettext_lazy("Register pengaduan dengan batas waktu dan lama jawaban."),
        "year",
    ),
    Report(
        "ikm",
        gettext_lazy("Laporan survei kepuasan (IKM)"),
        gettext_lazy("IKM per periode, unit dan layanan; profil dan jawaban anonim."),
        "year",
    ),
    Report(
        "standar-pelayanan",
        gettext_lazy("Standar pelayanan (format SIPPN)"),
        gettext_lazy("Komponen standar pelayanan setiap layanan yang diterbitkan."),
        "none",
    ),
)
REPORTS_BY_SLUG = {r.slug: r for r in REPORTS}


def build(slug: str, user, params) -> tuple[Report, Period | None, list[Table]]:
    report = REPORTS_BY_SLUG[slug]
    period = None
    if report.period != "none":
        period = parse_period(params, monthly_default=report.period == "month")
    if slug == "rekap":
        tables = rekap_report(user, period)
    elif slug == "beban-kerja":
        tables = workload_report(user, period)
    elif slug == "terlambat":
        tables = overdue_report(user)
    elif slug == "pengaduan":
        tables = complaint_report(user, period)
    elif slug == "ikm":
        tables = ikm_report(period)
    else:
        tables = sippn_report()
    return report, period, tables


# --- Compliance (what the Ombudsman observes) -----------------------------------------------------

OK, PARTIAL, MISSING, INFO = "ok", "partial", "missing", "info"


@dataclass(frozen=True)
class ComplianceItem:
    title: str
    status: str
    evidence: str
    link: str = ""

    @property
    def status_label(self) -> str:
        return str(
            {
                OK: _("Terpenuhi"),
                PARTIAL: _("Sebagian"),
                MISSING: _("Belum ada"),
                INFO: _("Belum ada data"),
            }[self.status]
        )


def _url(name: str, **kwargs) -> str:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def _number(value) -> str:
    """A decimal as the page's language writes it (``80,56`` in Indonesian)."""
    if value is None:
        return "-"
    from django.utils.formats import number_format

    return number_format(value, use_l10n=True)


def _ratio_status(part: int, whole: int) -> str:
    if whole == 0:
        return MISSING
    if part >= whole:
        return OK
    return PARTIAL if part else MISSING


def compliance_items(today: dt.date | None = None) -> list[ComplianceItem]:
    """Each thing the Ombudsman observes, with its evidence from the data (a fixed number of
    queries). Red (missing) where there is no evidence."""
    today = today or timezone.localdate()
    year = today.year
    items = []

    active_services = JenisIzin.objects.filter(kewenangan__active=True)
    counts = active_services.aggregate(
        total=Count("id", distinct=True),
        published=Count("id", filter=Q(is_published=True, versi__isnull=False), distinct=True),
        with_channel=Count(
            "id", filter=Q(is_published=True) & ~Q(complaint_channel=""), distinct=True
        ),
    )
    items.append(
        ComplianceItem(
            _("Standar pelayanan dipublikasikan"),
            _ratio_status(counts["published"], counts["total"]),
            _("%(n)s dari %(m)s layanan memiliki standar pelayanan yang diterbitkan.")
            % {"n": counts["published"], "m": counts["total"]},
            _url("kewenangan:layanan_list"),
        )
    )
    maklumat = Maklumat.objects.current()
    items.append(
        ComplianceItem(
            _("Maklumat pelayanan dipublikasikan"),
            OK if maklumat else MISSING,
            (
                _("Maklumat berlaku sejak %(date)s.")
                % {"date": maklumat.effective_date.strftime("%d-%m-%Y")}
                if maklumat
                else _("Belum ada maklumat pelayanan yang aktif.")
            ),
            _url("kewenangan:maklumat"),
        )
    )
    channels = [_("formulir pengaduan daring dengan nomor tiket")]
    if settings.SP4N_LAPOR_URL:
        channels.append(_("tautan SP4N-LAPOR!"))
    channel_status = OK if settings.SP4N_LAPOR_URL else PARTIAL
    if counts["published"] and counts["with_channel"] < counts["published"]:
        channel_status = PARTIAL
    items.append(
        ComplianceItem(
            _("Sarana pengaduan tersedia"),
            channel_status,
            _(
                "Tersedia: %(channels)s. %(n)s dari %(m)s layanan terbit mencantumkan penanganan "
                "pengaduan."
            )
            % {
                "channels": ", ".join(str(c) for c in channels),
                "n": counts["with_channel"],
                "m": counts["published"],
            },
            _url("akuntabilitas:pengaduan_create"),
        )
    )
    complaints = statistik.complaint_stats(year, today)
    if complaints.answered == 0 and complaints.overdue == 0:
        complaint_status = INFO
    elif complaints.overdue == 0 and complaints.answered_on_time == complaints.answered:
        complaint_status = OK
    elif (complaints.on_time_share or 0) >= 50:
        complaint_status = PARTIAL
    else:
        complaint_status = MISSING
    items.append(
        ComplianceItem(
            _("Pengaduan dijawab tepat waktu"),
            complaint_status,
            _(
                "%(year)s: %(received)s diterima, %(answered)s dijawab, %(on_time)s tepat waktu "
                "(%(share)s%%), %(overdue)s terlambat belum dijawab."
            )
            % {
                "year": year,
                "received": complaints.received,
                "answered": complaints.answered,
                "on_time": complaints.answered_on_time,
                "share": _number(complaints.on_time_share),
                "overdue": complaints.overdue,
            },
            _url("akuntabilitas:pengaduan_register"),
        )
    )
    answers = statistik.answers_in_year(year)
    ikm = statistik.ikm_overall(answers)
    # The population is last year's users of the service; a new office uses this year's.
    decided_by_year = dict(
        Permohonan.objects.filter(
            status__in=(Status.TERBIT, Status.DITOLAK), decided_at__year__in=(year - 1, year)
        )
        .values_list("decided_at__year")
        .annotate(n=Count("id"))
        .order_by()
    )
    population = decided_by_year.get(year - 1) or decided_by_year.get(year, 0)
    sample = krejcie_morgan(population)
    if ikm.respondents == 0:
        skm_status = MISSING
    elif ikm.respondents >= sample:
        skm_status = OK
    else:
        skm_status = PARTIAL
    items.append(
        ComplianceItem(
            _("Survei kepuasan masyarakat %(year)s dipublikasikan") % {"year": year},
            skm_status,
            _(
                "%(n)s responden%(index)s. Sampel minimum (Krejcie-Morgan) dari %(pop)s pengguna "
                "tahun lalu: %(sample)s."
            )
            % {
                "n": ikm.respondents,
                "index": (
                    _("; IKM %(value)s (%(grade)s)")
                    % {"value": _number(ikm.converted), "grade": ikm.grade}
                    if ikm.converted is not None
                    else ""
                ),
                "pop": population,
                "sample": sample,
            },
            _url("akuntabilitas:statistik"),
        )
    )
    assisted = Permohonan.objects.filter(assisted_by__isnull=False, submitted_at__year=year).count()
    items.append(
        ComplianceItem(
            _("Pelayanan khusus bagi kelompok rentan tercatat"),
            OK if assisted else MISSING,
            _("%(n)s permohonan tahun %(year)s dientri dan didampingi petugas di loket.")
            % {"n": assisted, "year": year},
        )
    )
    decided = Permohonan.objects.filter(
        status__in=(Status.TERBIT, Status.DITOLAK), decided_at__year=year
    )
    decision_rows = RiwayatStatus.objects.filter(permohonan=OuterRef("pk"))
    traced = decided.filter(
        Exists(
            decision_rows.filter(to_status__in=(Status.TERBIT, Status.DITOLAK), actor__isnull=False)
        )
        | Exists(decision_rows.filter(actor_role=Role.KEPALA, actor__isnull=False))
    ).count()
    total_decided = decided.count()
    items.append(
        ComplianceItem(
            _("Setiap keputusan dapat ditelusuri ke petugas"),
            INFO if total_decided == 0 else _ratio_status(traced, total_decided),
            _(
                "%(n)s dari %(m)s keputusan tahun %(year)s tercatat dengan petugas yang "
                "memutuskan atau menandatangani."
            )
            % {"n": traced, "m": total_decided, "year": year},
        )
    )
    delegation = Kewenangan.objects.active().aggregate(
        total=Count("id"), delegated=Count("id", filter=Q(delegated=True))
    )
    items.append(
        ComplianceItem(
            _("Kewenangan dilimpahkan ke DPMPTSP"),
            _ratio_status(delegation["delegated"], delegation["total"]),
            _("%(n)s dari %(m)s kewenangan telah dilimpahkan.")
            % {"n": delegation["delegated"], "m": delegation["total"]},
            _url("kewenangan:kewenangan_list"),
        )
    )
    return items
