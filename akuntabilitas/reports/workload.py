"""The workload report: per officer, the actions recorded in the files' history in the period
(per transition) and the open files each holds now, over the files the reader may see."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count
from django.utils.translation import gettext as _

from accounts.roles import Role
from akuntabilitas.reports.periods import Period
from akuntabilitas.reports.tables import Table
from perizinan.models import Permohonan, RiwayatStatus
from perizinan.workflow import FINAL_STATES, transition_label


def workload_report(user, period: Period) -> list[Table]:
    """Actions recorded in the history per officer (and the files each holds now)."""
    visible = Permohonan.objects.visible_to(user)
    rows = (
        RiwayatStatus.objects.filter(
            permohonan__in=visible,
            created_at__gte=period.start,
            created_at__lt=period.stop,
            actor__isnull=False,
        )
        .exclude(actor_role=Role.PEMOHON)
        .values_list("actor_id", "actor__full_name", "actor__email", "actor_role", "transition")
        .annotate(n=Count("id"))
        .order_by("actor__full_name", "actor_id")
    )
    per_officer: dict[int, dict] = {}
    transitions = set()
    for actor_id, name, email, role, transition, n in rows:
        entry = per_officer.setdefault(
            actor_id, {"name": name or email, "role": role, "counts": defaultdict(int)}
        )
        entry["counts"][transition] += n
        transitions.add(transition)
    holding = dict(
        visible.exclude(status__in=FINAL_STATES)
        .filter(assigned_to__isnull=False)
        .values_list("assigned_to")
        .annotate(n=Count("id"))
    )
    columns = sorted(transitions)
    table = Table(
        "beban-kerja",
        _("Beban kerja per petugas"),
        [_("Petugas"), _("Peran"), _("Jumlah tindakan"), _("Berkas dipegang sekarang")]
        + [str(transition_label(c)) for c in columns],
    )
    role_labels = dict(Role.choices)
    for actor_id, entry in per_officer.items():
        counts = entry["counts"]
        table.rows.append(
            [
                entry["name"],
                str(role_labels.get(entry["role"], entry["role"])),
                sum(counts.values()),
                holding.get(actor_id, 0),
            ]
            + [counts.get(c, 0) for c in columns]
        )
    return [table]
