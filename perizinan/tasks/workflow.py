"""Deadlines that act by themselves: a file whose applicant let their deadline pass (a return
for correction or a technical fix) lapses (DIKEMBALIKAN/PERBAIKAN_TEKNIS -> GUGUR), through
``transition(..., actor=Actor.system())``; two working days before, the applicant is reminded
(``remind_fix_deadlines``, once per deadline).

Idempotent: each file is moved in its own transaction by the one transition function, which
re-checks the state under a row lock; a file already moved (by the applicant's fix, a second
run, a re-delivered task) is skipped. The history row (actor: system) is the record that the
work was done.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from config.logs import log_event
from perizinan.exceptions import WorkflowError
from perizinan.models import Permohonan
from perizinan.pdf.layout import format_date_id
from perizinan.workflow import TRANSITIONS_BY_NAME

#: The states in which a file waits for its applicant until a deadline: the sources of "lapse".
WAITING_STATES = sorted(TRANSITIONS_BY_NAME["lapse"].sources)

logger = logging.getLogger("perizinan")

LAPSE_NOTE = (
    "Batas waktu perbaikan terlewati tanpa perbaikan; permohonan gugur. "
    "Silakan mengajukan permohonan baru."
)


def lapse_internal_note(due) -> str:
    """The history's internal note of a lapse, in words (the office's language)."""
    return f"Gugur otomatis: batas perbaikan pemohon {format_date_id(due)} terlewati."


def lapse_overdue_fixes(*, today=None) -> list[int]:
    """Move every file past its fix deadline to GUGUR; returns the ids moved."""
    from perizinan.services import Actor, transition

    today = today or timezone.localdate()
    ids = list(
        Permohonan.objects.filter(status__in=WAITING_STATES, fix_due_date__lt=today)
        .order_by("fix_due_date", "id")
        .values_list("id", flat=True)[:1000]
    )
    moved = []
    for pk in ids:
        permohonan = Permohonan.objects.filter(pk=pk).first()
        if permohonan is None:
            continue
        try:
            transition(
                permohonan,
                name="lapse",
                actor=Actor.system(),
                note=LAPSE_NOTE,
                internal_note=lapse_internal_note(permohonan.fix_due_date),
            )
        except WorkflowError:
            continue  # already fixed or moved meanwhile
        moved.append(pk)
        log_event(logger, "lapsed", number=permohonan.number)
    return moved


@shared_task(
    name="perizinan.tasks.workflow.lapse_overdue_fixes",
    acks_late=True,
    ignore_result=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
)
def lapse_overdue_fixes_task() -> int:
    return len(lapse_overdue_fixes())
