"""Performance against the service time: the monthly recap per service and per OPD (received,
issued, rejected, in progress, share within the service time, median processing time) and the
list of open files past their due date. Files come through
``Permohonan.objects.visible_to(user)``; the measures are those of ``akuntabilitas.statistik``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from operator import attrgetter

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from akuntabilitas.reports.periods import Period
from akuntabilitas.reports.tables import Table
from akuntabilitas.statistik.measures import median, share
from akuntabilitas.statistik.permohonan import decisions
from perizinan.models import Permohonan
from perizinan.workdays import default_calendar
from perizinan.workflow import FINAL_STATES, WAITING_FOR_APPLICANT, Status


def _recap(base, period: Period, group: str, label_field: str, title: str, slug: str) -> Table:
    """One row per ``group`` (``jenis_izin_id`` or ``processing_opd_id``, a field of the file
    and of ``statistik.Decision`` alike)."""
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
    group_of = attrgetter(group)
    by_group = defaultdict(list)
    for d in decisions(base, start, stop, default_calendar()):
        by_group[group_of(d)].append(d)
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
                share(within, len(timed)),
                median([d.processing_days for d in mine]),
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
