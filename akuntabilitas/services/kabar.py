"""What the complainant and the heads are told goes through notifikasi's outbox (written in
the caller's transaction, delivered after commit); the links they carry are absolute."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def tracking_url() -> str:
    """The public page where a complainant follows a complaint by ticket and PIN."""
    return site_url(reverse("akuntabilitas:pengaduan_lacak"))


def queue(**kwargs: Any) -> None:
    """One message to the outbox (``notifikasi.services.queue_message``)."""
    from notifikasi.services import queue_message

    queue_message(**kwargs)
