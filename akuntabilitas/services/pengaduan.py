"""Complaints (pengaduan): filing, the officers' workflow, follow-up by ticket, escalation.

The workflow is data (``MOVES``); ``move_pengaduan`` is the one function that changes a
complaint's status. It checks the move and the actor, locks the row, writes the append-only
``RiwayatPengaduan`` row and queues the message to the complainant in the same transaction
(the outbox delivers after commit).

Who handles complaints: the DPMPTSP's front office and back office, and admins
(``COMPLAINT_HANDLER_ROLES``). The head (kepala) reads every complaint and receives the daily
escalation of overdue ones. The response time is ``PengaturanPengaduan.response_working_days``
(admin-editable), counted on the office calendar from the first working day after receipt.
"""

from __future__ import annotations

import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role
from akuntabilitas.models import (
    COMPLAINT_HANDLER_ROLES,
    COMPLAINT_READER_ROLES,
    OPEN_COMPLAINT_STATES,
    Pengaduan,
    PengaduanStatus,
    PengaturanPengaduan,
    RiwayatPengaduan,
)
from kewenangan.models import JenisIzin, PerangkatDaerah
from perizinan.exceptions import WorkflowError
from perizinan.models import Permohonan, private_storage
from perizinan.services.permohonan import next_number
from perizinan.uploads import check_attachment
from perizinan.workdays import default_calendar

logger = logging.getLogger("akuntabilitas.pengaduan")

COUNTER = "pengaduan"
PIN_DIGITS = 6
ATTACHMENT_TYPES = ("pdf", "jpg", "png")
ATTACHMENT_MAX_KB = 2048

S = PengaduanStatus


@dataclass(frozen=True)
class Move:
    name: str
    sources: frozenset
    target: str
    label: str
    #: The answer to the complainant is required (and sent).
    needs_answer: bool = False
    style: str = "primary"


#: The complaint workflow: received -> in follow-up -> answered -> closed.
MOVES: tuple[Move, ...] = (
    Move(
        "follow_up",
        frozenset({S.DITERIMA}),
        S.DITINDAKLANJUTI,
        gettext_lazy("Tindak lanjuti"),
    ),
    Move(
        "answer",
        frozenset({S.DITERIMA, S.DITINDAKLANJUTI}),
        S.DIJAWAB,
        gettext_lazy("Kirim jawaban"),
        needs_answer=True,
        style="success",
    ),
    Move(
        "close",
        frozenset({S.DIJAWAB}),
        S.SELESAI,
        gettext_lazy("Tutup pengaduan"),
        style="outline-secondary",
    ),
)
MOVES_BY_NAME = {m.name: m for m in MOVES}


@dataclass(frozen=True)
class Ticket:
    """What the complainant keeps: the number and the PIN (the PIN is shown only once)."""

    pengaduan: Pengaduan
    pin: str


# --- Helpers -----------------------------------------------------------------------------------


def ticket_number(year: int, n: int) -> str:
    return f"ADU-{year}-{n:06d}"


def new_pin() -> str:
    return f"{secrets.randbelow(10**PIN_DIGITS):0{PIN_DIGITS}d}"


def pin_digest(number: str, pin: str) -> str:
    """A keyed digest of the PIN: the database alone does not reveal it (6 digits would be
    trivial to brute-force from a plain hash)."""
    return salted_hmac("perizinan.pengaduan.pin", f"{number}:{pin}", algorithm="sha256").hexdigest()


def response_working_days() -> int:
    return PengaturanPengaduan.load().response_working_days


def can_read(user) -> bool:
    """May this user open the complaint queue (handlers and the head)?"""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.role not in COMPLAINT_READER_ROLES:
        return False
    opd = getattr(user, "opd", None)
    return user.role == Role.ADMIN or opd is None or opd.is_dpmptsp


def can_handle(user) -> bool:
    """May this user move complaints (follow up, answer, close)?"""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.role not in COMPLAINT_HANDLER_ROLES:
        return False
    opd = getattr(user, "opd", None)
    return user.role == Role.ADMIN or opd is None or opd.is_dpmptsp


def available_moves(pengaduan: Pengaduan, user) -> list[Move]:
    if not can_handle(user):
        return []
    return [m for m in MOVES if pengaduan.status in m.sources]


def _site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _queue(**kwargs) -> None:
    from notifikasi.services import queue_message

    queue_message(**kwargs)


