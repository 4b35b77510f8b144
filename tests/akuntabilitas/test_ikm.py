"""The satisfaction index (IKM), exactly as TEST_VECTORS.md: every vector is a test."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from akuntabilitas import ikm
from akuntabilitas.ikm import compute, from_positions, grade_for, krejcie_morgan
from akuntabilitas.statistik import ikm_groups, ikm_overall
from tests.akuntabilitas.factories import survey_answer  # noqa: F401

SECOND_CASE = [
    [3, 3, 2, 4, 3, 3, 4, 3, 3],
    [4, 3, 3, 4, 3, 4, 4, 2, 3],
    [3, 2, 3, 4, 3, 3, 3, 3, 2],
]


def test_ten_respondents_all_four_give_ikm_4_converted_100_grade_a():
    result = compute([from_positions([4] * 9) for _ in range(10)])
    assert result.respondents == 10
    assert result.ikm == Decimal("4.0000")
    assert result.converted == Decimal("100.00")
    assert result.grade == "A"
    assert result.grade_label == "Sangat Baik"


def test_three_respondents_vector_gives_ikm_3_1111_converted_77_78_grade_b():
    result = compute([from_positions(r) for r in SECOND_CASE])
    assert result.ikm == Decimal("3.1111")
    assert result.converted == Decimal("77.78")
    assert result.grade == "B"
    assert result.grade_label == "Baik"


def test_nrr_per_unsur_of_the_three_respondents_vector():
    result = compute([from_positions(r) for r in SECOND_CASE])
    expected = ["3.333", "2.667", "2.667", "4.000", "3.000", "3.333", "3.667", "2.667", "2.667"]
    assert [str(result.score(key).nrr) for key in ikm.UNSUR_KEYS] == expected


def test_weight_is_exactly_one_ninth_so_a_perfect_score_is_100_not_99_90():
    assert Fraction(1, 9) == ikm.WEIGHT
    assert ikm.WEIGHT * len(ikm.UNSUR) == 1
    result = compute([from_positions([4] * 9)])
    assert result.converted == Decimal("100.00")
    assert result.converted != Decimal("99.90")


def test_nrr_divides_by_the_respondents_who_answered_that_unsur():
    answers = [from_positions([4] * 9), {k: 2 for k in ikm.UNSUR_KEYS if k != "biaya"}]
    result = compute(answers)
    assert result.score("biaya").answered == 1
    assert result.score("biaya").nrr == Decimal("4.000")
    assert result.score("persyaratan").nrr == Decimal("3.000")


@pytest.mark.parametrize(
    ("converted", "grade"),
    [
        ("100.00", "A"),
        ("88.31", "A"),
        ("88.30", "B"),
        ("76.61", "B"),
        ("76.60", "C"),
        ("65.00", "C"),
        ("64.99", "D"),
        ("25.00", "D"),
    ],
)
def test_grades_by_lower_bound_88_31_76_61_65_00(converted, grade):
    assert grade_for(Decimal(converted))[0] == grade


def test_answers_are_read_by_unsur_key_not_by_position():
    by_key = {key: (4 if key == "biaya" else 1) for key in ikm.UNSUR_KEYS}
    reordered = dict(reversed(list(by_key.items())))
    assert compute([by_key]).converted == compute([reordered]).converted
    assert compute([by_key]).score("biaya").nrr == Decimal("4.000")


def test_an_answer_outside_1_to_4_is_refused():
    with pytest.raises(ValueError):
        compute([{"persyaratan": 5}])
    with pytest.raises(ValueError):
        compute([{"unknown": 3}])


def test_no_index_without_an_answer_to_every_unsur():
    result = compute([{"persyaratan": 4}])
    assert result.ikm is None
    assert result.grade == ""


def test_fee_question_uses_the_fee_scale_labels():
    labels = [str(label) for label in ikm.UNSUR_BY_KEY["biaya"].scale]
    assert labels == ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"]


@pytest.mark.parametrize(("population", "sample"), [(10, 10), (100, 80), (1000, 278), (0, 0)])
def test_krejcie_morgan_minimum_sample(population, sample):
    assert krejcie_morgan(population) == sample


@pytest.mark.django_db
def test_index_from_stored_answers_equals_the_pure_computation():
    for row in SECOND_CASE:
        survey_answer(row)
    from akuntabilitas.models import JawabanSurvei

    result = ikm_overall(JawabanSurvei.objects.all())
    assert result.respondents == 3
    assert result.ikm == Decimal("3.1111")
    assert result.converted == Decimal("77.78")


@pytest.mark.django_db
def test_index_per_group_counts_each_groups_own_respondents(dpmptsp, dinkes):
    for _ in range(10):
        survey_answer([4] * 9, opd=dpmptsp)
    for row in SECOND_CASE:
        survey_answer(row, opd=dinkes)
    from akuntabilitas.models import JawabanSurvei

    groups = ikm_groups(JawabanSurvei.objects.all(), "opd")
    assert groups[dpmptsp.pk].respondents == 10
    assert groups[dpmptsp.pk].converted == Decimal("100.00")
    assert groups[dinkes.pk].respondents == 3
    assert groups[dinkes.pk].converted == Decimal("77.78")
