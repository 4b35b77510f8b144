"""The in-app inbox: reads and the one change a user makes (mark as read)."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from notifikasi import bell
from notifikasi.models import Notifikasi


def inbox_of(user) -> QuerySet[Notifikasi]:
    return Notifikasi.objects.for_user(user).order_by("-created_at", "-id")


def get_own(user, public_id) -> Notifikasi:
    """One of the user's in-app notifications, or 404 (never someone else's)."""
    row = Notifikasi.objects.for_user(user).filter(public_id=public_id).first()
    if row is None:
        raise Http404
    return row


def mark_read(*, user, public_id) -> Notifikasi:
    row = get_own(user, public_id)
    if row.read_at is None:
        Notifikasi.objects.filter(pk=row.pk, read_at__isnull=True).update(read_at=timezone.now())
        row.refresh_from_db(fields=["read_at"])
        bell.forget(user.pk)
    return row


def mark_all_read(*, user) -> int:
    changed = Notifikasi.objects.for_user(user).unread().update(read_at=timezone.now())
    bell.forget(user.pk)
    return changed


def local_path(link: str) -> str:
    """The path of a link to this site ("" for anything else), safe to redirect to."""
    site = settings.SITE_URL.rstrip("/")
    if link.startswith(site + "/"):
        path = link[len(site) :]
        if path.startswith("/") and not path.startswith("//"):
            return path
    return ""
