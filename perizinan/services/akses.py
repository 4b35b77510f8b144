"""The citizen's view of staff access to their documents (UU PDP No. 27 Tahun 2022).

Every view or download of an applicant's document by staff is written to ``AksesDokumen`` by
``perizinan.services.permohonan.record_document_access``. This module reads that log back for
the applicant whose applications the documents belong to, and for nobody else: staff names on
official acts are not secret, and the data subject has the right to know who processed their
data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from accounts.roles import Role
from perizinan.models import AksesDokumen

#: What the citizen's pages show of a record; nothing else is read from the database.
_FIELDS = (
    "accessed_at",
    "inline",
    "user_role",
    "user_unit",
    "dokumen",
    "dokumen__original_name",
    "dokumen__permohonan",
    "dokumen__permohonan__public_id",
    "dokumen__permohonan__number",
    "dokumen__persyaratan",
    "dokumen__persyaratan__name",
    "user",
    "user__full_name",
    "user__opd",
    "user__opd__name",
)


@dataclass(frozen=True)
class AccessEntry:
    """One staff access, as the applicant sees it."""

    accessed_at: dt.datetime
    permohonan_number: str
    permohonan_public_id: object
    requirement: str
    file_name: str
    inline: bool
    role: str
    staff_name: str
    unit: str


def document_access_of(applicant) -> QuerySet[AksesDokumen]:
    """Staff access to the documents of ``applicant``'s own applications, newest first, with
    everything the page shows joined in (one query, whatever the number of rows). The
    applicant's own downloads are never listed (they are not recorded either)."""
    if applicant is None or not applicant.is_authenticated:
        return AksesDokumen.objects.none()
    return (
        AksesDokumen.objects.filter(dokumen__permohonan__applicant=applicant)
        .exclude(user=applicant)
        .select_related("dokumen__permohonan", "dokumen__persyaratan", "user__opd")
        .only(*_FIELDS)
        .order_by("-accessed_at", "-id")
    )


def _role_label(value: str) -> str:
    try:
        return str(Role(value).label)
    except ValueError:
        return value


def unit_of(staff) -> str:
    """The staff member's OPD; officers and admins bound to none work for the DPMPTSP (the
    same rule as ``Permohonan.objects.visible_to``)."""
    if staff.opd_id is not None:
        return staff.opd.name
    return settings.OFFICE_NAME


def describe_access(records: Iterable[AksesDokumen]) -> list[AccessEntry]:
    """The rows of ``document_access_of`` as the page shows them (no further queries).

    The role and the unit are the ones the staff member had at the time of access (stored
    with the record); records written before the unit was stored show the OPD they have now.
    """
    return [
        AccessEntry(
            accessed_at=record.accessed_at,
            permohonan_number=record.dokumen.permohonan.number or "",
            permohonan_public_id=record.dokumen.permohonan.public_id,
            requirement=record.dokumen.persyaratan.name,
            file_name=record.dokumen.original_name,
            inline=record.inline,
            role=_role_label(record.user_role),
            staff_name=record.user.full_name,
            unit=record.user_unit or unit_of(record.user),
        )
        for record in records
    ]


def latest_access(applicant, limit: int = 5) -> list[AccessEntry]:
    """The ``limit`` most recent entries, for the profile page."""
    return describe_access(document_access_of(applicant)[:limit])
