"""What a permit or a rejection letter says, and how it is numbered.

Numbers: a permit number comes from the gapless per-year counter ``izin:<office>`` and is
formatted with ``settings.PERMIT_NUMBER_FORMAT`` (default ``503/{seq:04d}/{code}/{office}/{year}``;
``settings.PERMIT_NUMBER_FORMATS`` may override it per service slug). ``office`` is
``settings.PERMIT_OFFICE_CODE`` (``DPMPTSP``) when the DPMPTSP processes the file (a delegated
route), else the processing (origin) OPD's short name; ``code`` is the service's
``permit_code`` as frozen in its published version. Rejection letters have their own counter
``penolakan:<office>`` and ``settings.REJECTION_NUMBER_FORMAT``.

The text: the holder (from the application's applicant snapshot, NIK masked), the decision,
the conditions and the validity as frozen in the standard's version the file was filed under,
and the preview the head sees before signing.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

from accounts.pii import mask_nik
from kewenangan.models import PejabatPenandatangan
from perizinan.models import Permohonan
from perizinan.pdf import format_date_id
from perizinan.signing import get_signer

DEFAULT_PERMIT_NUMBER_FORMAT = "503/{seq:04d}/{code}/{office}/{year}"
DEFAULT_REJECTION_NUMBER_FORMAT = "503/{seq:04d}/PENOLAKAN/{office}/{year}"
DEFAULT_OFFICE_CODE = "DPMPTSP"
DEFAULT_PERMIT_CODE = "IZIN"
PERMIT_COUNTER_PREFIX = "izin"
REJECTION_COUNTER_PREFIX = "penolakan"

#: Printed on every permit after the service's own validity note. Document text: fixed
#: Indonesian, not translated (see ``perizinan.pdf``).
STANDARD_CONDITIONS = (
    "Pemegang izin wajib mematuhi ketentuan peraturan perundang-undangan yang berlaku.",
    "Izin ini dapat dicabut apabila pemegang izin melanggar ketentuan atau tidak lagi "
    "memenuhi persyaratan.",
    "Keaslian izin ini dapat diperiksa melalui kode QR atau alamat verifikasi di bawah.",
)


# --- Numbers and the route's office ------------------------------------------------------------


def _issuing_opd(permohonan: Permohonan) -> Any:
    """The OPD in whose name the file's permit or letter is issued, or None for the DPMPTSP
    (the office of ``settings``): the processing OPD unless it is the DPMPTSP."""
    opd = permohonan.processing_opd
    return None if opd is None or opd.is_dpmptsp else opd


def office_code(permohonan: Permohonan) -> str:
    """``DPMPTSP`` for files the DPMPTSP processes (delegated), else the origin OPD's short
    name."""
    opd = _issuing_opd(permohonan)
    if opd is None:
        return getattr(settings, "PERMIT_OFFICE_CODE", DEFAULT_OFFICE_CODE)
    return opd.short_name


def office_name(permohonan: Permohonan) -> str:
    opd = _issuing_opd(permohonan)
    return settings.OFFICE_NAME if opd is None else opd.name


def signer_title(permohonan: Permohonan) -> str:
    """The title printed above the signature and shown on the public verification page."""
    return f"Kepala {office_name(permohonan)}"


def snapshot_of(permohonan: Permohonan) -> dict:
    versi = permohonan.versi
    return dict(versi.snapshot or {}) if versi is not None else {}


def permit_code(permohonan: Permohonan) -> str:
    code = snapshot_of(permohonan).get("permit_code") or permohonan.jenis_izin.permit_code
    return code or DEFAULT_PERMIT_CODE


def number_format_for(permohonan: Permohonan) -> str:
    overrides = getattr(settings, "PERMIT_NUMBER_FORMATS", None) or {}
    return str(
        overrides.get(permohonan.jenis_izin.slug)
        or getattr(settings, "PERMIT_NUMBER_FORMAT", DEFAULT_PERMIT_NUMBER_FORMAT)
    )


def format_number(fmt: str, *, seq: int, code: str, office: str, year: int) -> str:
    """Fill a number format; an unknown placeholder is a configuration error."""
    try:
        return fmt.format(seq=seq, code=code, office=office, year=year)
    except (KeyError, IndexError, ValueError) as error:
        raise ImproperlyConfigured(
            f"Permit/letter number format {fmt!r} is invalid ({error!r}); use the placeholders "
            "{seq}, {code}, {office} and {year}, e.g. "
            f"{DEFAULT_PERMIT_NUMBER_FORMAT!r}."
        ) from error


def counter_key(prefix: str, office: str) -> str:
    return f"{prefix}:{office}"[:60]


# --- Validity ------------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months; the 31st becomes the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def validity_months(permohonan: Permohonan) -> int | None:
    """The validity frozen in the standard's version the file was filed under."""
    snapshot = snapshot_of(permohonan)
    if "validity" in snapshot:
        return (snapshot.get("validity") or {}).get("months")
    return permohonan.jenis_izin.validity_months


