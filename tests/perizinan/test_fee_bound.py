"""An assessed fee has an upper bound (issue 16, finding 7): 9,223,372,036,854,775,807 was
accepted and billed, one more was a DataError (a 500). ``settings.FEE_MAX_RUPIAH``, Rp
10.000.000.000 by default, bounds the move form and the transition service alike."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from kewenangan.models import JenisIzin
from perizinan import services
from perizinan.models import Permohonan
from perizinan.workflow import Status
from tests.perizinan.factories import advance, desk_for, make_service, submitted

pytestmark = pytest.mark.django_db

LIMIT_MESSAGE = "Nominal retribusi paling banyak Rp 10.000.000.000"


@pytest.fixture
def in_review():
    service = make_service(fee_kind=JenisIzin.FeeKind.DIHITUNG)
    permohonan = advance(submitted(service=service), Status.KAJIAN_TEKNIS)
    return permohonan, desk_for(permohonan)


def _assess(permohonan, officer, amount: str):
    client = Client(raise_request_exception=False)
    client.force_login(officer)
    url = reverse(
        "petugas:act", kwargs={"public_id": permohonan.public_id, "name": "recommend_payment"}
    )
    return client.post(
        url,
        {
            "t-recommend_payment-state_version": permohonan.state_version,
            "t-recommend_payment-fee_amount": amount,
        },
    )


@pytest.mark.parametrize(
    "amount", ["10000000001", str(2**63 - 1), str(2**63), "99999999999999999999999999"]
)
def test_a_fee_above_the_bound_is_a_form_error_and_nothing_is_billed(in_review, amount):
    permohonan, desk = in_review
    response = _assess(permohonan, desk.tt, amount)
    assert response.status_code == 400
    assert LIMIT_MESSAGE in response.content.decode()
    permohonan.refresh_from_db()
    assert permohonan.status == Status.KAJIAN_TEKNIS
    assert permohonan.fee_amount is None


def test_the_bound_itself_is_accepted_and_the_field_tells_the_browser(in_review):
    permohonan, desk = in_review
    page = Client()
    page.force_login(desk.tt)
    html = page.get(reverse("petugas:file", kwargs={"public_id": permohonan.public_id})).content
    assert b'max="10000000000"' in html
    response = _assess(permohonan, desk.tt, "10000000000")
    assert response.status_code == 302
    permohonan.refresh_from_db()
    assert (permohonan.status, permohonan.fee_amount) == (
        Status.MENUNGGU_PEMBAYARAN,
        10_000_000_000,
    )


def test_the_transition_service_refuses_it_whoever_calls_it(in_review, settings):
    permohonan, desk = in_review
    for amount in (str(2**63 - 1), "10.000.000.001"):
        with pytest.raises(ValidationError) as refused:
            services.transition(
                permohonan, name="recommend_payment", actor=desk.tt, data={"fee_amount": amount}
            )
        assert LIMIT_MESSAGE in str(refused.value.message_dict["fee_amount"])
    assert Permohonan.objects.get(pk=permohonan.pk).fee_amount is None
    settings.FEE_MAX_RUPIAH = 5_000_000  # the Perda's own bound
    with pytest.raises(ValidationError, match="Rp 5.000.000"):
        services.transition(
            permohonan, name="recommend_payment", actor=desk.tt, data={"fee_amount": "5000001"}
        )


@pytest.mark.parametrize(
    "typed", ["4.750.000", "Rp 4.750.000", "rp4750000", "4750000", "4.750.000,00"]
)
def test_the_fee_is_accepted_as_people_write_it(in_review, typed):
    """Issue 17: Indonesian grouping and "Rp" are how an officer writes an amount."""
    permohonan, desk = in_review
    response = _assess(permohonan, desk.tt, typed)
    assert response.status_code == 302
    permohonan.refresh_from_db()
    assert permohonan.fee_amount == 4_750_000


@pytest.mark.parametrize("typed", ["4,75 juta", "4.75", "4.7500.00", "-5", "Rp"])
def test_an_amount_that_is_not_whole_rupiah_is_a_clear_form_error(in_review, typed):
    permohonan, desk = in_review
    response = _assess(permohonan, desk.tt, typed)
    assert response.status_code == 400
    body = response.content.decode()
    assert "4.750.000" in body  # the message shows how to write it
    permohonan.refresh_from_db()
    assert permohonan.fee_amount is None


def test_the_fee_field_shows_an_amount_back_with_grouping():
    from config.forms import RupiahField

    field = RupiahField()
    assert field.prepare_value(4_750_000) == "4.750.000"
    assert 'inputmode="numeric"' in field.widget.render("fee", field.prepare_value(4_750_000))
