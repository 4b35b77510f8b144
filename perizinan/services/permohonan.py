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

from accounts import services as accounts
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
    """The applicant, or for a file entered at the counter a front office officer of its office
    (assisted service, ``perizinan.services.actor.may_act_for_applicant``: the officer fills in
    and corrects the file at the counter)."""
    from perizinan.services.actor import may_act_for_applicant

    if actor is None:
        raise WorkflowError(_("Hanya pemohon yang dapat mengubah permohonan ini."))
    if permohonan.applicant_id == actor.pk:
        return
    if may_act_for_applicant(permohonan, actor):
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
def save_applicant_data(
    permohonan: Permohonan, *, actor: Any, data: dict, save_to_profile: bool = False
) -> Permohonan:
    """Step 1. ``data`` is the cleaned form data (JSON-serialisable). With
    ``save_to_profile`` the applicant's own profile gets the same data (their choice on the
    form), so that their next application starts filled in; an officer entering for someone
    never writes to that person's profile this way."""
    locked = Permohonan.objects.select_for_update().get(pk=permohonan.pk)
    require_owner(locked, actor)
    require_editable(locked)
    locked.applicant_data = {**data, "email": locked.applicant.email}
    locked.last_step = max(locked.last_step, 1)
    locked.save(update_fields=["applicant_data", "last_step", "updated_at"])
    if save_to_profile and actor.pk == locked.applicant_id:
        accounts.update_profile(user=locked.applicant, **profile_changes(data))
    return locked


def _by_pk(model: Any, pk: Any) -> Any:
    return model.objects.filter(pk=pk).first() if pk else None


def profile_changes(data: dict) -> dict[str, Any]:
    """Step 1's data as changes to the applicant's profile (the inverse of ``profile_prefill``)."""
    from accounts.models import Desa, Kecamatan

    return {
        "full_name": data.get("full_name", ""),
        "nik": data.get("nik", ""),
        "phone": data.get("phone", ""),
        "address": data.get("address", ""),
        "kecamatan": _by_pk(Kecamatan, data.get("kecamatan_id")),
        "desa": _by_pk(Desa, data.get("desa_id")),
        "applicant_kind": data.get("applicant_kind", ""),
        "company_name": data.get("company_name", ""),
        "nib": data.get("nib", ""),
        "npwp": data.get("npwp", ""),
    }


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
    """Record that the applicant finished ``step``, only as far as the steps are complete: a
    draft saved on step 3 with documents missing resumes on step 3, not as "done"."""
    from perizinan.services.submission import missing_by_step

    locked = Permohonan.objects.select_for_update().get(pk=permohonan.pk)
    require_owner(locked, actor)
    require_editable(locked)
    missing = missing_by_step(locked)
    step = next((n - 1 for n in range(1, step + 1) if missing.get(n)), step)
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
