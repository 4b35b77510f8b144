"""The file's activity log (``AktivitasBerkas``): what happened on the officers' desk besides
the status moves (claims, notes, verdicts, the field report, re-routing, counter entries).
Written by the services in the same transaction as the change it records."""

from __future__ import annotations

from typing import Any

from perizinan.models import AktivitasBerkas

Kind = AktivitasBerkas.Kind


def record_activity(
    permohonan: Any, kind: str, actor: Any, text: str = "", **data: Any
) -> AktivitasBerkas:
    return AktivitasBerkas.objects.create(
        permohonan=permohonan, kind=kind, actor=actor, text=text, data=data
    )
