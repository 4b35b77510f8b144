"""Applying a checked import file: kewenangan upserted by code in one transaction (or rolled
back after a dry run); a change of holder goes through ``reassign_kewenangan`` and writes a
history row."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kewenangan.importers.checking import parse_file
from kewenangan.models import Kewenangan
from kewenangan.services import create_kewenangan, reassign_kewenangan


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: dict[str, list[str]] = field(default_factory=dict)
    reassigned: list[str] = field(default_factory=list)
    unchanged: int = 0
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.reassigned)


class _DryRunRollback(Exception):
    pass


def import_kewenangan(
    path,
    *,
    dry_run: bool = False,
    actor=None,
    legal_basis: str = "",
    effective_date: datetime.date | None = None,
) -> ImportReport:
    """Upsert the kewenangan of a CSV/XLSX file by code, all or nothing.

    Holder changes write a history row with the Perbup of the row as legal basis (or
    ``legal_basis``, or "Impor <file>") and its date as effective date (or ``effective_date``,
    or today). ``dry_run`` does everything, reports it and rolls back.
    """
    path = Path(path)
    rows = parse_file(path)
    report = ImportReport(dry_run=dry_run)
    try:
        with transaction.atomic():
            _apply(rows, path, report, actor, legal_basis, effective_date)
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
    return report


def _apply(rows, path, report, actor, legal_basis, effective_date):
    existing = {
        k.code: k
        for k in Kewenangan.objects.select_for_update().filter(code__in=[r.code for r in rows])
    }
    today = timezone.localdate()
    for row in rows:
        reason = _("Impor %(file)s baris %(line)s") % {"file": path.name, "line": row.line}
        basis = row.perbup_number or legal_basis or _("Impor %(file)s") % {"file": path.name}
        kewenangan = existing.get(row.code)
        if kewenangan is None:
            create_kewenangan(
                code=row.code,
                name=row.name,
                sector=row.sector,
                origin_opd=row.origin_opd,
                technical_opd=row.technical_opd,
                delegated=row.delegated,
                perbup_number=row.perbup_number,
                perbup_date=row.perbup_date,
                stage_year=row.stage_year,
                active=row.active,
                is_sample=row.is_sample,
                actor=actor,
                source="import",
                reason=reason,
                legal_basis=basis,
            )
            report.created.append(row.code)
            continue

        wanted_holder = (
            row.origin_opd.pk,
            row.technical_opd.pk if row.technical_opd else None,
            row.delegated,
            row.perbup_number,
            row.perbup_date,
        )
        if kewenangan.holder_state() != wanted_holder:
            reassign_kewenangan(
                kewenangan,
                origin_opd=row.origin_opd,
                technical_opd=row.technical_opd,
                delegated=row.delegated,
                perbup_number=row.perbup_number if row.delegated else None,
                perbup_date=row.perbup_date if row.delegated else None,
                legal_basis=basis,
                effective_date=row.perbup_date or effective_date or today,
                actor=actor,
                reason=reason,
                source="import",
            )
            report.reassigned.append(row.code)

        wanted = {
            "name": row.name,
            "sector": row.sector,
            "stage_year": row.stage_year,
            "active": row.active,
            "is_sample": row.is_sample,
        }
        changed = [f for f, value in wanted.items() if getattr(kewenangan, f) != value]
        if changed:
            for f in changed:
                setattr(kewenangan, f, wanted[f])
            kewenangan.full_clean()
            kewenangan.save(update_fields=[*changed, "updated_at"])
            report.updated[row.code] = changed
        elif row.code not in report.reassigned:
            report.unchanged += 1
