"""The second factor in tests: a device with a known key, its current code, and log-ins.

Staff pages need a session that passed MFA (``accounts/mfa/``). ``client.force_login(user)``
stands for "typed the right password" and, with the autouse fixture of ``tests/conftest.py``,
for "and the right code" too: for a staff user it also marks the session verified with the
user's authenticator device (made here with ``KNOWN_KEY`` when the user has none), exactly as
``django_otp.login`` does after the code page. The middleware is not touched.

Tests of the second factor itself use ``password_only_login`` (a session after the password
alone) or the real pages, with ``current_code`` typed like an app would show it.
"""

from __future__ import annotations

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.mfa import services as mfa

#: RFC 6238's test secret ("12345678901234567890"), hex as django-otp stores it.
KNOWN_KEY = "3132333435363738393031323334353637383930"

#: Django's own force_login, before the autouse fixture wraps it.
_django_force_login = Client.force_login


def give_device(user, *, key: str = KNOWN_KEY) -> TOTPDevice:
    """A confirmed authenticator device for ``user`` (the one they have, if any)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=mfa.TOTP_DEVICE_NAME, key=key, confirmed=True
        )
    return device


def current_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The six digits the user's app shows now (or ``steps_ahead`` periods later)."""
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead)
    return f"{value:0{device.digits}d}"


def fresh_code(device: TOTPDevice) -> str:
    """A code the device accepts now, even if this period's code was used already (a second
    log-in within 30 seconds): forget the last used step and any back-off, then the code."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
    )
    device.refresh_from_db()
    return current_code(device)


def mark_verified(client: Client, user) -> TOTPDevice:
    """Mark ``client``'s (signed-in) session as having passed MFA with ``user``'s device."""
    device = give_device(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def password_only_login(client: Client, user) -> None:
    """A session after the password alone: a staff user still has to give the code."""
    _django_force_login(client, user)


def verified_login(client: Client, user, backend=None) -> None:
    """Log ``user`` in; a staff user's session has passed MFA too."""
    _django_force_login(client, user, backend)
    if mfa.required_for(user):
        mark_verified(client, user)


def pass_second_factor(client: Client, user) -> None:
    """After a real password log-in: type the current code on the real code page."""
    response = client.post("/akun/mfa/", {"code": fresh_code(give_device(user))})
    assert response.status_code == 302, response.content.decode()[:500]