def _resolve_permohonan(number: str) -> Permohonan | None:
    number = (number or "").strip().upper()
    if not number:
        return None
    return (
        Permohonan.objects.submitted()
        .select_related("processing_opd")
        .filter(number=number)
        .first()
    )


# --- Filing ------------------------------------------------------------------------------------


def file_pengaduan(
    *,
    topic: str,
    title: str,
    description: str,
    jenis_izin: JenisIzin | None = None,
    permohonan_number: str = "",
    anonymous: bool = False,
    reporter=None,
    name: str = "",
    email: str = "",
    phone: str = "",
    attachment=None,
) -> Ticket:
    """Record a complaint and give the complainant a ticket number and a PIN.

    Anonymous: no name and no account are stored; an e-mail address or phone only if the
    complainant gives one for the answer. The attachment is checked with the same rules as
    application documents and stored in the private storage under a random name.
    """
    if topic not in Pengaduan.Topic.values:
        raise ValidationError({"topic": _("Pilih perihal pengaduan.")})
    title = (title or "").strip()
    description = (description or "").strip()
    if not title or not description:
        raise ValidationError(_("Ringkasan dan uraian pengaduan wajib diisi."))
    if reporter is not None and not reporter.is_authenticated:
        reporter = None
    name = (name or "").strip()
    if anonymous:
        reporter, name = None, ""
    elif not name and reporter is None:
        raise ValidationError({"name": _("Isi nama Anda, atau pilih pengaduan anonim.")})
    elif not name:
        name = reporter.get_full_name()

    permohonan = _resolve_permohonan(permohonan_number)
    if jenis_izin is None and permohonan is not None:
        jenis_izin = permohonan.jenis_izin
    opd = _unit_of(jenis_izin, permohonan)

    clean = None
    if attachment is not None:
        clean = check_attachment(
            attachment,
            label=_("Lampiran pengaduan"),
            accepted=ATTACHMENT_TYPES,
            max_size_kb=ATTACHMENT_MAX_KB,
        )
    stored_name = ""
    storage = private_storage()
    now = timezone.now()
    today = timezone.localdate(now)
    if clean is not None:
        stored_name = storage.save(
            f"pengaduan/{today.year}/{uuid.uuid4().hex}.{clean.kind}", ContentFile(clean.content)
        )
    try:
        with transaction.atomic():
            days = response_working_days()
            number = ticket_number(today.year, next_number(COUNTER, today.year))
            pin = new_pin()
            pengaduan = Pengaduan.objects.create(
                number=number,
                pin_digest=pin_digest(number, pin),
                topic=topic,
                jenis_izin=jenis_izin,
                permohonan_number=(permohonan_number or "").strip().upper()[:40],
                permohonan=permohonan,
                opd=opd,
                title=title[:200],
                description=description,
                anonymous=anonymous,
                reporter=reporter,
                reporter_name=name[:150],
                reporter_email=(email or "").strip(),
                reporter_phone=(phone or "").strip(),
                attachment_name=stored_name,
                attachment_original_name=clean.original_name if clean else "",
                attachment_content_type=clean.content_type if clean else "",
                attachment_size=clean.size if clean else None,
                attachment_sha256=clean.sha256 if clean else "",
                received_at=now,
                response_working_days=days,
                due_date=default_calendar().add_working_days(today, days),
            )
            RiwayatPengaduan.objects.create(
                pengaduan=pengaduan, action="receive", to_status=S.DITERIMA
            )
            if pengaduan.contact_email:
                _queue(
                    key=f"pengaduan.diterima:{pengaduan.pk}",
                    reference=number,
                    event="pengaduan.diterima",
                    subject=_("Pengaduan %(number)s diterima") % {"number": number},
                    body=_(
                        "Pengaduan Anda kami terima dengan nomor tiket %(number)s.\n"
                        "Kami menjawabnya paling lambat %(due)s.\n"
                        "Ikuti perkembangannya di %(url)s dengan nomor tiket dan PIN yang "
                        "ditampilkan saat pengaduan dikirim."
                    )
                    % {
                        "number": number,
                        "due": pengaduan.due_date.strftime("%d-%m-%Y"),
                        "url": _site_url(reverse("akuntabilitas:pengaduan_lacak")),
                    },
                    email=pengaduan.contact_email,
                    user=None if anonymous else reporter,
                )
    except BaseException:
        if stored_name:
            storage.delete(stored_name)
        raise
    logger.info("event=complaint_filed number=%s topic=%s anonymous=%s", number, topic, anonymous)
    return Ticket(pengaduan=pengaduan, pin=pin)


