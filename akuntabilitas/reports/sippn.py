"""The service standards in the shape of SIPPN (the national public service information
system): one row per published service with the six service-delivery components of its
standard (requirements, procedure, time, fee, product, complaint handling), its legal basis
and the decree (SK) of its latest version."""

from __future__ import annotations

from django.conf import settings
from django.db.models import OuterRef, Prefetch, Subquery
from django.utils.translation import gettext as _

from akuntabilitas.reports.tables import Table
from kewenangan.models import JenisIzin, LangkahProsedur, Pelimpahan, PerangkatDaerah, Persyaratan
from kewenangan.services import step_actor


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
        .annotate(
            basis_text=Subquery(
                Pelimpahan.objects.applied()
                .filter(kewenangan=OuterRef("kewenangan_id"))
                .exclude(legal_basis="")
                .order_by("-applied_at", "-id")
                .values("legal_basis")[:1]
            )
        )
        .order_by("kewenangan__code", "name")
    )
    dpmptsp = PerangkatDaerah.objects.filter(is_dpmptsp=True).first()
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
        # Who provides and signs, who performs each step, and the legal basis of the
        # delegation: derived from the current holder, never from stored copies.
        holder_opd = dpmptsp if kewenangan.delegated and dpmptsp else kewenangan.origin_opd
        basis = kewenangan.perbup_number if kewenangan.delegated else (s.basis_text or "")
        holder = settings.OFFICE_NAME if kewenangan.delegated else kewenangan.origin_opd.name
        versions = sorted(s.versi.all(), key=lambda v: v.number)
        latest = versions[-1] if versions else None
        steps = "; ".join(
            _step_text(i, step, kewenangan, holder_opd)
            for i, step in enumerate(s.langkah.all(), start=1)
        )
        legal_basis = s.legal_basis
        if basis and basis not in legal_basis:
            legal_basis = (legal_basis + "\n" if legal_basis else "") + basis
        complaint = s.complaint_channel or ""
        if lapor and lapor not in complaint:
            complaint = (complaint + "; " if complaint else "") + f"SP4N-LAPOR! {lapor}"
        table.rows.append(
            [
                kewenangan.code,
                s.name,
                str(s.get_kind_display()),
                holder,
                legal_basis,
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


def _step_text(number: int, step: LangkahProsedur, kewenangan, holder) -> str:
    text = f"{number}. {step.title}"
    actor = step_actor(step.actor_role, step.actor, kewenangan, holder=holder)
    if actor:
        text += f" – {actor}"
    if step.working_days:
        text += f" ({step.working_days} HK)"
    return text


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
