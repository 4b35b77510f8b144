"""The satisfaction survey report (IKM): the index per period, unit and service with the NRR
of each unsur, the respondents' profile and the anonymous answers.

Survey answers leave only as aggregates or as anonymous rows: month, unit, channel, profile
bands and the nine answers, in an order that says nothing about when each came in. No export
carries an answer's id, exact date, comment, invitation, application or person, and a group
smaller than ``SURVEY_MIN_GROUP_SIZE`` is not shown on its own.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _

from akuntabilitas.ikm import UNSUR, IkmResult
from akuntabilitas.models import JawabanSurvei, NilaiUnsur
from akuntabilitas.reports.periods import Period
from akuntabilitas.reports.tables import Table
from akuntabilitas.statistik.survei import (
    ikm_groups,
    ikm_overall,
    labelled_groups,
    min_group_size,
    respondent_profile,
)
from kewenangan.models import JenisIzin, PerangkatDaerah


def _ikm_headers(first: str) -> list[str]:
    return (
        [first, _("Responden")]
        + [str(u.label) for u in UNSUR]
        + [
            _("IKM"),
            _("IKM konversi"),
            _("Mutu"),
            _("Kinerja"),
        ]
    )


def _ikm_row(label: str, result: IkmResult, shown: bool = True) -> list:
    if not shown:
        hidden = _("responden terlalu sedikit untuk ditampilkan")
        return [label, result.respondents] + [""] * len(UNSUR) + ["", "", "", hidden]
    return (
        [label, result.respondents]
        + [result.score(u.key).nrr for u in UNSUR]
        + [result.ikm, result.converted, result.grade, result.grade_label]
    )


def ikm_report(period: Period) -> list[Table]:
    """The index per period, unit and service with NRR per unsur, the respondents' profile and
    the anonymous answers (month, unit, channel, profile, nine answers)."""
    answers = JawabanSurvei.objects.filter(
        submitted_on__gte=period.start.date(), submitted_on__lt=period.stop.date()
    )
    overall = ikm_overall(answers)
    tables = []
    periods = Table("ikm-periode", _("IKM per periode"), _ikm_headers(_("Periode")))
    periods.rows.append(_ikm_row(period.label, overall))
    if period.month is None:
        for group in sorted(
            labelled_groups(
                ikm_groups(answers, "semester"),
                {1: "Semester I", 2: "Semester II"},
                missing_label="-",
            ),
            key=lambda g: g.key,
        ):
            periods.rows.append(_ikm_row(f"{group.label} {period.year}", group.result))
    tables.append(periods)

    units = dict(PerangkatDaerah.objects.values_list("id", "short_name"))
    names = dict(JenisIzin.objects.values_list("id", "name"))
    unit_table = Table("ikm-unit", _("IKM per unit pelayanan"), _ikm_headers(_("Unit")))
    for g in labelled_groups(ikm_groups(answers, "opd"), units, missing_label="-"):
        unit_table.rows.append(_ikm_row(g.label, g.result, g.shown))
    tables.append(unit_table)
    service_table = Table("ikm-layanan", _("IKM per layanan"), _ikm_headers(_("Layanan")))
    for g in labelled_groups(
        ikm_groups(answers, "jenis_izin"), names, missing_label=_("Survei umum")
    ):
        service_table.rows.append(_ikm_row(g.label, g.result, g.shown))
    service_table.note = _(
        "Kelompok dengan kurang dari %(n)s responden dihitung dalam IKM keseluruhan, tetapi "
        "nilainya tidak ditampilkan tersendiri agar jawaban tidak dapat ditelusuri."
    ) % {"n": min_group_size()}
    tables.append(service_table)

    profile = Table("ikm-profil", _("Profil responden"), [_("Profil"), _("Kelompok"), _("Jumlah")])
    field_labels = {
        "age_band": _("Usia"),
        "sex": _("Jenis kelamin"),
        "education": _("Pendidikan"),
        "occupation": _("Pekerjaan"),
    }
    for p in respondent_profile(answers):
        for label, n in p.counts:
            profile.rows.append([field_labels[p.field], label, n])
    tables.append(profile)
    tables.append(anonymous_answers(answers, units))
    return tables


def anonymous_answers(answers, units: dict) -> Table:
    """One row per respondent, in an order that says nothing about when each came in:
    month, unit, channel, profile bands and the nine answers (by unsur key)."""
    table = Table(
        "ikm-jawaban",
        _("Jawaban responden (anonim)"),
        [
            _("Bulan"),
            _("Unit"),
            _("Saluran"),
            _("Usia"),
            _("Jenis kelamin"),
            _("Pendidikan"),
            _("Pekerjaan"),
        ]
        + [u.key for u in UNSUR],
    )
    values = defaultdict(dict)
    for jawaban_id, unsur, value in NilaiUnsur.objects.filter(jawaban__in=answers).values_list(
        "jawaban_id", "unsur", "value"
    ):
        values[jawaban_id][unsur] = value
    channel = dict(JawabanSurvei.Channel.choices)
    labels = {
        name: dict(JawabanSurvei._meta.get_field(name).choices)
        for name in ("age_band", "sex", "education", "occupation")
    }
    rows = []
    for a in answers.only(
        "id", "submitted_on", "opd_id", "channel", "age_band", "sex", "education", "occupation"
    ):
        rows.append(
            [
                a.submitted_on.strftime("%Y-%m"),
                units.get(a.opd_id, ""),
                str(channel.get(a.channel, "")),
                str(labels["age_band"].get(a.age_band, "")),
                str(labels["sex"].get(a.sex, "")),
                str(labels["education"].get(a.education, "")),
                str(labels["occupation"].get(a.occupation, "")),
            ]
            + [values[a.id].get(u.key, "") for u in UNSUR]
        )
    rows.sort(key=lambda r: [str(v) for v in r])
    table.rows = rows
    return table
