"""factory_boy factories shared by the whole suite. Traits name the roles."""

from __future__ import annotations

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import User
from accounts.roles import Role
from kewenangan.models import (
    IsianFormulir,
    JenisIzin,
    Kewenangan,
    LangkahProsedur,
    PerangkatDaerah,
    Persyaratan,
)

PASSWORD = "rahasia-uji-12345"


class PerangkatDaerahFactory(DjangoModelFactory):
    class Meta:
        model = PerangkatDaerah
        django_get_or_create = ("short_name",)

    name = factory.Sequence(lambda n: f"Dinas Uji {n}")
    short_name = factory.Sequence(lambda n: f"DU{n}")

    class Params:
        dpmptsp = factory.Trait(
            name="Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
            short_name="DPMPTSP",
            is_dpmptsp=True,
        )
        dinkes = factory.Trait(name="Dinas Kesehatan", short_name="Dinkes")
        pupr = factory.Trait(
            name="Dinas Pekerjaan Umum, Penataan Ruang, Perumahan dan Kawasan Permukiman",
            short_name="DPUPRPERKIM",
        )


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@contoh.test")
    full_name = factory.Faker("name", locale="id_ID")
    role = Role.PEMOHON
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()

    class Params:
        unverified = factory.Trait(email_verified_at=None)
        front_office = factory.Trait(role=Role.FRONT_OFFICE)
        back_office = factory.Trait(role=Role.BACK_OFFICE)
        kepala = factory.Trait(role=Role.KEPALA)
        admin = factory.Trait(role=Role.ADMIN)
        tim_teknis = factory.Trait(
            role=Role.TIM_TEKNIS, opd=factory.SubFactory(PerangkatDaerahFactory, dinkes=True)
        )


class KewenanganFactory(DjangoModelFactory):
    class Meta:
        model = Kewenangan
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"UJI-{n:03d}")
    name = factory.Sequence(lambda n: f"Kewenangan uji {n}")
    sector = "Kesehatan"
    origin_opd = factory.SubFactory(PerangkatDaerahFactory, dinkes=True)
    technical_opd = factory.SelfAttribute("origin_opd")
    delegated = False

    class Params:
        delegated_to_dpmptsp = factory.Trait(
            delegated=True, perbup_number="Perbup Bartim 12/2026", perbup_date="2026-01-15"
        )


class JenisIzinFactory(DjangoModelFactory):
    class Meta:
        model = JenisIzin
        django_get_or_create = ("slug",)

    kewenangan = factory.SubFactory(KewenanganFactory)
    slug = factory.Sequence(lambda n: f"layanan-uji-{n}")
    name = factory.Sequence(lambda n: f"Layanan uji {n}")
    sla_working_days = 5
    product = "Surat izin"
    complaint_channel = "Ruang pengaduan DPMPTSP; SP4N-LAPOR!"
    legal_basis = "Perbup uji"
    permit_code = "UJI"
    is_published = False


class PersyaratanFactory(DjangoModelFactory):
    class Meta:
        model = Persyaratan

    jenis_izin = factory.SubFactory(JenisIzinFactory)
    order = factory.Sequence(int)
    name = factory.Sequence(lambda n: f"Dokumen {n}")
    accepted_types = "pdf,jpg,png"
    max_size_kb = 2048


class LangkahProsedurFactory(DjangoModelFactory):
    class Meta:
        model = LangkahProsedur

    jenis_izin = factory.SubFactory(JenisIzinFactory)
    order = factory.Sequence(int)
    title = factory.Sequence(lambda n: f"Langkah {n}")


class IsianFormulirFactory(DjangoModelFactory):
    class Meta:
        model = IsianFormulir

    jenis_izin = factory.SubFactory(JenisIzinFactory)
    order = factory.Sequence(int)
    key = factory.Sequence(lambda n: f"isian_{n}")
    label = factory.Sequence(lambda n: f"Isian {n}")
