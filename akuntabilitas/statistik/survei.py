"""Survey statistics (IKM): the index per group of respondents (all, service, unit, semester,
channel), groups labelled and hidden when too small to publish on their own
(``SURVEY_MIN_GROUP_SIZE``), and the respondents' profile. A fixed number of queries each."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, Count, F, IntegerField, QuerySet, Sum, Value, When

from akuntabilitas.ikm import IkmResult, from_totals
from akuntabilitas.models import JawabanSurvei, NilaiUnsur


@dataclass(frozen=True)
class IkmGroup:
    key: object
    label: str
    result: IkmResult
    #: False when the group is too small to publish its index separately.
    shown: bool = True


def _semester_case(prefix: str = ""):
    return Case(
        When(**{f"{prefix}submitted_on__month__lte": 6}, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def ikm_groups(answers: QuerySet[JawabanSurvei], group: str) -> dict[object, IkmResult]:
    """The index per group of respondents (two queries). ``group``: ``all``, ``jenis_izin``,
    ``opd``, ``semester`` or ``channel``."""
    if group == "all":
        resp_qs = answers.annotate(g=Value(0, output_field=IntegerField()))
        nilai_qs = NilaiUnsur.objects.filter(jawaban__in=answers).annotate(
            g=Value(0, output_field=IntegerField())
        )
    elif group == "semester":
        resp_qs = answers.annotate(g=_semester_case())
        nilai_qs = NilaiUnsur.objects.filter(jawaban__in=answers).annotate(
            g=_semester_case("jawaban__")
        )
    else:
        field_name = {"jenis_izin": "jenis_izin_id", "opd": "opd_id", "channel": "channel"}[group]
        resp_qs = answers.annotate(g=F(field_name))
        nilai_qs = NilaiUnsur.objects.filter(jawaban__in=answers).annotate(
            g=F(f"jawaban__{field_name}")
        )
    respondents = dict(resp_qs.order_by().values_list("g").annotate(n=Count("id")))
    totals: dict[object, dict[str, tuple[int, int]]] = defaultdict(dict)
    for g, unsur, total, answered in (
        nilai_qs.order_by()
        .values_list("g", "unsur")
        .annotate(total=Sum("value"), answered=Count("id"))
    ):
        totals[g][unsur] = (total, answered)
    return {g: from_totals(totals.get(g, {}), respondents=n) for g, n in respondents.items()}


def ikm_overall(answers: QuerySet[JawabanSurvei]) -> IkmResult:
    return ikm_groups(answers, "all").get(0) or from_totals({}, respondents=0)


def answers_in_year(year: int) -> QuerySet[JawabanSurvei]:
    return JawabanSurvei.objects.filter(submitted_on__year=year)


def min_group_size() -> int:
    return settings.SURVEY_MIN_GROUP_SIZE


def labelled_groups(
    results: dict[object, IkmResult], labels: dict[object, str], *, missing_label: str
) -> list[IkmGroup]:
    threshold = min_group_size()
    groups = [
        IkmGroup(
            key=key,
            label=labels.get(key, missing_label) if key is not None else missing_label,
            result=result,
            shown=result.respondents >= threshold,
        )
        for key, result in results.items()
    ]
    return sorted(groups, key=lambda g: (g.label or "").lower())


@dataclass(frozen=True)
class Profile:
    """Respondent counts per band of one profile field."""

    field: str
    counts: tuple[tuple[str, int], ...]


def respondent_profile(answers: QuerySet[JawabanSurvei]) -> list[Profile]:
    """Respondents per age band, sex, education and occupation (four queries)."""
    result = []
    for name in ("age_band", "sex", "education", "occupation"):
        counted = dict(answers.order_by().values_list(name).annotate(n=Count("id")))
        choices = JawabanSurvei._meta.get_field(name).choices
        result.append(Profile(name, tuple((str(label), counted.get(v, 0)) for v, label in choices)))
    return result
