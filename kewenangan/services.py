"""Every change of state in the kewenangan app: one function a verb.

* ``create_kewenangan`` and ``reassign_kewenangan``: who holds an authority. Each writes one
  ``Pelimpahan`` (history) row in the same transaction; ``Kewenangan.save`` refuses a holder
  change that did not come through here.
* ``publish_standard`` / ``unpublish_standard``: freeze a service standard into a
  ``VersiStandar``. A new version is created only when the content changed.
"""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from config.logs import log_event
from kewenangan.models import (
    JenisIzin,
    Kewenangan,
    Pelimpahan,
    PerangkatDaerah,
    VersiStandar,
)

logger = logging.getLogger(__name__)

SOURCES = ("admin", "import", "code")
_UNSET = object()


def _check_source(source: str) -> None:
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, got {source!r}")


def _holder(delegated: bool, origin_opd: PerangkatDaerah, dpmptsp: PerangkatDaerah | None):
    if delegated:
        if dpmptsp is None:
            raise ValidationError(_("Belum ada OPD yang ditandai sebagai DPMPTSP."))
        return dpmptsp
    return origin_opd


def _validate_delegation(delegated: bool, perbup_number: str, perbup_date) -> None:
    if delegated and (not perbup_number or perbup_date is None):
        raise ValidationError(
            {
                "perbup_number": _(
                    "Kewenangan yang dilimpahkan wajib mencantumkan nomor dan tanggal Perbup."
                )
            }
        )


@transaction.atomic
def create_kewenangan(
    *,
    code: str,
    name: str,
    sector: str,
    origin_opd: PerangkatDaerah,
    technical_opd: PerangkatDaerah | None = None,
    delegated: bool = False,
    perbup_number: str = "",
    perbup_date: datetime.date | None = None,
    stage_year: int | None = None,
    active: bool = True,
    is_sample: bool = False,
    actor=None,
    source: str = "code",
    reason: str = "",
    legal_basis: str = "",
) -> Kewenangan:
    """Create an authority and its first history row (from nobody to its holder)."""
    _check_source(source)
    _validate_delegation(delegated, perbup_number, perbup_date)
    kewenangan = Kewenangan(
        code=code,
        name=name,
        sector=sector,
        origin_opd=origin_opd,
        technical_opd=technical_opd,
        delegated=delegated,
        perbup_number=perbup_number,
        perbup_date=perbup_date,
        stage_year=stage_year,
        active=active,
        is_sample=is_sample,
    )
    kewenangan.full_clean()
    kewenangan.save()
    record_initial_holder(
        kewenangan, actor=actor, source=source, reason=reason, legal_basis=legal_basis
    )
    log_event(logger, "kewenangan_created", code=code, delegated=delegated, source=source)
    return kewenangan


def record_initial_holder(
    kewenangan: Kewenangan, *, actor, source: str, reason: str = "", legal_basis: str = ""
) -> Pelimpahan:
    """The first history row of a new authority: from nobody to its holder. Called by
    ``create_kewenangan`` and by the admin's add form."""
    _check_source(source)
    dpmptsp = PerangkatDaerah.objects.filter(is_dpmptsp=True).first()
    return Pelimpahan.objects.create(
        kewenangan=kewenangan,
        from_opd=None,
        to_opd=_holder(kewenangan.delegated, kewenangan.origin_opd, dpmptsp),
        to_origin_opd=kewenangan.origin_opd,
        to_technical_opd=kewenangan.technical_opd,
        from_delegated=None,
        to_delegated=kewenangan.delegated,
        legal_basis=legal_basis or kewenangan.perbup_number,
        effective_date=kewenangan.perbup_date if kewenangan.delegated else None,
        changed_by=actor,
        source=source,
        reason=reason or _("Kewenangan dicatat."),
    )


