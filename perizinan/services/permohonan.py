"""An application while the applicant writes it: drafts, their data, the ownership rule.

Keyword-only arguments; each public function owns its transaction and raises ``WorkflowError``
(a move not allowed now) or ``ValidationError`` (bad input) for the view to show. Documents are
``perizinan.services.documents``, submission ``perizinan.services.submission``, status moves
``perizinan.services.transitions``; the numbers (re-exported here) ``perizinan.services.numbering``.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import Role
from config.logs import log_event
from kewenangan.models import JenisIzin
from perizinan.exceptions import WorkflowError
from perizinan.models import Permohonan, private_storage
from perizinan.selectors import accepts_applications, published_services
from perizinan.services.numbering import (  # noqa: F401 - the counters' old home
    APPLICATION_COUNTER,
    application_number,
    new_pin,
    next_number,
)
from perizinan.workflow import EDITABLE_STATES, Status

logger = logging.getLogger("perizinan")


def open_for_applications(jenis_izin: JenisIzin) -> bool:
    """The service is published and accepts applications now."""
    service = published_services().select_related("kewenangan").filter(pk=jenis_izin.pk).first()
    return service is not None and accepts_applications(service)


def profile_prefill(user: Any) -> dict[str, Any]:
    """Step 1 starts from the applicant's profile."""
    return {
        "full_name": user.full_name,
        "email": user.email,
        "nik": user.nik,
        "phone": user.phone,
        "address": user.address,
        "kecamatan_id": user.kecamatan_id,
        "kecamatan": str(user.kecamatan) if user.kecamatan_id else "",
        "desa_id": user.desa_id,
        "desa": user.desa.name if user.desa_id else "",
        "applicant_kind": user.applicant_kind,
        "company_name": user.company_name,
        "nib": user.nib,
        "npwp": user.npwp,
    }


def require_owner(permohonan: Permohonan, actor: Any) -> None:
    """The applicant, or the front office officer who entered the file for a walk-in applicant
    (assisted service: the officer fills in and corrects the file at the counter)."""
    if actor is None:
        raise WorkflowError(_("Hanya pemohon yang dapat mengubah permohonan ini."))
    if permohonan.applicant_id == actor.pk:
        return
    if permohonan.assisted_by_id == actor.pk and actor.role == Role.FRONT_OFFICE:
        return
    raise WorkflowError(_("Hanya pemohon yang dapat mengubah permohonan ini."))


def require_editable(permohonan: Permohonan) -> None:
    if permohonan.status not in EDITABLE_STATES:
        raise WorkflowError(
            _("Permohonan %(number)s sudah diajukan dan tidak dapat diubah lagi.")
            % {"number": permohonan.number or ""}
        )


@transaction.atomic
def start_draft(*, applicant: Any, jenis_izin: JenisIzin) -> Permohonan:
    """Open a draft for a published service, or return the applicant's open draft for it."""
    if applicant.role != Role.PEMOHON:
        raise WorkflowError(_("Hanya akun pemohon yang dapat mengajukan permohonan."))
    if not open_for_applications(jenis_izin):
        raise WorkflowError(_("Layanan ini tidak sedang dibuka untuk permohonan daring."))
    existing = (
        Permohonan.objects.drafts()
        .filter(applicant=applicant, jenis_izin=jenis_izin, kind=Permohonan.Kind.BARU)
        .order_by("-updated_at")
        .first()
    )
    if existing is not None:
        return existing
    draft = Permohonan.objects.create(
        applicant=applicant,
        jenis_izin=jenis_izin,
        applicant_data=profile_prefill(applicant),
    )
    log_event(logger, "draft_started", permohonan_id=draft.pk, service=jenis_izin.slug)
    return draft


@transaction.atomic
def save_applicant_data(permohonan: Permohonan, *, actor: Any, data: dict) -> Permohonan:
    """Step 1. ``data`` is the cleaned form data (JSON-serialisable)."""
    locked = Permohonan.objects.select_for_update().get(pk=permohonan.pk)
    require_owner(locked, actor)
    require_editable(locked)
    locked.applicant_data = {**data, "email": locked.applicant.email}
    locked.last_step = max(locked.last_step, 1)
    locked.save(update_fields=["applicant_data", "last_step", "updated_at"])
    return locked


@transaction.atomic
def save_form_data(permohonan: Permohonan, *, actor: Any, data: dict) -> Permohonan:
    """Step 2: the service's own fields, keyed by ``IsianFormulir.key``."""
    locked = Permohonan.objects.select_for_update().get(pk=permohonan.pk)
    require_owner(locked, actor)
    require_editable(locked)
    locked.form_data = dict(data)
    locked.last_step = max(locked.last_step, 2)
    locked.save(update_fields=["form_data", "last_step", "updated_at"])
    return locked


@transaction.atomic
def mark_step(permohonan: Permohonan, *, actor: Any, step: int) -> Permohonan:
    locked = Permohonan.objects.select_for_update().get(pk=permohonan.pk)
    require_owner(locked, actor)
    require_editable(locked)
    if step > locked.last_step:
        locked.last_step = step
        locked.save(update_fields=["last_step", "updated_at"])
    return locked


@transaction.atomic
def discard_draft(permohonan: Permohonan, *, actor: Any) -> None:
    """Delete a draft that was never submitted (its documents go with it)."""
    locked = Permohonan.objects.select_for_update().get(pk=permohonan.pk)
    require_owner(locked, actor)
    if locked.status != Status.DRAFT:
        raise WorkflowError(_("Hanya draf yang dapat dihapus; gunakan pembatalan."))
    # An infected document's file is already gone (its name cleared by the malware rescan).
    names = list(locked.dokumen.exclude(stored_name="").values_list("stored_name", flat=True))
    locked.delete()
    storage = private_storage()
    transaction.on_commit(lambda: [storage.delete(n) for n in names])