def _unit_of(jenis_izin: JenisIzin | None, permohonan: Permohonan | None):
    """The unit a complaint is about: the application's processing OPD, else the service's
    holder (the DPMPTSP once delegated), else the DPMPTSP."""
    if permohonan is not None and permohonan.processing_opd_id:
        return permohonan.processing_opd
    if jenis_izin is not None:
        kewenangan = jenis_izin.kewenangan
        if not kewenangan.delegated:
            return kewenangan.origin_opd
    return PerangkatDaerah.objects.filter(is_dpmptsp=True).first()


# --- The officers' workflow --------------------------------------------------------------------


@transaction.atomic
def move_pengaduan(
    pengaduan: Pengaduan,
    *,
    name: str,
    actor,
    answer: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> Pengaduan:
    """The one function that changes a complaint's status (see ``MOVES``)."""
    move = MOVES_BY_NAME.get(name)
    if move is None:
        raise WorkflowError(_("Tindakan “%(name)s” tidak dikenal.") % {"name": name})
    if not can_handle(actor):
        raise WorkflowError(_("Anda tidak berwenang menangani pengaduan."))
    locked = Pengaduan.objects.visible_to(actor).select_for_update().filter(pk=pengaduan.pk).first()
    if locked is None:
        raise WorkflowError(_("Anda tidak berwenang menangani pengaduan ini."))
    if locked.status not in move.sources:
        raise WorkflowError(
            _(
                "Pengaduan %(number)s sekarang berstatus “%(status)s”; tindakan “%(action)s” "
                "tidak dapat dilakukan (mungkin sudah diproses orang lain)."
            )
            % {
                "number": locked.number,
                "status": locked.get_status_display(),
                "action": move.label,
            }
        )
    if expected_version is not None and locked.state_version != expected_version:
        raise WorkflowError(
            _("Pengaduan %(number)s baru saja diubah orang lain. Muat ulang halaman.")
            % {"number": locked.number}
        )
    answer = (answer or "").strip()
    if move.needs_answer and not answer:
        raise ValidationError({"answer": _("Tuliskan jawaban untuk pelapor.")})

    now = timezone.now()
    from_status = locked.status
    locked.status = move.target
    locked.state_version += 1
    fields = ["status", "state_version"]
    if locked.handled_by_id is None:
        locked.handled_by = actor
        fields.append("handled_by")
    if move.target == S.DITINDAKLANJUTI:
        locked.followed_up_at = now
        fields.append("followed_up_at")
    if move.target == S.DIJAWAB:
        calendar = default_calendar()
        received_on = timezone.localdate(locked.received_at)
        answered_on = timezone.localdate(now)
        locked.answer = answer
        locked.answered_at = now
        locked.answered_by = actor
        locked.answered_on_time = answered_on <= locked.due_date
        locked.response_days = calendar.working_days_between(received_on, answered_on)
        fields += ["answer", "answered_at", "answered_by", "answered_on_time", "response_days"]
    if move.target == S.SELESAI:
        locked.closed_at = now
        fields.append("closed_at")
    locked.save(update_fields=fields)
    RiwayatPengaduan.objects.create(
        pengaduan=locked,
        action=move.name,
        from_status=from_status,
        to_status=move.target,
        actor=actor,
        actor_role=actor.role,
        note=(note or "").strip(),
    )
    if move.target == S.DIJAWAB and locked.contact_email:
        _queue(
            key=f"pengaduan.dijawab:{locked.pk}",
            reference=locked.number,
            event="pengaduan.dijawab",
            subject=_("Jawaban atas pengaduan %(number)s") % {"number": locked.number},
            body=_(
                "Pengaduan Anda nomor %(number)s telah dijawab:\n\n%(answer)s\n\n"
                "Jawaban ini juga dapat dilihat di %(url)s dengan nomor tiket dan PIN Anda."
            )
            % {
                "number": locked.number,
                "answer": answer,
                "url": _site_url(reverse("akuntabilitas:pengaduan_lacak")),
            },
            email=locked.contact_email,
            user=None if locked.anonymous else locked.reporter,
        )
    logger.info(
        "event=complaint_%s number=%s from=%s to=%s actor_id=%s",
        move.name,
        locked.number,
        from_status,
        move.target,
        actor.pk,
    )
    return locked


def follow_up_pengaduan(pengaduan: Pengaduan, *, actor, note: str = "") -> Pengaduan:
    return move_pengaduan(pengaduan, name="follow_up", actor=actor, note=note)


def answer_pengaduan(pengaduan: Pengaduan, *, actor, answer: str, note: str = "") -> Pengaduan:
    return move_pengaduan(pengaduan, name="answer", actor=actor, answer=answer, note=note)


def close_pengaduan(pengaduan: Pengaduan, *, actor, note: str = "") -> Pengaduan:
    return move_pengaduan(pengaduan, name="close", actor=actor, note=note)


# --- Escalation --------------------------------------------------------------------------------


def heads():
    """The office heads who receive escalations: active users with the kepala role of the
    DPMPTSP (or without an OPD)."""
    from django.db.models import Q

    from accounts.models import User

    return User.objects.filter(is_active=True, role=Role.KEPALA).filter(
        Q(opd__isnull=True) | Q(opd__is_dpmptsp=True)
    )


@transaction.atomic
def escalate_overdue(*, today: date | None = None) -> int:
    """Send each head ONE message listing the complaints still unanswered after their due
    date; mark and record each complaint's first escalation. Idempotent per day: the message
    key holds the head and the date, and a complaint's escalation is recorded once.

    Returns the number of overdue complaints.
    """
    today = today or timezone.localdate()
    overdue = list(
        Pengaduan.objects.overdue(today)
        .select_for_update()
        .order_by("due_date", "received_at", "id")
    )
    if not overdue:
        return 0
    now = timezone.now()
    first_time = [p for p in overdue if p.escalated_at is None]
    for p in first_time:
        p.escalated_at = now
        p.save(update_fields=["escalated_at"])
        RiwayatPengaduan.objects.create(
            pengaduan=p, action="escalate", from_status=p.status, to_status=p.status
        )
    lines = [
        _("- %(number)s (%(status)s), batas %(due)s: %(title)s")
        % {
            "number": p.number,
            "status": p.get_status_display(),
            "due": p.due_date.strftime("%d-%m-%Y"),
            "title": p.title,
        }
        for p in overdue
    ]
    queue_url = _site_url(reverse("akuntabilitas:pengaduan_queue") + "?status=terlambat")
    recipients = list(heads())
    if not recipients:
        logger.warning("event=complaint_escalation_no_head overdue=%s", len(overdue))
    for head in recipients:
        _queue(
            key=f"pengaduan.eskalasi:{head.pk}:{today.isoformat()}",
            event="pengaduan.eskalasi",
            subject=_("%(count)s pengaduan melewati batas waktu jawaban") % {"count": len(overdue)},
            body=_(
                "Pengaduan berikut belum dijawab melewati batas waktunya:\n\n%(lines)s\n\n"
                "Daftar lengkap: %(url)s"
            )
            % {"lines": "\n".join(lines), "url": queue_url},
            user=head,
        )
    logger.info(
        "event=complaint_escalation overdue=%s newly_escalated=%s heads=%s",
        len(overdue),
        len(first_time),
        len(recipients),
    )
    return len(overdue)


# --- Reads ---------------------------------------------------------------------------------------


def find_by_ticket(number: str, pin: str) -> Pengaduan | None:
    """The complaint with this ticket number and PIN, or None (never says which was wrong)."""
    number = (number or "").strip().upper()
    pin = (pin or "").strip()
    obj = (
        Pengaduan.objects.select_related("jenis_izin")
        .prefetch_related("riwayat")
        .filter(number=number)
        .first()
    )
    if obj is None:
        constant_time_compare(pin_digest(number, pin), "0" * 64)
        return None
    if not constant_time_compare(pin_digest(obj.number, pin), obj.pin_digest):
        return None
    return obj


def queue_for(user, *, status: str = "", today: date | None = None):
    """The officers' complaint queue: open ones first, oldest due date first."""
    qs = Pengaduan.objects.visible_to(user).select_related("jenis_izin", "opd", "handled_by")
    if status == "terlambat":
        qs = qs.overdue(today or timezone.localdate())
    elif status == "terbuka":
        qs = qs.open()
    elif status in S.values:
        qs = qs.filter(status=status)
    return qs.order_by("status", "due_date", "received_at", "id").defer("description", "answer")


def is_overdue(pengaduan: Pengaduan, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return pengaduan.status in OPEN_COMPLAINT_STATES and pengaduan.due_date < today
