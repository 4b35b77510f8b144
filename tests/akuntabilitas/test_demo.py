"""The accountability demo data: statistics show an index, the register has entries."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accounts import demo as accounts_demo
from akuntabilitas import demo as demo_akuntabilitas
from akuntabilitas import statistik
from akuntabilitas.models import JawabanSurvei, Pengaduan
from tests.perizinan.factories import make_service

pytestmark = pytest.mark.django_db


def test_demo_seed_gives_statistics_an_index_and_is_idempotent(dpmptsp, dinkes, pupr):
    make_service()
    accounts_demo.seed()
    demo_akuntabilitas.seed()
    demo_akuntabilitas.seed()
    assert Pengaduan.objects.count() == len(demo_akuntabilitas.COMPLAINTS)
    assert JawabanSurvei.objects.count() == demo_akuntabilitas.SURVEY_RESPONSES
    stats = statistik.compute_statistik(timezone.localdate().year)
    assert stats.ikm.respondents == demo_akuntabilitas.SURVEY_RESPONSES
    assert stats.ikm.grade in {"A", "B"}
    assert stats.complaints.answered == 2