def valid_until_for(permohonan: Permohonan, issued_on: dt.date) -> dt.date | None:
    """The last valid day: ``issued_on`` + N months - 1 day; None = valid while compliant."""
    months = validity_months(permohonan)
    if not months:
        return None
    return add_months(issued_on, months) - dt.timedelta(days=1)


def follow_up_valid_until(permohonan: Permohonan, issued_on: dt.date) -> dt.date | None:
    """The last valid day of a permit issued on ``issued_on`` for this file. A renewal extends
    the previous permit: its months count from the day after the previous one ends when that
    is still ahead (no day of the old permit is lost). An amendment changes the data, not the
    term: it ends when the permit it replaces ends."""
    previous = permohonan.previous_izin if permohonan.previous_izin_id else None
    if previous is None:
        return valid_until_for(permohonan, issued_on)
    if permohonan.kind == Permohonan.Kind.PERUBAHAN:
        return previous.valid_until
    start = issued_on
    if previous.valid_until is not None and previous.valid_until >= issued_on:
        start = previous.valid_until + dt.timedelta(days=1)
    return valid_until_for(permohonan, start)


# --- What the permit says --------------------------------------------------------------------


def holder_of(permohonan: Permohonan) -> dict:
    """Holder's name, masked NIK and address from the application's applicant snapshot."""
    data = permohonan.applicant_data or {}
    address = ", ".join(
        part for part in (data.get("address"), data.get("desa"), data.get("kecamatan")) if part
    )
    return {
        "name": permohonan.applicant_name,
        "nik_masked": mask_nik(data.get("nik")),
        "address": address,
    }


def legal_basis_of(permohonan: Permohonan) -> list[str]:
    """The legal basis of the standard the file was filed under, one item per regulation
    (the standard writes them one a line or separated by semicolons), then the regulation that
    gives the authority to its holder (the delegation Perbup, frozen in the same version's
    ``penyelenggara``), unless the service's own text already names it."""
    snapshot = snapshot_of(permohonan)
    text = snapshot.get("legal_basis") or permohonan.jenis_izin.legal_basis or ""
    items = []
    for line in str(text).replace("\r", "\n").split("\n"):
        for part in line.split(";"):
            item = " ".join(part.split()).strip(" ,.")
            if item:
                items.append(item)
    holder_basis = " ".join(
        str((snapshot.get("penyelenggara") or {}).get("legal_basis") or "").split()
    ).strip(" ,.")
    if holder_basis and not any(holder_basis.lower() in item.lower() for item in items):
        items.append(holder_basis)
    return items


def decision_text(permohonan: Permohonan) -> str:
    snapshot = snapshot_of(permohonan)
    product = snapshot.get("product") or permohonan.jenis_izin.product or "izin"
    basis = (
        "Berdasarkan dasar hukum tersebut di atas dan"
        if legal_basis_of(permohonan)
        else "Berdasarkan"
    )
    follows = ""
    previous = permohonan.previous_izin if permohonan.previous_izin_id else None
    if previous is not None:
        what = "perpanjangan" if permohonan.kind == Permohonan.Kind.PERPANJANGAN else "perubahan"
        follows = f" sebagai {what} atas izin nomor {previous.number}"
    return (
        f"{basis} hasil pemeriksaan atas permohonan nomor {permohonan.number}, "
        f"{office_name(permohonan)} {settings.REGENCY_NAME} dengan ini memberikan "
        f"{product}{follows} dengan ketentuan sebagaimana tercantum di bawah ini."
    )


