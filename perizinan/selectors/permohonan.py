"""Reads of applications for the citizen's pages: one application in the user's scope (or
their own), their list, documents, timeline, what the officer asked them to fix, the expected
completion date, and the public tracking lookup by number and PIN."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext

from perizinan.models import Dokumen, Permohonan, RiwayatStatus
from perizinan.selectors.catalogue import form_fields_of
from perizinan.workdays import add_working_days, default_calendar
from perizinan.workflow import FINAL_STATES, Status


def get_visible(user, public_id) -> Permohonan:
    """The application with this public id if the user may see it, else 404."""
    obj = (
        Permohonan.objects.visible_to(user)
        .select_related("jenis_izin", "applicant", "processing_opd", "technical_opd")
        .filter(public_id=public_id)
        .first()
    )
    if obj is None:
        raise Http404
    return obj


def get_own(user, public_id) -> Permohonan:
    """The applicant's own application (for editing moves), else 404."""
    obj = get_visible(user, public_id)
    if obj.applicant_id != user.pk:
        raise Http404
    return obj


def list_for(user) -> QuerySet[Permohonan]:
    """``/permohonan/``: a constant number of queries whatever the length."""
    return (
        Permohonan.objects.visible_to(user)
        .select_related("jenis_izin")
        .only(
            "public_id",
            "status",
            "number",
            "jenis_izin__name",
            "jenis_izin__slug",
            "last_step",
            "submitted_at",
            "due_date",
            "updated_at",
            "created_at",
            "applicant_id",
        )
        .order_by("-updated_at", "-id")
    )


def current_documents(permohonan: Permohonan) -> dict[int, Dokumen]:
    """Current document per requirement id."""
    docs = permohonan.dokumen.filter(is_current=True).select_related("persyaratan")
    return {d.persyaratan_id: d for d in docs}


def document_history(permohonan: Permohonan) -> list[Dokumen]:
    return list(
        permohonan.dokumen.select_related("persyaratan").order_by(
            "persyaratan__order", "persyaratan_id", "-uploaded_at"
        )
    )


def timeline(permohonan: Permohonan) -> list[RiwayatStatus]:
    return list(permohonan.riwayat.order_by("created_at", "id"))


@dataclass(frozen=True)
class CorrectionRequest:
    note: str
    fields: list[str]
    documents: list[Dokumen]
    asked_at: dt.datetime
    #: The applicant's deadline to send the corrections (then the file lapses), and the
    #: working days left until it (0: today).
    due_date: dt.date | None = None
    days_left: int | None = None
    #: The step of the form where the fixing starts: 1 for the applicant's data, 2 for the
    #: service's fields, 3 when only documents are to be replaced.
    first_step: int = 1


def fix_field_labels(jenis_izin) -> dict[str, str]:
    """What an officer may ask to fix, by key: the service's fields and the applicant's data."""
    labels = {f.key: str(f.label) for f in form_fields_of(jenis_izin)}
    labels["applicant"] = gettext("Data pemohon")
    return labels


def fields_to_fix_labels(jenis_izin, keys, labels: dict[str, str] | None = None) -> list[str]:
    """The labels of the fields an officer asked to fix ("Nomor STR"), never their keys; a key
    the service no longer has keeps its key, so nothing asked is lost from sight."""
    if not keys:
        return []
    labels = labels if labels is not None else fix_field_labels(jenis_izin)
    return [labels.get(key, key) for key in keys]


def correction_request(permohonan: Permohonan) -> CorrectionRequest | None:
    """What the officer asked the applicant to fix, while the file waits for the applicant."""
    if permohonan.status not in (Status.DIKEMBALIKAN, Status.PERBAIKAN_TEKNIS):
        return None
    entry = permohonan.riwayat.filter(to_status=permohonan.status).order_by("-created_at").first()
    keys = list(entry.fields_to_fix) if entry else []
    fields = fields_to_fix_labels(permohonan.jenis_izin, keys)
    documents = list(
        permohonan.dokumen.filter(
            is_current=True, verdict=Dokumen.Verdict.NEEDS_CORRECTION
        ).select_related("persyaratan")
    )
    if "applicant" in keys or not (keys or documents):
        first_step = 1
    elif keys:
        first_step = 2
    else:
        first_step = 3
    return CorrectionRequest(
        first_step=first_step,
        note=entry.note if entry else "",
        fields=fields,
        documents=documents,
        asked_at=entry.created_at if entry else permohonan.updated_at,
        due_date=permohonan.fix_due_date,
        days_left=(
            default_calendar().days_left(permohonan.fix_due_date, timezone.localdate())
            if permohonan.fix_due_date
            else None
        ),
    )


@dataclass(frozen=True)
class PaymentDue:
    """What the applicant must pay before the permit is signed, and how (the manual channel:
    a transfer or a deposit to the regency's treasury account, quoting the application
    number; back office confirms it against the bank's proof)."""

    amount: int
    reference: str
    bank: str
    account_name: str
    account_number: str


def payment_due(permohonan: Permohonan) -> PaymentDue | None:
    """The bill of a file waiting for its payment, or None."""
    if permohonan.status != Status.MENUNGGU_PEMBAYARAN or not permohonan.fee_amount:
        return None
    return PaymentDue(
        amount=int(permohonan.fee_amount),
        reference=permohonan.number or "",
        bank=settings.PAYMENT_BANK_NAME,
        account_name=settings.PAYMENT_ACCOUNT_NAME,
        account_number=settings.PAYMENT_ACCOUNT_NUMBER,
    )


def expected_completion(permohonan: Permohonan) -> dt.date | None:
    """The due date once set; before registration an estimate from the submission date."""
    if permohonan.due_date:
        return permohonan.due_date
    if permohonan.status in FINAL_STATES or permohonan.status == Status.DRAFT:
        return None
    if not permohonan.sla_working_days or not permohonan.submitted_at:
        return None
    start = timezone.localdate(permohonan.submitted_at)
    return add_working_days(start, permohonan.sla_working_days)


def track(number: str, pin: str) -> Permohonan | None:
    """The application with this number and PIN, or None (never says which one was wrong)."""
    number = (number or "").strip().upper()
    pin = (pin or "").strip()
    obj = (
        Permohonan.objects.submitted()
        .select_related("jenis_izin")
        .prefetch_related(
            Prefetch("riwayat", queryset=RiwayatStatus.objects.order_by("created_at", "id"))
        )
        .filter(number=number)
        .first()
    )
    if obj is None:
        constant_time_compare(pin, "000000")
        return None
    if not constant_time_compare(pin, obj.pin):
        return None
    return obj
