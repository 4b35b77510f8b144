import pytest

from accounts import demo
from accounts.models import Kecamatan

pytestmark = pytest.mark.django_db


def test_demo_users_are_seeded_with_verified_addresses(dpmptsp, dinkes, pupr):
    users = demo.seed()
    assert len(users) == len(demo.DEMO_USERS)
    assert all(user.email_verified_at is not None for user in users)


def test_seeding_twice_keeps_the_first_verification_time(dpmptsp, dinkes, pupr):
    first = {u.email: u.email_verified_at for u in demo.seed()}
    second = {u.email: u.email_verified_at for u in demo.seed()}
    assert first == second


def test_the_ten_kecamatan_are_seeded_once():
    demo.seed_kecamatan()
    demo.seed_kecamatan()
    assert Kecamatan.objects.count() == 10
