"""The compliance checklist: each thing the Ombudsman observes in a public service unit
(published standards and pledge, complaint channels and answers on time, the satisfaction
survey and its sample, assisted applicants, decisions traceable to an officer, delegated
authorities), with its status and the evidence from the data, linked to the public page that
shows it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.roles import Role
from akuntabilitas.ikm import krejcie_morgan
from akuntabilitas.statistik.pengaduan import complaint_stats
from akuntabilitas.statistik.survei import answers_in_year, ikm_overall
from kewenangan.models import JenisIzin, Kewenangan, Maklumat
from perizinan.models import Permohonan, RiwayatStatus
from perizinan.workflow import Status

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


def _number(value) -> str:
    """A decimal as the page's language writes it (``80,56`` in Indonesian)."""
    if value is None:
        return "-"
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
            reverse("kewenangan:layanan_list"),
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
            reverse("kewenangan:maklumat"),
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
            reverse("akuntabilitas:pengaduan_create"),
        )
    )
    complaints = complaint_stats(year, today)
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
            reverse("akuntabilitas:pengaduan_register"),
        )
    )
    answers = answers_in_year(year)
    ikm = ikm_overall(answers)
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
            reverse("akuntabilitas:statistik"),
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
            reverse("kewenangan:kewenangan_list"),
        )
    )
    return items
