"""From a change of status to messages: who hears about it, on which channels, in which words.

``on_status_changed`` receives ``perizinan.signals.status_changed`` INSIDE ``transition()``'s
transaction and writes the outbox rows there (they commit or roll back with the change);
delivery starts after commit. Moves without an event are ignored with a debug log, so a new
move in ``perizinan.workflow.TRANSITIONS`` never breaks a transition.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from config.logs import log_event
from notifikasi import services as notifikasi
from perizinan import scope, workflow
from perizinan.models import Permohonan

logger = logging.getLogger("perizinan.notifications")

# --- Events ----------------------------------------------------------------------------------
# To the applicant
SUBMITTED = "permohonan_diajukan"
RESUBMITTED = "permohonan_perbaikan_diterima"
RETURNED = "permohonan_dikembalikan"
REGISTERED = "permohonan_terdaftar"
FIELD_CHECK = "permohonan_cek_lapangan"
FEE_DUE = "permohonan_retribusi"
ISSUED = "permohonan_terbit"
REJECTED = "permohonan_ditolak"
LAPSED = "permohonan_gugur"
WITHDRAWN = "permohonan_dibatalkan"
EXPIRING = "izin_akan_berakhir"
FIX_DUE_SOON = "permohonan_batas_perbaikan"
# To officers
NEW_IN_QUEUE = "petugas_berkas_baru"
DUE_TOMORROW = "petugas_jatuh_tempo_besok"
OVERDUE_DIGEST = "petugas_terlambat"

APPLICANT_EVENTS = (
    SUBMITTED,
    RESUBMITTED,
    RETURNED,
    REGISTERED,
    FIELD_CHECK,
    FEE_DUE,
    ISSUED,
    REJECTED,
    LAPSED,
    WITHDRAWN,
    EXPIRING,
    FIX_DUE_SOON,
)
OFFICER_EVENTS = (NEW_IN_QUEUE, DUE_TOMORROW, OVERDUE_DIGEST)
ALL_EVENTS = APPLICANT_EVENTS + OFFICER_EVENTS

#: The applicant's message for each move of ``perizinan.workflow.TRANSITIONS`` (a test holds
#: every name here to a move of the table; a move without a message here sends the applicant
#: nothing).
APPLICANT_EVENT_BY_TRANSITION = {
    "submit": SUBMITTED,
    "resubmit": RESUBMITTED,
    "technical_fixed": RESUBMITTED,
    "return_for_correction": RETURNED,
    "request_technical_fix": RETURNED,
    "register": REGISTERED,
    "recommend_payment": FEE_DUE,
    "issue": ISSUED,
    # A rejection recommendation is not a decision: the applicant hears of it only when the
    # signer rejects (``reject``). Sending a file between desks (``send_back``,
    # ``return_to_technical``) is the office's own business: the officers who act next are
    # told (``queue_officers``), the applicant is not.
    "reject": REJECTED,
    "refuse": REJECTED,
    "lapse": LAPSED,
    "withdraw": WITHDRAWN,
}

# --- Links -----------------------------------------------------------------------------------


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def permohonan_link(permohonan: Permohonan) -> str:
    """The applicant's page of the file."""
    return absolute(
        reverse("perizinan:permohonan_detail", kwargs={"public_id": permohonan.public_id})
    )


def officer_link(permohonan: Permohonan) -> str:
    """The officers' page of the file."""
    return absolute(reverse("petugas:file", kwargs={"public_id": permohonan.public_id}))


def download_link(permohonan: Permohonan) -> str:
    """The issued permit's download (addressed by the application, like the detail page)."""
    return absolute(reverse("perizinan:izin_download", kwargs={"public_id": permohonan.public_id}))


# --- Context ---------------------------------------------------------------------------------


def permohonan_context(permohonan: Permohonan, **extra) -> dict:
    service = permohonan.jenis_izin
    return {
        "permohonan": permohonan,
        "nomor": permohonan.number or "",
        "layanan": service.name,
        "nama_pemohon": permohonan.applicant_name,
        "batas_waktu": permohonan.due_date,
        # The applicant's own deadline while the file is back with them (None otherwise).
        "batas_perbaikan": permohonan.fix_due_date,
        "tautan": permohonan_link(permohonan),
        **extra,
    }


def payment_context(permohonan: Permohonan) -> dict:
    """The bill in the message: the amount and the manual way to pay (as on the file page)."""
    from perizinan.selectors import payment_due
    from perizinan.services.fees import rupiah

    due = payment_due(permohonan)
    if due is None:
        return {}
    return {
        "jumlah_retribusi": rupiah(due.amount),
        "bank": due.bank,
        "rekening_nama": due.account_name,
        "rekening_nomor": due.account_number,
    }


# --- Channels --------------------------------------------------------------------------------


def applicant_channels(user) -> list[str]:
    """E-mail always (legal notices); in-app and SMS/WhatsApp as chosen in the profile."""
    return notifikasi.channels_for(user)


def officer_channels(user) -> list[str]:
    return notifikasi.channels_for(user, staff=True)


