"""The daily messages: files due on the next working day (07:00), the overdue digest (one
message per person listing all their overdue files), the applicants' reminder before their
own deadline to fix a file, and the permit expiry reminders.

Each message's key carries the day, so running a task twice on the same day sends nothing new.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from config.logs import log_event
from perizinan.models import Permohonan
from perizinan.notifications.events import (
    DUE_TOMORROW,
    EXPIRING,
    FIX_DUE_SOON,
    OVERDUE_DIGEST,
    absolute,
    notify_applicant,
    notify_user,
    officer_channels,
    officer_link,
    responsible_officers,
)
from perizinan.selectors.izin import permits_expiring_between
from perizinan.workflow import FINAL_STATES, WAITING_FOR_APPLICANT, Status

logger = logging.getLogger("perizinan.notifications")

#: Days before a permit's end date on which its holder is reminded, unless
#: ``settings.PERMIT_EXPIRY_REMINDER_DAYS`` says otherwise.
EXPIRY_REMINDER_DAYS = (90, 60, 30, 7)


def expiry_reminder_days() -> list[int]:
    days = getattr(settings, "PERMIT_EXPIRY_REMINDER_DAYS", None) or EXPIRY_REMINDER_DAYS
    return sorted({int(d) for d in days if int(d) >= 0}, reverse=True)


#: Files whose clock runs: submitted, not decided and not waiting for the applicant.
_STOPPED = FINAL_STATES | WAITING_FOR_APPLICANT | {Status.DRAFT}


def running_files():
    related = ["jenis_izin", "processing_opd", "technical_opd", "assigned_to"]
    return (
        Permohonan.objects.exclude(status__in=list(_STOPPED))
        .filter(due_date__isnull=False)
        .select_related(*related)
        .order_by("due_date", "number")
    )


def next_working_day(day: dt.date) -> dt.date:
    from perizinan.workdays import add_working_days

    return add_working_days(day, 1)


def _digest_context(files: list[Permohonan], **extra) -> dict:
    return {
        "berkas": [
            {
                "nomor": f.number,
                "layanan": f.jenis_izin.name,
                "status": f.get_status_display(),
                "batas_waktu": f.due_date,
                "tautan": officer_link(f),
            }
            for f in files
        ],
        "jumlah": len(files),
        **extra,
    }


def _dashboard_link() -> str:
    return absolute(reverse("petugas:dashboard"))


def queue_due_tomorrow(*, today: dt.date | None = None) -> int:
    """One message per officer listing the files in their queue due on the next working day."""
    today = today or timezone.localdate()
    due = next_working_day(today)
    per_officer: dict[int, tuple] = {}
    for permohonan in running_files().filter(due_date=due):
        for officer in responsible_officers(permohonan):
            per_officer.setdefault(officer.pk, (officer, []))[1].append(permohonan)
    written = 0
    for officer, files in per_officer.values():
        written += notify_user(
            user=officer,
            event=DUE_TOMORROW,
            key_prefix=f"d{today:%Y%m%d}",
            context=_digest_context(files, tanggal=due, tautan=_dashboard_link()),
            channels=officer_channels(officer),
        )
    log_event(logger, "due_tomorrow_queued", officers=len(per_officer), rows=written)
    return written


def overdue_recipients() -> list:
    from accounts.models import User

    roles = [r for r in getattr(settings, "NOTIFICATION_OVERDUE_ROLES", []) if r in Role.values]
    return list(User.objects.filter(role__in=roles, is_active=True).order_by("pk"))


def queue_overdue_digests(*, today: dt.date | None = None) -> int:
    """One digest per supervisor and head: every overdue file in their scope
    (``Permohonan.objects.visible_to``), in one message."""
    today = today or timezone.localdate()
    overdue_ids = set(running_files().filter(due_date__lt=today).values_list("pk", flat=True))
    if not overdue_ids:
        return 0
    by_pk = {p.pk: p for p in running_files().filter(pk__in=overdue_ids)}
    written = 0
    recipients = 0
    for person in overdue_recipients():
        visible = Permohonan.objects.visible_to(person).filter(pk__in=overdue_ids)
        files = [by_pk[pk] for pk in visible.values_list("pk", flat=True) if pk in by_pk]
        if not files:
            continue
        files.sort(key=lambda f: (f.due_date, f.number or ""))
        recipients += 1
        written += notify_user(
            user=person,
            event=OVERDUE_DIGEST,
            key_prefix=f"d{today:%Y%m%d}",
            context=_digest_context(files, tanggal=today, tautan=_dashboard_link()),
            channels=officer_channels(person),
        )
    log_event(logger, "overdue_digest_queued", recipients=recipients, rows=written)
    return written


def queue_expiry_reminders(*, today: dt.date | None = None) -> int:
    """Remind each holder of a permit in force at the configured days before its end
    (``PERMIT_EXPIRY_REMINDER_DAYS``, 90, 60, 30 and 7 by default), each reminder once.

    A permit is reminded for the nearest threshold it has reached: one ending in 45 days gets
    its 60-day reminder (also when the beat missed the 60th day), and its 30-day one later.
    The outbox key names the permit and the threshold, so a second run, or a run the next day
    still inside the same window, writes nothing. A permit with a renewal on its way (a draft
    or a file in progress) is not reminded."""
    today = today or timezone.localdate()
    thresholds = expiry_reminder_days()
    if not thresholds:
        return 0
    written = 0
    expiring = list(permits_expiring_between(today, today + dt.timedelta(days=thresholds[0])))
    renewing = set(
        Permohonan.objects.filter(previous_izin__in=expiring)
        .exclude(status__in=list(FINAL_STATES))
        .values_list("previous_izin_id", flat=True)
    )
    for izin in expiring:
        if izin.pk in renewing:
            continue
        remaining = (izin.valid_until - today).days
        days = min(d for d in thresholds if d >= remaining)
        written += notify_applicant(
            izin.permohonan,
            EXPIRING,
            key_prefix=f"izin{izin.pk}:h{days}",
            izin=izin,
            nomor_izin=izin.number,
            berlaku_sampai=izin.valid_until,
            sisa_hari=remaining,
        )
    log_event(logger, "expiry_reminders_queued", rows=written)
    return written


def queue_fix_deadline_reminders(*, today: dt.date | None = None) -> int:
    """Remind each applicant whose file waits for them (returned, technical fix) that its
    deadline is ``settings.FIX_REMINDER_WORKING_DAYS`` working days away or nearer: once per
    deadline (a new deadline after a new return is reminded again), never after it passed."""
    from perizinan.tasks.workflow import WAITING_STATES
    from perizinan.workdays import default_calendar

    today = today or timezone.localdate()
    calendar = default_calendar()
    horizon = calendar.add_working_days(today, settings.FIX_REMINDER_WORKING_DAYS)
    files = (
        Permohonan.objects.filter(
            status__in=WAITING_STATES, fix_due_date__gte=today, fix_due_date__lte=horizon
        )
        .select_related("jenis_izin", "applicant")
        .order_by("fix_due_date", "id")
    )
    written = 0
    for permohonan in files:
        written += notify_applicant(
            permohonan,
            FIX_DUE_SOON,
            key_prefix=f"p{permohonan.pk}:fix{permohonan.fix_due_date:%Y%m%d}",
            sisa_hari=calendar.days_left(permohonan.fix_due_date, today),
        )
    log_event(logger, "fix_deadline_reminders_queued", rows=written)
    return written
