"""Scanning again what was stored while the scanner was away (``pending``), then what was
stored without a scan (``unscanned``: before scanning existed, or in development).

Every model that keeps uploaded files is described by a ``HeldUploads`` row: perizinan's own
(``Dokumen``, ``BeritaAcara``) here, others register theirs from their ``AppConfig.ready``
(``akuntabilitas``: complaint attachments). ``rescan_held_uploads`` is the body of the
``perizinan.tasks.scanning`` task that beat runs every minute.

Idempotent and safe to run twice at once: the file is read and scanned without a lock, then
the row is locked and changed only if it still names the same file in a state to rescan.
Clean: the file becomes visible. Infected: the row is marked, the file's name cleared, the
file deleted after commit and the model's ``on_infected`` hook runs in the same transaction
(perizinan notifies the applicant and asks for a new file). When the scanner is still
unavailable the run stops at once: nothing changes and the next run tries again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files.storage import storages
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from config.logs import log_event
from perizinan.scanning.scanners import Outcome, Scanner, get_scanner
from perizinan.scanning.status import TO_RESCAN, ScanStatus

logger = logging.getLogger("perizinan.scanning")


@dataclass(frozen=True)
class HeldUploads:
    """A model whose rows name an uploaded file in a storage and carry its scan state."""

    model: str  # "app_label.ModelName"
    name_field: str = "stored_name"
    status_field: str = "scan_status"
    scanned_at_field: str = "scanned_at"
    signature_field: str = "scan_signature"
    storage: str = "private"
    #: Dotted path of ``hook(obj, signature)``, run in the transaction that marks a row
    #: infected (the file's name is already cleared on ``obj``).
    on_infected: str = ""

    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)


_REGISTRY: dict[str, HeldUploads] = {}


def register_held_uploads(spec: HeldUploads) -> None:
    """Called from an app's ``AppConfig.ready()`` (a second call replaces the first)."""
    _REGISTRY[spec.model] = spec


def held_uploads() -> list[HeldUploads]:
    return list(_REGISTRY.values())


register_held_uploads(
    HeldUploads("perizinan.Dokumen", on_infected="perizinan.services.documents.document_infected")
)
register_held_uploads(
    HeldUploads(
        "perizinan.BeritaAcara", on_infected="perizinan.services.documents.field_report_infected"
    )
)


@dataclass
class RescanReport:
    clean: int = 0
    infected: int = 0
    missing: int = 0
    #: True when the scanner gave no verdict: the run stopped, the rest waits.
    stopped: bool = False
    reason: str = ""

    @property
    def changed(self) -> int:
        return self.clean + self.infected


def rescan_held_uploads(
    *, scanner: Scanner | None = None, batch: int | None = None, seconds: float | None = None
) -> RescanReport:
    """Scan up to ``batch`` files per model (``UPLOAD_RESCAN_BATCH``), for at most ``seconds``
    (``UPLOAD_RESCAN_SECONDS``): the held ones first, oldest first."""
    scanner = scanner or get_scanner()
    limit: int = batch if batch is not None else settings.UPLOAD_RESCAN_BATCH
    budget: float = seconds if seconds is not None else settings.UPLOAD_RESCAN_SECONDS
    deadline = time.monotonic() + budget
    report = RescanReport()
    for spec in held_uploads():
        for pk in _candidates(spec, limit):
            if time.monotonic() > deadline:
                break
            outcome = _rescan_one(spec, pk, scanner, report)
            if outcome in (Outcome.UNAVAILABLE, Outcome.SKIPPED):
                report.stopped = True
                break
        if report.stopped:
            break
    if report.changed or report.stopped or report.missing:
        log_event(
            logger,
            "uploads_rescanned",
            level=logging.WARNING if report.stopped else logging.INFO,
            clean=report.clean,
            infected=report.infected,
            missing=report.missing,
            stopped=report.stopped,
            reason=report.reason,
        )
    return report


def _candidates(spec: HeldUploads, batch: int) -> list[int]:
    model = spec.model_class()
    held_first = models.Case(
        models.When(**{spec.status_field: ScanStatus.PENDING}, then=models.Value(0)),
        default=models.Value(1),
    )
    return list(
        model._base_manager.filter(**{f"{spec.status_field}__in": TO_RESCAN})
        .exclude(**{spec.name_field: ""})
        .order_by(held_first, "pk")
        .values_list("pk", flat=True)[:batch]
    )


def _rescan_one(spec: HeldUploads, pk: int, scanner: Scanner, report: RescanReport):
    model = spec.model_class()
    row = (
        model._base_manager.filter(pk=pk, **{f"{spec.status_field}__in": TO_RESCAN})
        .values(spec.name_field)
        .first()
    )
    name = row[spec.name_field] if row else ""
    if not name:
        return None  # done meanwhile
    storage = storages[spec.storage]
    try:
        with storage.open(name, "rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        report.missing += 1
        log_event(logger, "held_upload_missing", level=logging.ERROR, model=spec.model, id=pk)
        return None
    result = scanner.scan(content)
    if not result.has_verdict:
        report.reason = result.detail or str(result.outcome)
        return result.outcome
    with transaction.atomic():
        obj = (
            model._base_manager.select_for_update()
            .filter(pk=pk, **{spec.name_field: name, f"{spec.status_field}__in": TO_RESCAN})
            .first()
        )
        if obj is None:
            return None
        setattr(obj, spec.scanned_at_field, timezone.now())
        changed = [spec.status_field, spec.scanned_at_field]
        if result.outcome == Outcome.CLEAN:
            setattr(obj, spec.status_field, ScanStatus.CLEAN)
        else:
            setattr(obj, spec.status_field, ScanStatus.INFECTED)
            setattr(obj, spec.signature_field, result.signature)
            setattr(obj, spec.name_field, "")
            changed += [spec.signature_field, spec.name_field]
        obj.save(update_fields=changed)
        if result.outcome == Outcome.INFECTED:
            if spec.on_infected:
                hook: Callable[[Any, str], None] = import_string(spec.on_infected)
                hook(obj, result.signature)
            transaction.on_commit(lambda: _delete(storage, name, spec.model, pk))
    if result.outcome == Outcome.CLEAN:
        report.clean += 1
    else:
        report.infected += 1
    log_event(
        logger,
        "held_upload_scanned",
        level=logging.WARNING if result.outcome == Outcome.INFECTED else logging.INFO,
        model=spec.model,
        id=pk,
        outcome=str(result.outcome),
        signature=result.signature,
    )
    return result.outcome


def _delete(storage, name: str, model: str, pk: int) -> None:
    try:
        storage.delete(name)
    except OSError:
        log_event(
            logger,
            "infected_upload_not_deleted",
            level=logging.ERROR,
            exc_info=True,
            model=model,
            id=pk,
        )
