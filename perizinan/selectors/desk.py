"""Reads of the officers' desk beside the queues: the dashboard counts (cached briefly per
scope), the officer's own open files, the file page's application, its history (status
moves and desk activity), and the documents and BAPs an officer may open."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from accounts.roles import Role
from accounts.scope import works_for_dpmptsp
from perizinan.models import BeritaAcara, Dokumen, Permohonan
from perizinan.selectors.permohonan import fields_to_fix_labels, fix_field_labels
from perizinan.workflow import ACTIVE_STATES, WAITING_FOR_APPLICANT, Status

COUNTS_CACHE_SECONDS = 60


def _counts_key(user, today: dt.date) -> str:
    """Officers of one role and office share the counts (the DPMPTSP's include those
    without an OPD, ``accounts.scope``)."""
    if user.role == Role.ADMIN:
        scope = "all"
    else:
        scope = f"{user.role}:{'dpmptsp' if works_for_dpmptsp(user) else user.opd_id}"
    return f"petugas:counts:{scope}:{today.isoformat()}"


def dashboard_counts(user, *, today: dt.date | None = None, use_cache: bool = True) -> dict:
    """Counts per state, due today and overdue in the user's scope: one grouped query over
    the running files, cached briefly per scope (officers of one desk share it)."""
    today = today or timezone.localdate()
    key = _counts_key(user, today)
    if use_cache:
        cached = cache.get(key)
        if cached is not None:
            return cached
    running = ~Q(status__in=WAITING_FOR_APPLICANT)
    rows = (
        Permohonan.objects.visible_to(user)
        .filter(status__in=ACTIVE_STATES)
        .order_by()
        .values("status")
        .annotate(
            n=Count("id"),
            overdue=Count("id", filter=running & Q(due_date__lt=today)),
            due_today=Count("id", filter=running & Q(due_date=today)),
            unassigned=Count("id", filter=Q(assigned_to__isnull=True)),
        )
    )
    by_status = {r["status"]: r for r in rows}
    result = {
        "by_status": {
            s: by_status.get(s, {}).get("n", 0) for s in Status.values if s in ACTIVE_STATES
        },
        "overdue": sum(r["overdue"] for r in by_status.values()),
        "due_today": sum(r["due_today"] for r in by_status.values()),
        "unassigned": {s: r["unassigned"] for s, r in by_status.items()},
        "total": sum(r["n"] for r in by_status.values()),
    }
    if use_cache:
        cache.set(key, result, COUNTS_CACHE_SECONDS)
    return result


def my_open_count(user) -> int:
    return Permohonan.objects.filter(assigned_to=user, status__in=ACTIVE_STATES).count()


def officer_file(user, public_id) -> Permohonan:
    """The file page's object: in scope or 404."""
    obj = (
        Permohonan.objects.visible_to(user)
        .select_related(
            "jenis_izin__kewenangan",
            "applicant",
            "processing_opd",
            "technical_opd",
            "assigned_to",
            "assisted_by",
            "payment_confirmed_by",
            "recommended_by",
            "versi",
        )
        .filter(public_id=public_id)
        .first()
    )
    if obj is None:
        raise Http404
    return obj


@dataclass(frozen=True)
class HistoryItem:
    at: dt.datetime
    kind: str  # "status" or an AktivitasBerkas kind
    entry: object
    #: A status move's fields to fix, by their labels (never their keys).
    fields_to_fix: tuple[str, ...] = ()


def officer_history(permohonan: Permohonan) -> list[HistoryItem]:
    """Status moves and the desk's activity (notes, claims, verdicts, re-routing), in time."""
    moves = list(permohonan.riwayat.select_related("actor").order_by("created_at", "id"))
    labels = fix_field_labels(permohonan.jenis_izin) if any(m.fields_to_fix for m in moves) else {}
    items = [
        HistoryItem(
            r.created_at, "status", r, tuple(fields_to_fix_labels(None, r.fields_to_fix, labels))
        )
        for r in moves
    ]
    items += [
        HistoryItem(a.created_at, a.kind, a)
        for a in permohonan.aktivitas.select_related("actor").order_by("created_at", "id")
    ]
    return sorted(items, key=lambda i: i.at)


def officer_document(user, public_id):
    """An applicant's document the officer may open (scope through ``visible_to``; scanned,
    never one held for the malware scanner or found infected), or 404."""
    visible = Permohonan.objects.visible_to(user)
    dokumen = (
        Dokumen.objects.servable()
        .select_related("permohonan", "persyaratan")
        .filter(public_id=public_id, permohonan__in=visible)
        .first()
    )
    if dokumen is None:
        raise Http404
    return dokumen


def officer_berita_acara(user, public_id):
    visible = Permohonan.objects.visible_to(user)
    report = (
        BeritaAcara.objects.servable().filter(public_id=public_id, permohonan__in=visible).first()
    )
    if report is None:
        raise Http404
    return report
