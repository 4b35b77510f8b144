"""Reads with rules about permits: the head's signing queue, downloads, the public
verification lookup, the issued-permits list and the expiry reminders' selection.

Every read of an application goes through ``Permohonan.objects.visible_to``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from accounts.roles import Role
from perizinan.models import BeritaAcara, Dokumen, Izin, Permohonan, SuratPenolakan
from perizinan.workflow import Status

#: ``secrets.token_urlsafe(24)`` is 32 characters; anything much longer is not a token.
MAX_TOKEN_LENGTH = 64


def sign_queue(user) -> QuerySet[Permohonan]:
    """Files waiting for this head's signature, oldest deadline first (constant queries)."""
    if user is None or not user.is_authenticated or user.role != Role.KEPALA:
        return Permohonan.objects.none()
    return (
        Permohonan.objects.visible_to(user)
        .filter(status=Status.PENANDATANGANAN)
        .select_related("jenis_izin")
        .only(
            "public_id",
            "number",
            "status",
            "applicant_data",
            "due_date",
            "submitted_at",
            "updated_at",
            "recommendation",
            "jenis_izin__name",
        )
        .order_by("due_date", "submitted_at", "id")
    )


@dataclass(frozen=True)
class DecisionBasis:
    """What the signer reads before deciding: every current document with its verdict, the
    field reports (BAP) and the tim teknis's recommendation (on the file itself)."""

    documents: list[Dokumen]
    reports: list[BeritaAcara]


def decision_basis(permohonan: Permohonan) -> DecisionBasis:
    """Two queries, whatever the number of documents and reports."""
    documents = list(
        permohonan.dokumen.filter(is_current=True)
        .select_related("persyaratan", "verdict_by")
        .order_by("persyaratan__order", "persyaratan_id")
    )
    reports = list(permohonan.berita_acara.select_related("uploaded_by"))
    return DecisionBasis(documents=documents, reports=reports)


def get_signable(user, public_id) -> Permohonan:
    """A file in this head's queue, else 404."""
    obj = (
        Permohonan.objects.visible_to(user)
        .filter(status=Status.PENANDATANGANAN, public_id=public_id)
        .select_related("jenis_izin", "versi", "processing_opd")
        .first()
    )
    if obj is None or user.role != Role.KEPALA:
        raise Http404
    return obj


def permit_for_download(user, public_id) -> Izin:
    """The permit of an application this user may see (owner, officers in scope), else 404."""
    izin = (
        Izin.objects.filter(
            permohonan__public_id=public_id,
            permohonan__in=Permohonan.objects.visible_to(user),
        )
        .select_related("permohonan")
        .first()
    )
    if izin is None:
        raise Http404
    return izin


def rejection_letter_for_download(user, public_id) -> SuratPenolakan:
    letter = (
        SuratPenolakan.objects.filter(
            permohonan__public_id=public_id,
            permohonan__in=Permohonan.objects.visible_to(user),
        )
        .select_related("permohonan")
        .first()
    )
    if letter is None:
        raise Http404
    return letter


def permit_by_token(token: str) -> Izin | None:
    """The permit a verification QR code points to (public: no user)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return Izin.objects.filter(verification_token=token).first()


def issued_permits(user) -> QuerySet[Izin]:
    """``/petugas/izin/``: permits in this head's scope, or every permit for an admin."""
    if user is None or not user.is_authenticated:
        return Izin.objects.none()
    if user.role == Role.ADMIN:
        base = Izin.objects.all()
    elif user.role == Role.KEPALA:
        base = Izin.objects.visible_to(user)
    else:
        return Izin.objects.none()
    return base.select_related("permohonan").order_by("-signed_at", "-id")


def get_revocable(user, public_id) -> Izin:
    izin = issued_permits(user).filter(public_id=public_id).first()
    if izin is None:
        raise Http404
    return izin


def permits_expiring_on(day: dt.date) -> QuerySet[Izin]:
    """Valid permits whose last valid day is ``day``: for the 60- and 7-day reminders
    (``permits_expiring_on(today + timedelta(days=60))``). Holder's account and service are
    joined, so a loop over them makes no further queries."""
    return Izin.objects.expiring_on(day).select_related(
        "permohonan", "permohonan__applicant", "permohonan__jenis_izin"
    )