def notify_user(
    *,
    user,
    event: str,
    key_prefix: str,
    context: dict,
    channels: list[str],
    permohonan: Permohonan | None = None,
    link: str = "",
) -> int:
    """Render ``event`` for ``user`` in their language and queue it on each channel (through
    ``notifikasi.services.notify``). Returns the number of rows written."""
    return notifikasi.notify(
        user=user,
        event=event,
        key=key_prefix,
        context=context,
        channels=channels,
        link=link,
        reference=(permohonan.number or "") if permohonan is not None else "",
    )


def notify_applicant(permohonan: Permohonan, event: str, *, key_prefix: str, **extra) -> int:
    applicant = permohonan.applicant
    if not applicant.is_active:
        return 0
    context = permohonan_context(permohonan, **extra)
    return notify_user(
        user=applicant,
        event=event,
        key_prefix=key_prefix,
        context=context,
        channels=applicant_channels(applicant),
        permohonan=permohonan,
        link=context.get("tautan", ""),
    )


# --- Officers --------------------------------------------------------------------------------


def officers_with_roles(permohonan: Permohonan, roles) -> list:
    """The active officers with one of ``roles`` whose scope holds this file (the inverse of
    ``visible_to``: ``perizinan.scope.officers_for``)."""
    return scope.officers_for(permohonan, roles)


def queue_officers(permohonan: Permohonan, from_status: str | None, to_status: str) -> list:
    """The officers told that the file, moving from ``from_status`` to ``to_status``, is new in
    their queue: those of the roles the workflow derives (``new_in_queue_roles``: at
    submission the front office, at registration the back office, at the technical review the
    tim teknis, at signing the head), in the file's scope."""
    return officers_with_roles(permohonan, workflow.new_in_queue_roles(from_status, to_status))


def acting_roles(status: str) -> frozenset:
    """The officers' roles that act on a file in ``status`` (from the workflow table)."""
    return workflow.officer_roles_for(status)


def responsible_officers(permohonan: Permohonan) -> list:
    """Who must act on the file now: the officer who claimed it, else every officer whose
    role acts in its state."""
    assigned = getattr(permohonan, "assigned_to", None)
    if assigned is not None and assigned.is_active:
        return [assigned]
    return officers_with_roles(permohonan, acting_roles(permohonan.status))


# --- The receiver ----------------------------------------------------------------------------


def on_status_changed(
    sender, permohonan, transition, from_status=None, to_status=None, note="", **kwargs
):
    """Write the messages of one status change, in ``transition()``'s transaction.

    A message that cannot be written (a bug, a missing template) is logged and dropped in its
    own savepoint: it never blocks or rolls back the state change itself."""
    try:
        with transaction.atomic():
            queue_status_messages(
                permohonan, transition, from_status=from_status, to_status=to_status, note=note
            )
    except Exception:  # noqa: BLE001 - the state change must go through; the error is logged
        log_event(
            logger,
            "notification_receiver_error",
            level=logging.ERROR,
            exc_info=True,
            transition=transition,
            number=permohonan.number,
        )


def queue_status_messages(
    permohonan: Permohonan,
    transition: str,
    *,
    from_status: str | None = None,
    to_status: str | None = None,
    note: str = "",
) -> int:
    to_status = to_status or permohonan.status
    written = 0
    key_prefix = f"p{permohonan.pk}:v{permohonan.state_version}"
    event = APPLICANT_EVENT_BY_TRANSITION.get(transition)
    if event is None:
        log_event(
            logger,
            "notification_no_event",
            level=logging.DEBUG,
            transition=transition,
            number=permohonan.number,
        )
    else:
        extra: dict[str, Any] = {"catatan": note, "status": permohonan.get_status_display()}
        if event == RETURNED:
            from perizinan.selectors import correction_request

            request = correction_request(permohonan)
            if request is not None:
                extra["isian_diperbaiki"] = request.fields
                extra["dokumen_diperbaiki"] = [d.persyaratan.name for d in request.documents]
        if event == ISSUED:
            extra["tautan_unduh"] = download_link(permohonan)
        if event == FEE_DUE:
            extra.update(payment_context(permohonan))
        written += notify_applicant(permohonan, event, key_prefix=key_prefix, **extra)

    told = queue_officers(permohonan, from_status, to_status)
    if told:
        context = permohonan_context(
            permohonan,
            tautan=officer_link(permohonan),
            status=permohonan.get_status_display(),
            # The signer reads whether the tim teknis recommends approval or rejection.
            rekomendasi=(
                permohonan.get_recommendation_display() if permohonan.recommendation else ""
            ),
            alasan_rekomendasi=permohonan.recommendation_reasons,
        )
        for officer in told:
            written += notify_user(
                user=officer,
                event=NEW_IN_QUEUE,
                key_prefix=key_prefix,
                context=context,
                channels=officer_channels(officer),
                permohonan=permohonan,
            )
    log_event(logger, f"permohonan.{transition}", number=permohonan.number, notifications=written)
    return written


def notify_field_check(permohonan: Permohonan, *, when, place: str = "", note: str = "") -> int:
    """Tell the applicant about a scheduled field check (for the officers' workflow to call in
    its own transaction when it schedules one that is not a status move)."""
    key_prefix = f"p{permohonan.pk}:cek:{when:%Y%m%d%H%M}"
    return notify_applicant(
        permohonan, FIELD_CHECK, key_prefix=key_prefix, waktu=when, tempat=place, catatan=note
    )
