"""Every change of state in the kewenangan app: one function a verb.

* ``create_kewenangan`` and ``reassign_kewenangan``: who holds an authority. Each writes one
  ``Pelimpahan`` (history) row in the same transaction; ``Kewenangan.save`` refuses a holder
  change that did not come through here.
* ``apply_due_changes``: a change dated in the future is scheduled and takes effect on its
  day at 00:00 WIB (beat: ``kewenangan.tasks``; lazily before routing a new application);
  ``cancel_scheduled_change`` withdraws one. A change taking effect republishes the standards
  of the authority's services.
* ``route_summary``, ``step_actor``, ``delegation_basis``: who provides a service, who signs,
  who performs each step and on which legal basis, derived from the current holder.
* ``publish_standard`` / ``unpublish_standard``: freeze a service standard into a
  ``VersiStandar``. A new version is created only when the content changed.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from config.logs import log_event
from kewenangan.models import (
    JenisIzin,
    Kewenangan,
    LangkahProsedur,
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


def _scheduled_refusal(kewenangan: Kewenangan) -> None:
    pending = Pelimpahan.objects.scheduled().filter(kewenangan=kewenangan).first()
    if pending is not None:
        raise ValidationError(
            {
                "effective_date": _(
                    "Kewenangan %(code)s sudah memiliki perubahan terjadwal yang berlaku "
                    "%(date)s. Batalkan dulu perubahan itu di riwayat pelimpahan."
                )
                % {"code": kewenangan.code, "date": date_format(pending.effective_date, "j F Y")}
            }
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
    route_override: str = "",
    today: datetime.date | None = None,
) -> Pelimpahan | None:
    """Change the holder of an authority: its origin OPD, its technical OPD and/or whether it
    is delegated to the DPMPTSP. Writes exactly one ``Pelimpahan`` row.

    Arguments left at their default keep the current value (``technical_opd=None`` clears the
    technical OPD). When the authority becomes delegated without ``perbup_number`` /
    ``perbup_date``, ``legal_basis`` / ``effective_date`` are taken as the Perbup number and
    date. Withdrawing a delegation clears the Perbup. Returns ``None`` when nothing changes.

    A change whose ``effective_date`` is after today (local date, WIB) is **scheduled**: the
    row is stored as ``TERJADWAL`` with the state it sets, the authority keeps its holder, and
    ``apply_due_changes`` applies it on that day at 00:00. A change effective today or earlier
    takes effect at once. Either way the published standards of its services are published
    again when it takes effect. While a change is scheduled no other change is accepted.
    ``route_override`` records the route's missing roles an admin chose to accept.
    """
    _check_source(source)
    if not (legal_basis or "").strip():
        raise ValidationError({"legal_basis": _("Dasar hukum perubahan wajib diisi.")})
    if effective_date is None:
        raise ValidationError({"effective_date": _("Tanggal berlaku wajib diisi.")})

    locked = Kewenangan.objects.select_for_update().get(pk=kewenangan.pk)
    _scheduled_refusal(locked)
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
    new_stage = locked.stage_year
    if new_delegated and not locked.stage_year:
        new_stage = stage_year or (new_date.year if new_date else None)
    elif stage_year:
        new_stage = stage_year

    before = locked.holder_state()
    after = (
        new_origin.pk,
        new_technical.pk if new_technical else None,
        new_delegated,
        new_number,
        new_date,
    )
    if after == before:
        return None

    dpmptsp = PerangkatDaerah.objects.filter(is_dpmptsp=True).first()
    history = Pelimpahan(
        kewenangan=locked,
        from_opd=_holder(locked.delegated, locked.origin_opd, dpmptsp),
        from_origin_opd=locked.origin_opd,
        from_technical_opd=locked.technical_opd,
        from_delegated=locked.delegated,
        to_opd=_holder(new_delegated, new_origin, dpmptsp),
        to_origin_opd=new_origin,
        to_technical_opd=new_technical,
        to_delegated=new_delegated,
        to_perbup_number=new_number,
        to_perbup_date=new_date,
        to_stage_year=new_stage,
        legal_basis=legal_basis.strip(),
        effective_date=effective_date,
        changed_by=actor,
        source=source,
        reason=reason,
        route_override=route_override,
    )
    if effective_date > (today or timezone.localdate()):
        history.status = Pelimpahan.Status.TERJADWAL
        history.save()
        log_event(
            logger,
            "kewenangan_reassignment_scheduled",
            code=locked.code,
            to_opd=history.to_opd,
            effective_date=effective_date.isoformat(),
            source=source,
        )
        return history

    _set_holder(locked, history)
    history.status = Pelimpahan.Status.BERLAKU
    history.applied_at = timezone.now()
    history.save()
    _republish(locked, actor=actor)

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


def _set_holder(locked: Kewenangan, history: Pelimpahan) -> None:
    """Give the (locked) authority the state a history row sets."""
    if history.to_origin_opd is not None:
        locked.origin_opd = history.to_origin_opd
    locked.technical_opd = history.to_technical_opd
    locked.delegated = history.to_delegated
    locked.perbup_number = history.to_perbup_number if history.to_delegated else ""
    locked.perbup_date = history.to_perbup_date if history.to_delegated else None
    locked.stage_year = history.to_stage_year
    locked.full_clean()
    locked._history_written = True
    locked.save()


def _republish(kewenangan: Kewenangan, *, actor) -> None:
    """A change of holder changes who processes, who signs and the legal basis of every
    service of the authority: publish their standards again (a new version each)."""
    for service in JenisIzin.objects.filter(kewenangan=kewenangan, is_published=True):
        try:
            publish_standard(service, actor=actor)
        except ValidationError as exc:  # a standard that cannot be published stays as it was
            log_event(
                logger,
                "standard_republish_refused",
                level=logging.WARNING,
                slug=service.slug,
                error="; ".join(exc.messages),
            )


def apply_due_changes(
    *, today: datetime.date | None = None, kewenangan_ids: list[int] | None = None
) -> list[int]:
    """Apply every scheduled change whose day has come (``effective_date`` on or before today,
    local date: from 00:00 WIB), oldest first; returns the ids of the rows applied.

    Idempotent: each row is applied in its own transaction under the authority's row lock and
    re-read there; a row already applied (by a second run, the lazy call before routing a new
    application, a re-delivered task) or withdrawn is skipped."""
    today = today or timezone.localdate()
    due = Pelimpahan.objects.scheduled().filter(effective_date__lte=today)
    if kewenangan_ids is not None:
        due = due.filter(kewenangan_id__in=kewenangan_ids)
    ids = list(due.order_by("effective_date", "id").values_list("id", flat=True)[:1000])
    return [pk for pk in ids if _apply_scheduled(pk, today=today)]


@transaction.atomic
def _apply_scheduled(pk: int, *, today: datetime.date) -> bool:
    kewenangan_id = Pelimpahan.objects.filter(pk=pk).values_list("kewenangan_id", flat=True).first()
    if kewenangan_id is None:
        return False
    locked = Kewenangan.objects.select_for_update().get(pk=kewenangan_id)
    history = (
        Pelimpahan.objects.select_for_update(of=("self",))
        .select_related("to_origin_opd", "to_technical_opd", "changed_by")
        .filter(pk=pk, status=Pelimpahan.Status.TERJADWAL, effective_date__lte=today)
        .first()
    )
    if history is None:
        return False
    _set_holder(locked, history)
    # The one update a history row gets: the scheduled change took effect.
    Pelimpahan.objects.filter(pk=pk).update(
        status=Pelimpahan.Status.BERLAKU, applied_at=timezone.now()
    )
    _republish(locked, actor=history.changed_by)
    log_event(
        logger,
        "kewenangan_reassigned",
        code=locked.code,
        from_opd=history.from_opd,
        to_opd=history.to_opd,
        delegated=history.to_delegated,
        source=history.source,
        scheduled_for=str(history.effective_date),
    )
    return True


@transaction.atomic
def cancel_scheduled_change(pelimpahan: Pelimpahan, *, actor) -> bool:
    """Withdraw a scheduled change before its day (the row stays, marked ``DIBATALKAN``).
    Returns False when it was not (or no longer) scheduled."""
    changed = Pelimpahan.objects.filter(
        pk=pelimpahan.pk, status=Pelimpahan.Status.TERJADWAL
    ).update(status=Pelimpahan.Status.DIBATALKAN)
    if changed:
        log_event(
            logger,
            "kewenangan_reassignment_cancelled",
            pelimpahan_id=pelimpahan.pk,
            by=getattr(actor, "pk", None),
        )
    return bool(changed)


def scheduled_change(kewenangan: Kewenangan) -> Pelimpahan | None:
    """The change of holder waiting for its day, if any."""
    return (
        Pelimpahan.objects.scheduled()
        .filter(kewenangan=kewenangan)
        .select_related("to_opd", "to_origin_opd", "to_technical_opd")
        .order_by("effective_date", "id")
        .first()
    )


def delegation_basis(kewenangan: Kewenangan) -> tuple[str, datetime.date | None]:
    """The legal basis of who holds the authority now, and its date: the Perbup when
    delegated, else the legal basis of the change in force (e.g. the regulation that returned
    it to its OPD); ("", None) when none was ever entered."""
    if kewenangan.delegated:
        return kewenangan.perbup_number, kewenangan.perbup_date
    latest = (
        Pelimpahan.objects.applied()
        .filter(kewenangan=kewenangan)
        .exclude(legal_basis="")
        .order_by("-applied_at", "-id")
        .values_list("legal_basis", "effective_date")
        .first()
    )
    return (latest[0], latest[1]) if latest else ("", None)


def step_actor(
    role: str, text: str, kewenangan: Kewenangan, *, holder: PerangkatDaerah | None = None
) -> str:
    """Who performs a procedure step, named from the authority's current holder (Indonesian,
    the language of the published standard)."""
    if not role:
        return text
    holder = holder or kewenangan.holder
    office = holder.short_name
    technical = kewenangan.technical_opd
    with translation.override(settings.LANGUAGE_CODE):
        words: dict[str, str] = {
            LangkahProsedur.ActorRole.PEMOHON: _("Pemohon"),
            LangkahProsedur.ActorRole.FRONT_OFFICE: _("Front office %(office)s"),
            LangkahProsedur.ActorRole.BACK_OFFICE: _("Back office %(office)s"),
            LangkahProsedur.ActorRole.TIM_TEKNIS: (
                _("Tim teknis %(office)s") if technical else _("Tim teknis")
            ),
            LangkahProsedur.ActorRole.PENANDATANGAN: _("Kepala %(office)s"),
            LangkahProsedur.ActorRole.PENYELENGGARA: "%(office)s",
        }
        template = words.get(role)
        if template is None:
            return text
        office_name = technical.short_name if role == "tim_teknis" and technical else office
        return str(template) % {"office": office_name}


def route_summary(kewenangan: Kewenangan, jenis_izin: JenisIzin | None = None) -> dict:
    """Who provides the service now, who signs, who reviews and on which legal basis: derived
    from the current holder (JSON-ready, frozen in every published version)."""
    holder = kewenangan.holder
    basis, basis_date = delegation_basis(kewenangan)
    technical = kewenangan.technical_opd
    if jenis_izin is not None and not jenis_izin.needs_technical_review:
        technical = None
    with translation.override(settings.LANGUAGE_CODE):
        signer = _("Kepala %(office)s") % {"office": holder.name}
    return {
        "holder": holder.name,
        "holder_short": holder.short_name,
        "delegated": kewenangan.delegated,
        "origin_opd": kewenangan.origin_opd.name,
        "signer": str(signer),
        "technical_opd": technical.name if technical else "",
        "legal_basis": basis,
        "legal_basis_date": basis_date.isoformat() if basis_date else "",
    }


# --- Service standards ----------------------------------------------------------------------


def build_snapshot(jenis_izin: JenisIzin) -> dict:
    """The whole published standard as JSON-ready data (what ``VersiStandar`` freezes)."""
    kewenangan = jenis_izin.kewenangan
    holder = kewenangan.holder
    route = route_summary(kewenangan, jenis_izin)
    return {
        "slug": jenis_izin.slug,
        "name": jenis_izin.name,
        "kind": jenis_izin.kind,
        "variant": jenis_izin.variant,
        "description": jenis_izin.description,
        "kewenangan": {"code": kewenangan.code, "name": kewenangan.name},
        "penyelenggara": route,
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
                "actor": step_actor(step.actor_role, step.actor, kewenangan, holder=holder),
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
