"""The complaint report: the register of the complaints received in the period with their
times (due date, answer, working days, on time, escalated, handler) and the year's summary.
Complaints come through ``Pengaduan.objects.visible_to(user)``; no complainant data leaves."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from akuntabilitas.models import Pengaduan
from akuntabilitas.reports.periods import Period
from akuntabilitas.reports.tables import Table
from akuntabilitas.statistik.pengaduan import complaint_stats


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
    stats = complaint_stats(period.year, timezone.localdate())
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