@transaction.atomic
def reassign_kewenangan(
    kewenangan: Kewenangan,
    *,
    origin_opd: PerangkatDaerah | None = None,
    technical_opd=_UNSET,
    delegated: bool | None = None,
    legal_basis: str,
    effective_date: datetime.date,
    actor,
    reason: str,
    source: str,
    perbup_number: str | None = None,
    perbup_date: datetime.date | None = None,
    stage_year: int | None = None,
) -> Pelimpahan | None:
    """Change the holder of an authority: its origin OPD, its technical OPD and/or whether it
    is delegated to the DPMPTSP. Writes exactly one ``Pelimpahan`` row.

    Arguments left at their default keep the current value (``technical_opd=None`` clears the
    technical OPD). When the authority becomes delegated without ``perbup_number`` /
    ``perbup_date``, ``legal_basis`` / ``effective_date`` are taken as the Perbup number and
    date. Withdrawing a delegation clears the Perbup. Returns ``None`` when nothing changes.
    """
    _check_source(source)
    if not (legal_basis or "").strip():
        raise ValidationError({"legal_basis": _("Dasar hukum perubahan wajib diisi.")})
    if effective_date is None:
        raise ValidationError({"effective_date": _("Tanggal berlaku wajib diisi.")})

    locked = Kewenangan.objects.select_for_update().get(pk=kewenangan.pk)
    new_origin = origin_opd if origin_opd is not None else locked.origin_opd
    new_technical = locked.technical_opd if technical_opd is _UNSET else technical_opd
    new_delegated = locked.delegated if delegated is None else delegated

    if new_delegated:
        if perbup_number is None and perbup_date is None and locked.delegated:
            new_number, new_date = locked.perbup_number, locked.perbup_date
        else:
            new_number = perbup_number if perbup_number is not None else legal_basis.strip()
            new_date = perbup_date if perbup_date is not None else effective_date
    else:
        new_number, new_date = "", None
    _validate_delegation(new_delegated, new_number, new_date)

    before = locked.holder_state()
    dpmptsp = PerangkatDaerah.objects.filter(is_dpmptsp=True).first()
    from_holder = _holder(locked.delegated, locked.origin_opd, dpmptsp)
    history = Pelimpahan(
        kewenangan=locked,
        from_opd=from_holder,
        from_origin_opd=locked.origin_opd,
        from_technical_opd=locked.technical_opd,
        from_delegated=locked.delegated,
    )

    locked.origin_opd = new_origin
    locked.technical_opd = new_technical
    locked.delegated = new_delegated
    locked.perbup_number = new_number
    locked.perbup_date = new_date
    if new_delegated and not locked.stage_year:
        locked.stage_year = stage_year or (new_date.year if new_date else None)
    elif stage_year:
        locked.stage_year = stage_year
    if locked.holder_state() == before:
        return None

    locked.full_clean()
    locked._history_written = True
    locked.save()

    history.to_opd = _holder(new_delegated, new_origin, dpmptsp)
    history.to_origin_opd = new_origin
    history.to_technical_opd = new_technical
    history.to_delegated = new_delegated
    history.legal_basis = legal_basis.strip()
    history.effective_date = effective_date
    history.changed_by = actor
    history.source = source
    history.reason = reason
    history.save()

    # The caller's instance reflects the new state.
    for field in ("origin_opd", "technical_opd", "delegated", "perbup_number", "perbup_date"):
        setattr(kewenangan, field, getattr(locked, field))
    kewenangan.stage_year = locked.stage_year
    kewenangan._loaded_holder = kewenangan.holder_state()
    log_event(
        logger,
        "kewenangan_reassigned",
        code=locked.code,
        from_opd=history.from_opd,
        to_opd=history.to_opd,
        delegated=new_delegated,
        source=source,
    )
    return history


# --- Service standards ----------------------------------------------------------------------


