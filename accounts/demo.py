"""Demo accounts, one per role (called by ``manage.py seed_demo``). Idempotent."""

from __future__ import annotations

import base64

from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from kewenangan.models import PejabatPenandatangan, PerangkatDaerah

DEMO_PASSWORD = "demo12345"  # noqa: S105 - demo only; seed_demo refuses to run without DEBUG

# The second factor of every demo staff account (accounts/mfa/), public like the password: add
# this secret to an authenticator app by hand (time-based, 6 digits, 30 s), or sign in with one
# of the backup codes. Seeding again restores used backup codes. Demo only (DEBUG).
DEMO_TOTP_SECRET = "DEMOSATUPINTUBARITOTIMURDPMPTSP2"  # noqa: S105 - base32, 20 bytes
DEMO_BACKUP_CODES = tuple(f"demo{n:04d}" for n in range(1, 11))  # demo0001 … demo0010

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
        seed_second_factor(user)
        users.append(user)
    seed_signing_officials()
    return users


#: The demo head's data printed under a permit's signature (a made-up NIP: 18 digits).
DEMO_SIGNERS = {
    "kepala@contoh.id": ("Andrunganyan, S.Sos., M.AP.", "197501012000031001", "Pembina (IV/a)"),
}


def seed_signing_officials() -> None:
    """The name with titles, NIP and rank of each demo head (admin: "Pejabat penanda
    tangan"). Idempotent."""
    for email, (name, nip, rank) in DEMO_SIGNERS.items():
        user = User.objects.filter(email=email).first()
        if user is not None:
            PejabatPenandatangan.objects.update_or_create(
                user=user, defaults={"printed_name": name, "nip": nip, "rank": rank}
            )


def seed_second_factor(user: User) -> None:
    """Give a demo staff account the documented authenticator secret and backup codes (citizens
    need no second factor). Idempotent; used backup codes come back."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.mfa import services as mfa

    if not mfa.required_for(user):
        return
    key = base64.b32decode(DEMO_TOTP_SECRET).hex()
    totp = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if totp is None:
        TOTPDevice.objects.create(user=user, name=mfa.TOTP_DEVICE_NAME, key=key, confirmed=True)
    elif totp.key != key:
        totp.key, totp.last_t, totp.drift = key, -1, 0
        totp.save()
    static = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if static is None:
        static = StaticDevice.objects.create(user=user, name=mfa.STATIC_DEVICE_NAME)
    have = set(static.token_set.values_list("token", flat=True))
    StaticToken.objects.bulk_create(
        [StaticToken(device=static, token=code) for code in DEMO_BACKUP_CODES if code not in have]
    )


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
