"""Escalation of overdue complaints: each head of the DPMPTSP gets ONE message a day listing
the complaints still unanswered after their due date (run by
``akuntabilitas.tasks.escalate_overdue_complaints``)."""

from __future__ import annotations

import logging
from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import scope as office
from accounts.roles import Role
from akuntabilitas.models import Pengaduan, RiwayatPengaduan
from akuntabilitas.services import kabar
from config.logs import log_event
from kewenangan.models import PerangkatDaerah

logger = logging.getLogger("akuntabilitas.pengaduan")


def heads() -> QuerySet:
    """The office heads who receive escalations: the active kepala who work for the DPMPTSP
    (``accounts.scope.staff_of``)."""
    from accounts.models import User

    dpmptsp = PerangkatDaerah.objects.filter(is_dpmptsp=True).first()
    return User.objects.filter(office.staff_of(dpmptsp), is_active=True, role=Role.KEPALA)


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
    queue_url = kabar.site_url(reverse("akuntabilitas:pengaduan_queue") + "?status=terlambat")
    recipients = list(heads())
    if not recipients:
        log_event(
            logger, "complaint_escalation_no_head", level=logging.WARNING, overdue=len(overdue)
        )
    for head in recipients:
        kabar.queue(
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
    log_event(
        logger,
        "complaint_escalation",
        overdue=len(overdue),
        newly_escalated=len(first_time),
        heads=len(recipients),
    )
    return len(overdue)
