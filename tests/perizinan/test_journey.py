"""The "done when" journey through the pages only: a citizen applies for a health-worker
practice permit with its documents, gets a number and PIN, and follows it on /lacak/."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from perizinan.models import Permohonan
from tests.factories import UserFactory
from tests.perizinan.factories import VALID_NIK, jpeg_bytes, make_service, pdf_upload, upload

pytestmark = pytest.mark.django_db


def test_citizen_applies_gets_number_and_pin_and_tracks_it_anonymously(client):
    service = make_service(name="Surat Izin Praktik Bidan (SIPB)", slug="sip-bidan")
    photo = service.persyaratan.last()
    photo.accepted_types, photo.name = "jpg,png", "Pas foto 4x6"
    photo.save()
    citizen = UserFactory(full_name="Siti Rahmawati")
    client.force_login(citizen)

    start = client.post(reverse("perizinan:permohonan_create", args=["sip-bidan"]))
    step1 = start["Location"]
    step2 = client.post(
        step1,
        {
            "applicant_kind": "perorangan",
            "full_name": "Siti Rahmawati",
            "nik": VALID_NIK,
            "phone": "081234567890",
            "address": "Jl. Tjilik Riwut No. 12, Tamiang Layang",
        },
    )["Location"]
    step3 = client.post(step2, {"tempat_praktik": "Desa Matabu", "jenis_praktik": "Mandiri"})[
        "Location"
    ]
    first, second = service.persyaratan.order_by("order")
    assert client.post(step3, {"persyaratan": first.pk, "file": pdf_upload()}).status_code == 302
    assert (
        client.post(
            step3,
            {"persyaratan": second.pk, "file": upload("foto.jpg", jpeg_bytes(), "image/jpeg")},
        ).status_code
        == 302
    )
    step4 = client.post(step3, {})["Location"]
    review = client.get(step4)
    assert "Masih ada yang perlu dilengkapi" not in review.content.decode()
    receipt_url = client.post(step4, {"declaration": "on", "state_version": 0})["Location"]
    receipt = client.get(receipt_url).content.decode()

    permohonan = Permohonan.objects.get(applicant=citizen)
    assert re.search(r"BTM-\d{4}-\d{6}", receipt)
    assert permohonan.number in receipt and permohonan.pin in receipt

    client.logout()
    tracked = client.post(
        reverse("perizinan:lacak"), {"number": permohonan.number, "pin": permohonan.pin}
    ).content.decode()
    assert "Surat Izin Praktik Bidan (SIPB)" in tracked
    assert "Diajukan" in tracked
