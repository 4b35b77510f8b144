"""Demo accounts, one per role (called by ``manage.py seed_demo``). Idempotent."""

from __future__ import annotations

from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from kewenangan.models import PerangkatDaerah

DEMO_PASSWORD = "demo12345"  # noqa: S105 - demo only; seed_demo refuses to run without DEBUG

DEMO_USERS = [
    # email, full name, role, OPD short name
    ("pemohon@contoh.id", "Siti Rahmawati", Role.PEMOHON, None),
    ("fo@contoh.id", "Budi Santoso", Role.FRONT_OFFICE, "DPMPTSP"),
    ("bo@contoh.id", "Rina Kartika", Role.BACK_OFFICE, "DPMPTSP"),
    ("teknis.dinkes@contoh.id", "dr. Yohanes Dinkes", Role.TIM_TEKNIS, "Dinkes"),
    ("teknis.pupr@contoh.id", "Ir. Agus PUPR", Role.TIM_TEKNIS, "DPUPRPERKIM"),
    ("kepala@contoh.id", "Andrunganyan", Role.KEPALA, "DPMPTSP"),
    ("admin@contoh.id", "Admin Satu Pintu", Role.ADMIN, "DPMPTSP"),
]


def seed() -> list[User]:
    seed_kecamatan()
    users = []
    for email, full_name, role, opd_short in DEMO_USERS:
        opd = PerangkatDaerah.objects.get(short_name=opd_short) if opd_short else None
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email)
        user.full_name = full_name
        user.role = role
        user.opd = opd
        user.is_active = True
        # Demo accounts are ready to use: their addresses count as verified.
        user.email_verified_at = user.email_verified_at or timezone.now()
        user.set_password(DEMO_PASSWORD)
        user.save()
        users.append(user)
    return users


# The 10 kecamatan of Kabupaten Barito Timur (see ../shared/domain/RESEARCH.md section 4).
KECAMATAN = [
    "Awang",
    "Benua Lima",
    "Dusun Tengah",
    "Dusun Timur",
    "Karusen Janang",
    "Paju Epat",
    "Paku",
    "Patangkep Tutui",
    "Pematang Karau",
    "Raren Batuah",
]


def seed_kecamatan():
    from accounts.models import Kecamatan

    return [Kecamatan.objects.get_or_create(name=name)[0] for name in KECAMATAN]
