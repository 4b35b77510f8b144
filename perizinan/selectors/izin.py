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
from perizinan.models import BeritaAcara, Dokumen, Izin, Permohonan, SalinanIzin, SuratPenolakan
from perizinan.workflow import FINAL_STATES, Status

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
    return (
        Izin.objects.filter(verification_token=token)
        .select_related("superseded_by", "permohonan__previous_izin")
        .first()
    )


def verification_links(izin: Izin) -> dict:
    """For the public verification page: the permit that replaced this one, the one this
    one replaced, and the copies issued (number and date only)."""
    return {
        "successor": izin.superseded_by,
        "predecessor": izin.permohonan.previous_izin,
        "copies": list(izin.salinan.order_by("sequence").values("sequence", "created_at")),
    }


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
    return base.select_related("permohonan", "superseded_by").order_by("-signed_at", "-id")


def get_revocable(user, public_id) -> Izin:
    izin = issued_permits(user).filter(public_id=public_id).first()
    if izin is None:
        raise Http404
    return izin


def permits_expiring_between(first: dt.date, last: dt.date) -> QuerySet[Izin]:
    """Permits stored as valid whose last valid day is from ``first`` to ``last`` (the
    expiry reminders), with the holder's account and the service joined."""
    return (
        Izin.objects.filter(status=Izin.Status.VALID, valid_until__range=(first, last))
        .select_related("permohonan", "permohonan__applicant", "permohonan__jenis_izin")
        .order_by("valid_until", "pk")
    )


def permits_expiring_on(day: dt.date) -> QuerySet[Izin]:
    """Valid permits whose last valid day is ``day``: for the 60- and 7-day reminders
    (``permits_expiring_on(today + timedelta(days=60))``). Holder's account and service are
    joined, so a loop over them makes no further queries."""
    return Izin.objects.expiring_on(day).select_related(
        "permohonan", "permohonan__applicant", "permohonan__jenis_izin"
    )


# --- Life after issue (perizinan.services.lifecycle) ---------------------------------------


def izin_in_view(user, public_id) -> Izin:
    """A permit of a file this user may see (holder, officers in scope), else 404."""
    izin = (
        Izin.objects.visible_to(user)
        .filter(public_id=public_id)
        .select_related("permohonan", "permohonan__jenis_izin")
        .first()
    )
    if izin is None:
        raise Http404
    return izin


def copy_for_download(user, public_id) -> SalinanIzin:
    copy = (
        SalinanIzin.objects.filter(
            public_id=public_id, izin__permohonan__in=Permohonan.objects.visible_to(user)
        )
        .select_related("izin")
        .first()
    )
    if copy is None:
        raise Http404
    return copy


def permit_life(izin: Izin | None, user) -> dict:
    """What the permit box offers this user: renew, amend, copy (each with the reason when
    not), the open renewal or amendment, the copies issued and the permit that replaced it."""
    if izin is None:
        return {}
    from perizinan.services import lifecycle

    renew_refusal = lifecycle.renewal_refusal(izin, user)
    amend_refusal = lifecycle.amendment_refusal(izin, user)
    return {
        "is_holder": izin.permohonan.applicant_id == user.pk,
        "can_renew": renew_refusal is None,
        "renew_refusal": renew_refusal,
        "can_amend": amend_refusal is None,
        "can_copy": lifecycle.copy_refusal(izin, user) is None,
        "follow_up": lifecycle.open_follow_up(izin),
        "copies": list(izin.salinan.order_by("sequence")),
        "successor": izin.superseded_by,
    }


def attach_permits(files) -> None:
    """For the citizen's list of files: set ``listed_permit`` (the permit of an issued file,
    or None) and ``renewal_due`` (its renewal can be asked now and none is on its way) on each
    file. Two queries whatever the number of files."""
    from perizinan.services import lifecycle

    files = list(files)
    issued = [f.pk for f in files if f.status == Status.TERBIT]
    permits = (
        {i.permohonan_id: i for i in Izin.objects.filter(permohonan_id__in=issued)}
        if issued
        else {}
    )
    following = set()
    if permits:
        following = set(
            Permohonan.objects.filter(previous_izin__in=list(permits.values()))
            .exclude(status__in=list(FINAL_STATES))
            .values_list("previous_izin_id", flat=True)
        )
    for f in files:
        izin = permits.get(f.pk)
        f.listed_permit = izin
        f.renewal_due = bool(
            izin is not None and izin.pk not in following and lifecycle.renewal_due(izin)
        )