def build_snapshot(jenis_izin: JenisIzin) -> dict:
    """The whole published standard as JSON-ready data (what ``VersiStandar`` freezes)."""
    kewenangan = jenis_izin.kewenangan
    return {
        "slug": jenis_izin.slug,
        "name": jenis_izin.name,
        "kind": jenis_izin.kind,
        "variant": jenis_izin.variant,
        "description": jenis_izin.description,
        "kewenangan": {"code": kewenangan.code, "name": kewenangan.name},
        "sla": {
            "working_days": jenis_izin.sla_working_days,
            "verification_days": jenis_izin.sla_verification_days,
            "technical_days": jenis_izin.sla_technical_days,
            "signing_days": jenis_izin.sla_signing_days,
        },
        "fee": {
            "kind": jenis_izin.fee_kind,
            "amount": jenis_izin.fee_amount,
            "legal_basis": jenis_izin.fee_legal_basis,
        },
        "product": jenis_izin.product,
        "validity": {"months": jenis_izin.validity_months, "note": jenis_izin.validity_note},
        "complaint_channel": jenis_izin.complaint_channel,
        "legal_basis": jenis_izin.legal_basis,
        "needs_field_check": jenis_izin.needs_field_check,
        "needs_technical_review": jenis_izin.needs_technical_review,
        "permit_code": jenis_izin.permit_code,
        "persyaratan": [
            {
                "id": p.pk,
                "name": p.name,
                "explanation": p.explanation,
                "mandatory": p.mandatory,
                "accepted_types": p.accepted_type_list,
                "max_size_kb": p.max_size_kb,
                "template_file": p.template_file.name or "",
            }
            for p in jenis_izin.persyaratan.order_by("order", "id")
        ],
        "langkah": [
            {
                "title": step.title,
                "description": step.description,
                "actor": step.actor,
                "working_days": step.working_days,
            }
            for step in jenis_izin.langkah.order_by("order", "id")
        ],
        "isian": [
            {
                "key": field.key,
                "label": field.label,
                "field_type": field.field_type,
                "required": field.required,
                "choices": field.choice_list,
                "help_text": field.help_text,
                "print_on_permit": field.print_on_permit,
            }
            for field in jenis_izin.isian.order_by("order", "id")
        ],
    }


def check_publishable(jenis_izin: JenisIzin) -> None:
    """The publish invariants: requirements, service time and product (and a fixed fee has an
    amount). Raises ``ValidationError`` naming every missing part."""
    errors = {}
    if not jenis_izin.persyaratan.exists():
        errors["persyaratan"] = _("Layanan tanpa persyaratan tidak dapat diterbitkan.")
    if not jenis_izin.sla_working_days:
        errors["sla_working_days"] = _("Jangka waktu wajib diisi sebelum layanan diterbitkan.")
    if not (jenis_izin.product or "").strip():
        errors["product"] = _("Produk pelayanan wajib diisi sebelum layanan diterbitkan.")
    if jenis_izin.fee_kind == JenisIzin.FeeKind.TETAP and not jenis_izin.fee_amount:
        errors["fee_amount"] = _("Tarif tetap wajib diisi nominalnya.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def publish_standard(
    jenis_izin: JenisIzin,
    *,
    actor,
    sk_number: str = "",
    sk_date: datetime.date | None = None,
) -> VersiStandar:
    """Publish the working copy of a service standard.

    Validates the publish invariants, snapshots the standard and creates a new
    ``VersiStandar`` only when the content (or the SK given) differs from the latest version;
    otherwise returns the latest version unchanged. Sets ``is_published``.
    """
    locked = (
        JenisIzin.objects.select_for_update().select_related("kewenangan").get(pk=jenis_izin.pk)
    )
    check_publishable(locked)
    snapshot = build_snapshot(locked)
    latest = locked.versi.order_by("-number").first()
    sk_unchanged = not sk_number or (
        latest is not None and latest.sk_number == sk_number and latest.sk_date == sk_date
    )
    if latest is not None and latest.snapshot == snapshot and sk_unchanged:
        version = latest
    else:
        version = VersiStandar.objects.create(
            jenis_izin=locked,
            number=(latest.number + 1) if latest else 1,
            snapshot=snapshot,
            sk_number=sk_number,
            sk_date=sk_date,
            published_by=actor,
        )
        log_event(logger, "standard_published", slug=locked.slug, version=version.number)
    if not locked.is_published:
        JenisIzin.objects.filter(pk=locked.pk).update(is_published=True)
    jenis_izin.is_published = True
    return version


@transaction.atomic
def unpublish_standard(jenis_izin: JenisIzin, *, actor) -> None:
    """Withdraw a service from the public catalogue. Its versions stay (applications filed
    under them keep them)."""
    JenisIzin.objects.filter(pk=jenis_izin.pk).update(is_published=False)
    jenis_izin.is_published = False
    log_event(logger, "standard_unpublished", slug=jenis_izin.slug, by=getattr(actor, "pk", None))
