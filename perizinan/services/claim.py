"""A citizen takes a counter file into their own account.

A walk-in applicant without e-mail gets an account from the counter with an address that cannot
receive mail and no password (``accounts.services.create_walk_in_applicant``), and a receipt
with the application number and PIN. With that number and PIN, the person signs in to their
own (verified) applicant account and the file moves there: the PIN on the receipt is what the
counter handed to the person at the counter. Nothing else attaches a file to an account: never
an NIK (self-declared, not unique), never a name.

Only such files can be claimed: a file in an account with a real address belongs to whoever
reads that mailbox, who sets the account's password with "lupa kata sandi"
(``accounts.services.accounts_for_password_link``). The move is recorded on the file's
activity (who, when, from which account) and logged; the view limits attempts per address,
per account and per application number (``perizinan.views.pemohon.claim``).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from accounts import services as accounts
from accounts.roles import Role
from config.logs import log_event
from perizinan import selectors
from perizinan.exceptions import WorkflowError
from perizinan.models import Permohonan
from perizinan.services.activity import Kind, record_activity

logger = logging.getLogger("perizinan")


class ClaimRefused(WorkflowError):
    """Number and PIN do not match a file (never says which one was wrong)."""


def claim_counter_file(*, user: Any, number: str, pin: str) -> Permohonan:
    """Move the counter file with this number and PIN into ``user``'s account.

    Raises ``ClaimRefused`` when number and PIN do not match, ``WorkflowError`` when the file
    cannot be claimed (already the user's, or in an account that is not a walk-in's without
    e-mail) or the user may not claim.
    """
    if (
        not getattr(user, "is_authenticated", False)
        or user.role != Role.PEMOHON
        or not user.is_active
        or user.must_verify_email
    ):
        raise WorkflowError(_("Klaim permohonan dilakukan dari akun pemohon yang terverifikasi."))
    found = selectors.track(number, pin)
    if found is None:
        raise ClaimRefused(
            _("Nomor permohonan atau PIN tidak cocok. Periksa kembali tanda terima Anda.")
        )
    with transaction.atomic():
        permohonan = (
            Permohonan.objects.select_for_update(of=("self",))
            .select_related("applicant")
            .get(pk=found.pk)
        )
        previous = permohonan.applicant
        if previous.pk == user.pk:
            raise WorkflowError(_("Permohonan ini sudah ada di akun Anda."))
        if permohonan.assisted_by_id is None or not accounts.is_walk_in_placeholder(previous):
            raise WorkflowError(
                _(
                    "Permohonan ini terdaftar pada akun lain dan tidak dapat diklaim. Bila "
                    "permohonan dientri di loket dengan alamat e-mail Anda, masuk dengan alamat "
                    "itu; buat kata sandinya lewat “Lupa kata sandi”."
                )
            )
        permohonan.applicant = user
        permohonan.save(update_fields=["applicant", "updated_at"])
        record_activity(
            permohonan,
            Kind.CLAIMED,
            user,
            from_applicant_id=previous.pk,
            to_applicant_id=user.pk,
        )
        if not Permohonan.objects.filter(applicant=previous).exists():
            accounts.retire_walk_in_account(user=previous)
    log_event(
        logger,
        "counter_file_claimed",
        number=permohonan.number,
        user_id=user.pk,
        from_user_id=previous.pk,
    )
    return permohonan