def _printed_value(field_type: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    text = str(value).strip()
    if field_type == "date" and text:
        try:
            return format_date_id(dt.date.fromisoformat(text[:10]))
        except ValueError:
            return text
    return " ".join(text.split())


def printed_fields_of(permohonan: Permohonan) -> list[dict[str, str]]:
    """The service's own fields its permit prints and its verification page shows
    (``IsianFormulir.print_on_permit``), as frozen in the standard's version the file was
    filed under (the live fields for a version published before the flag existed), with the
    applicant's answers: ``[{"label": ..., "value": ...}]``, empty answers left out."""
    snapshot_fields = snapshot_of(permohonan).get("isian") or []
    if any("print_on_permit" in item for item in snapshot_fields):
        fields = [
            (item.get("key"), item.get("label"), item.get("field_type", "text"))
            for item in snapshot_fields
            if item.get("print_on_permit")
        ]
    else:
        fields = list(
            permohonan.jenis_izin.isian.filter(print_on_permit=True)
            .order_by("order", "id")
            .values_list("key", "label", "field_type")
        )
    data = permohonan.form_data or {}
    printed = []
    for key, label, field_type in fields:
        value = _printed_value(field_type, data.get(key))
        if key and value:
            printed.append({"label": str(label), "value": value})
    return printed


def signer_details(user: Any) -> dict[str, str]:
    """The name, NIP and rank printed under the signature: the signer's official data
    (``kewenangan.PejabatPenandatangan``, kept by admins), else the account's name."""
    official = PejabatPenandatangan.objects.filter(user_id=user.pk).first()
    name = user.full_name or user.get_short_name()
    if official is None:
        return {"name": name, "nip": "", "rank": ""}
    return {"name": official.printed_name or name, "nip": official.nip, "rank": official.rank}


def conditions_of(permohonan: Permohonan) -> list[str]:
    snapshot = snapshot_of(permohonan)
    note = ((snapshot.get("validity") or {}).get("note") or "").strip()
    if not note:
        note = (permohonan.jenis_izin.validity_note or "").strip()
    return ([note] if note else []) + list(STANDARD_CONDITIONS)


def verification_url(token: str) -> str:
    path = reverse("perizinan:verifikasi", kwargs={"token": token})
    return settings.SITE_URL.rstrip("/") + path


@dataclass(frozen=True)
class PermitPreview:
    """What the head sees before signing: everything but the number, token and time."""

    permohonan: Permohonan
    service_name: str
    product_name: str
    holder_name: str
    holder_nik_masked: str
    holder_address: str
    decision_text: str
    legal_basis: list[str]
    printed_fields: list[dict[str, str]]
    conditions: list[str]
    valid_until: dt.date | None
    office_code: str
    signer_title: str
    number_example: str
    certified: bool
    provider: str


def permit_preview(permohonan: Permohonan, *, today: dt.date | None = None) -> PermitPreview:
    today = today or timezone.localdate()
    holder = holder_of(permohonan)
    signer = get_signer()
    office = office_code(permohonan)
    return PermitPreview(
        permohonan=permohonan,
        service_name=permohonan.jenis_izin.name,
        product_name=product_of(permohonan),
        holder_name=holder["name"],
        holder_nik_masked=holder["nik_masked"],
        holder_address=holder["address"],
        decision_text=decision_text(permohonan),
        legal_basis=legal_basis_of(permohonan),
        printed_fields=printed_fields_of(permohonan),
        conditions=conditions_of(permohonan),
        valid_until=follow_up_valid_until(permohonan, today),
        office_code=office,
        signer_title=signer_title(permohonan),
        number_example=format_number(
            number_format_for(permohonan),
            seq=0,
            code=permit_code(permohonan),
            office=office,
            year=today.year,
        ),
        certified=bool(getattr(signer, "certified", False)),
        provider=str(getattr(signer, "provider", "")),
    )


def product_of(permohonan: Permohonan) -> str:
    return snapshot_of(permohonan).get("product") or permohonan.jenis_izin.product or "Izin"


def data_fingerprint(values: dict) -> str:
    """SHA-256 of the permit's canonical data (printed on the permit)."""
    canonical = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
