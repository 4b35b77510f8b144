"""Filing a complaint and following it by ticket: the ticket number (``ADU-<year>-<n>``, a
gapless counter), the PIN (shown once, kept as a keyed digest), the receipt to the complainant,
and finding a complaint by ticket and PIN."""

from __future__ import annotations

import logging
import secrets
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from akuntabilitas.models import Pengaduan, PengaduanStatus, PengaturanPengaduan, RiwayatPengaduan
from akuntabilitas.services import kabar
from config.logs import log_event
from kewenangan.models import JenisIzin, PerangkatDaerah
from perizinan.models import Permohonan, private_storage
from perizinan.scanning import scan_upload
from perizinan.services.numbering import next_number
from perizinan.uploads import check_attachment
from perizinan.workdays import default_calendar

logger = logging.getLogger("akuntabilitas.pengaduan")

COUNTER = "pengaduan"
PIN_DIGITS = 6
ATTACHMENT_TYPES = ("pdf", "jpg", "png")
ATTACHMENT_MAX_KB = 2048

S = PengaduanStatus


@dataclass(frozen=True)
class Ticket:
    """What the complainant keeps: the number and the PIN (the PIN is shown only once)."""

    pengaduan: Pengaduan
    pin: str


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

    Anonymous: no name, no e-mail address, no phone number and no account are stored (what is
    passed for them is dropped; the database refuses them too, constraint
    ``pengaduan_anonymous_has_no_identity``), so no receipt or answer is mailed: the
    complainant follows the ticket with its number and PIN. The attachment is checked with the
    same rules as application documents and stored in the private storage under a random name.
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
    email = (email or "").strip()
    phone = (phone or "").strip()
    if anonymous:
        reporter, name, email, phone = None, "", "", ""
    elif not name and reporter is None:
        raise ValidationError({"name": _("Isi nama Anda, atau pilih pengaduan anonim.")})
    elif not name:
        name = reporter.get_full_name()

    permohonan = _resolve_permohonan(permohonan_number)
    if jenis_izin is None and permohonan is not None:
        jenis_izin = permohonan.jenis_izin
    opd = _unit_of(jenis_izin, permohonan)

    clean = None
    scan = None
    if attachment is not None:
        label = _("Lampiran pengaduan")
        clean = check_attachment(
            attachment,
            label=label,
            accepted=ATTACHMENT_TYPES,
            max_size_kb=ATTACHMENT_MAX_KB,
        )
        # Malware scan before it is stored: infected, refused; scanner away, held.
        scan = scan_upload(clean.content, requirement=str(label), what="pengaduan")
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
                reporter_email=email,
                reporter_phone=phone,
                attachment_name=stored_name,
                attachment_original_name=clean.original_name if clean else "",
                attachment_content_type=clean.content_type if clean else "",
                attachment_size=clean.size if clean else None,
                attachment_sha256=clean.sha256 if clean else "",
                **(scan.fields("attachment_") if scan else {}),
                received_at=now,
                response_working_days=days,
                due_date=default_calendar().add_working_days(today, days),
            )
            RiwayatPengaduan.objects.create(
                pengaduan=pengaduan, action="receive", to_status=S.DITERIMA
            )
            if pengaduan.contact_email:
                kabar.queue(
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
                        "url": kabar.tracking_url(),
                    },
                    email=pengaduan.contact_email,
                    user=None if anonymous else reporter,
                )
    except BaseException:
        if stored_name:
            storage.delete(stored_name)
        raise
    log_event(logger, "complaint_filed", number=number, topic=topic, anonymous=anonymous)
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
