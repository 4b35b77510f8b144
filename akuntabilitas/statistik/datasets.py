"""The open data of ``/statistik/``: the figures behind each chart and table of the page as
tables, one per dataset slug, downloaded as ``/statistik/<slug>.csv`` through the reports'
CSV writer (and its formula guard)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from akuntabilitas.ikm import UNSUR
from akuntabilitas.reports.tables import Table
from akuntabilitas.statistik.page import Statistik


def dataset_tables(stats: Statistik) -> dict[str, Table]:
    """The data behind each chart and table of /statistik/, by dataset slug."""
    ikm_rows = [
        [str(u.label), u.key, score.answered, score.nrr, score.nrr_converted]
        for u, score in ((u, stats.ikm.score(u.key)) for u in UNSUR)
    ]
    ikm_rows.append([_("IKM"), "", stats.ikm.respondents, stats.ikm.ikm, stats.ikm.converted])
    return {
        "bulanan": Table(
            "bulanan",
            _("Permohonan per bulan"),
            [_("Bulan"), _("Diterima"), _("Terbit"), _("Ditolak"), _("Dalam proses")],
            [
                [m.month.strftime("%Y-%m"), m.received, m.issued, m.rejected, m.in_progress]
                for m in stats.months
            ],
        ),
        "layanan": Table(
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
        "ikm": Table(
            "ikm",
            _("IKM per unsur"),
            [_("Unsur"), _("Kunci"), _("Responden menjawab"), _("NRR"), _("NRR konversi")],
            ikm_rows,
        ),
        "ikm-periode": Table(
            "ikm-periode",
            _("IKM per semester"),
            [_("Periode"), _("Responden"), _("IKM"), _("IKM konversi"), _("Mutu")],
            [
                [g.label, g.result.respondents, g.result.ikm, g.result.converted, g.result.grade]
                for g in stats.ikm_semesters
            ],
        ),
        "pengaduan": Table(
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
        "kewenangan": Table(
            "kewenangan",
            _("Kewenangan dilimpahkan"),
            [_("Ukuran"), _("Nilai")],
            [
                [_("Kewenangan aktif"), stats.delegation.total],
                [_("Dilimpahkan ke DPMPTSP"), stats.delegation.delegated],
            ],
        ),
    }
