"""Every change of a staff member's second factor, and the checks of their codes.

Devices are django-otp's: one ``TOTPDevice`` (the authenticator app) and one ``StaticDevice``
holding ten single-use backup codes per user. A session is verified with ``django_otp.login``,
which writes the device into the session; ``django_otp.middleware.OTPMiddleware`` reads it back
on every request (``request.user.is_verified()``), so a device deleted by an admin's reset stops
verifying its sessions at once.

Wrong codes are counted per account and per client address, in the shared cache, for the
log-in cool-off (``AXES_COOLOFF_TIME``): after ``MFA_FAILURE_LIMIT`` failures of an account (or
``MFA_IP_FAILURE_LIMIT`` from one address) the code form is locked until no failure has been
seen for that long. django-otp's own back-off per device (1, 2, 4, 8 … seconds after each
failure, until a success) stays on underneath: it bounds a slow guesser across many cool-offs.
An attempt refused by that back-off counts as a failure too. No code is ever logged.
"""

from __future__ import annotations

import base64
import enum
import io
import logging
import time
from binascii import unhexlify
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import django_otp
import qrcode
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.cache import cache
from django.db import transaction
from django.middleware.csrf import rotate_token
from django.utils import timezone
from django.utils.translation import gettext
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex
from redis.exceptions import RedisError

from accounts.models import User
from accounts.roles import ADMIN_ROLES, OFFICER_ROLES
from config import security
from config.client_ip import client_ip
from config.logs import log_event

logger = logging.getLogger("satupintu.security")

#: Roles whose log-in needs a second factor: every officer role and admin (not the pemohon).
MFA_ROLES = frozenset({*OFFICER_ROLES, *ADMIN_ROLES})
BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Aplikasi autentikator"
STATIC_DEVICE_NAME = "Kode cadangan"
#: The secret shown on the enrolment page, kept in the session until it is confirmed.
PENDING_KEY_SESSION_KEY = "_sp_mfa_pending_key"
#: Backup codes just made, kept in the session until the page that shows them once.
NEW_CODES_SESSION_KEY = "_sp_mfa_new_codes"
#: Enrolment only within this long after the password log-in (seconds): a session stolen
#: earlier, or left open before an admin's reset, cannot enrol the thief's phone.
ENROLMENT_WINDOW_SECONDS = 30 * 60


class Outcome(enum.Enum):
    VERIFIED = "verified"
    WRONG = "wrong"
    #: django-otp's back-off after a recent failure: the code was not even checked.
    TOO_SOON = "too_soon"
    LOCKED = "locked"
    #: Enrolment only: the account got a device meanwhile (another tab, another device).
    ALREADY_ENROLLED = "already_enrolled"


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    #: Attempts left before the lock, after a failure.
    attempts_left: int | None = None
    #: After a backup code: how many are left. After enrolment: the new codes.
    backup_codes_left: int | None = None
    backup_codes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.VERIFIED


# --- Who, and where they stand ----------------------------------------------------------------


def required_for(user: Any) -> bool:
    """Staff roles and admins need a second factor; citizens do not."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        getattr(user, "role", None) in MFA_ROLES
        or bool(getattr(user, "is_staff", False))
        or bool(getattr(user, "is_superuser", False))
    )


def is_verified(user: Any) -> bool:
    """Has this request's session passed the second factor? (``OTPMiddleware`` installs
    ``is_verified``; without it, nobody is.)"""
    check = getattr(user, "is_verified", None)
    return bool(check is not None and check())


def has_device(user: Any) -> bool:
    """Is the user enrolled (a confirmed authenticator device)?"""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def backup_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- Codes as typed ---------------------------------------------------------------------------


def normalize_code(raw: str) -> str:
    """Spaces and dashes out, lower case: ``123 456`` and ``ABCD-EFGH`` are what people type."""
    return "".join((raw or "").split()).replace("-", "").lower()


def is_app_code(code: str) -> bool:
    """Six ASCII digits: a code of the authenticator app (backup codes hold letters)."""
    return len(code) == 6 and code.isascii() and code.isdigit()


def format_backup_code(code: str) -> str:
    """``abcdefgh`` as ``abcd-efgh``, easier to copy by hand."""
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code


# --- Enrolment --------------------------------------------------------------------------------


def may_enrol(session) -> bool:
    """Is the password log-in of this session recent enough to enrol a device?"""
    login_at = session.get(security.LOGIN_AT_KEY)
    if not isinstance(login_at, int):
        return False
    return 0 <= timezone.now().timestamp() - login_at <= ENROLMENT_WINDOW_SECONDS


def pending_key(session) -> str:
    """The secret being enrolled in this session: made once, kept until it is confirmed (the
    page can be reloaded without changing the QR code). Only the session is written."""
    key = session.get(PENDING_KEY_SESSION_KEY)
    if not isinstance(key, str) or len(key) != 40:
        key = random_hex(20)
        session[PENDING_KEY_SESSION_KEY] = key
    return key


def secret_text(key_hex: str) -> str:
    """The secret as the authenticator apps take it by hand: base32, in groups of four."""
    secret = base64.b32encode(unhexlify(key_hex)).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(user: Any, key_hex: str) -> str:
    """The ``otpauth://`` URI of the QR code (issuer ``OTP_TOTP_ISSUER``, the e-mail as label)."""
    return str(TOTPDevice(user=user, key=key_hex).config_url)


def qr_code_data_uri(data: str) -> str:
    """A PNG QR code as a ``data:`` URI (allowed by the CSP's ``img-src``; no inline SVG)."""
    image = qrcode.make(data, box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def confirm_enrolment(request, *, key_hex: str, code: str) -> Result:
    """Enrol ``request.user`` with the secret they added to their app, proven by a current code:
    the TOTP device and ten new backup codes are stored, the session is verified. Any earlier
    device of the user is replaced. Wrong codes count towards the lock."""
    user = request.user
    ip = client_ip(request)
    if is_locked(user, ip):
        return _locked(user)
    code = normalize_code(code)
    device = TOTPDevice(user=user, name=TOTP_DEVICE_NAME, key=key_hex, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not (is_app_code(code) and totp.verify(int(code), device.tolerance)):
        return _failed(user, ip, "enrol")
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one enrolment at a time
        if has_device(user):
            return Result(Outcome.ALREADY_ENROLLED)
        TOTPDevice.objects.filter(user=user).delete()  # unconfirmed leftovers
        device.last_t = totp.t()  # the code just used cannot be used again
        device.drift = totp.drift
        device.save()
        codes = _new_backup_codes(user)
    _clear_failures(user)
    _verify_session(request, device)
    log_event(logger, "mfa_enrolled", user_id=user.pk)
    return Result(Outcome.VERIFIED, backup_codes=tuple(codes), backup_codes_left=len(codes))


# --- Verification -----------------------------------------------------------------------------


def verify(request, *, code: str) -> Result:
    """Check a code of ``request.user``: six digits against the authenticator device, anything
    else against the backup codes (a backup code is used up). On success the session is
    verified (``django_otp.login``) and gets a new key."""
    user = request.user
    ip = client_ip(request)
    if is_locked(user, ip):
        return _locked(user)
    code = normalize_code(code)
    model = TOTPDevice if is_app_code(code) else StaticDevice
    devices = list(model.objects.filter(user=user, confirmed=True))
    if devices and not any(device.verify_is_allowed()[0] for device in devices):
        return _failed(user, ip, "too_soon", outcome=Outcome.TOO_SOON)
    matched = None
    if code:
        for device in devices:
            matched = django_otp.verify_token(user, device.persistent_id, code)
            if matched is not None:
                break
    if matched is None:
        return _failed(user, ip, "wrong")
    _clear_failures(user)
    _verify_session(request, matched)
    method = "backup_code" if isinstance(matched, StaticDevice) else "app"
    log_event(logger, "mfa_verified", user_id=user.pk, method=method)
    if isinstance(matched, StaticDevice):
        return Result(Outcome.VERIFIED, backup_codes_left=backup_codes_left(user))
    return Result(Outcome.VERIFIED)


def _verify_session(request, device) -> None:
    """Mark the session as verified by ``device``; the privilege changes, so the session key
    and the CSRF token change too (as at log-in)."""
    django_otp.login(request, device)
    request.session.cycle_key()
    rotate_token(request)


# --- Backup codes -----------------------------------------------------------------------------


def _new_backup_codes(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=STATIC_DEVICE_NAME, confirmed=True)
    codes: list[str] = []
    while len(codes) < BACKUP_CODE_COUNT:
        token = StaticToken.random_token()
        if token not in codes:
            codes.append(token)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=t) for t in codes])
    return codes


@transaction.atomic
def regenerate_backup_codes(*, user: Any) -> list[str]:
    """Ten new backup codes for an enrolled user; the old ones stop working."""
    if not has_device(user):
        raise ValueError("regenerate_backup_codes: the user is not enrolled")
    codes = _new_backup_codes(user)
    log_event(logger, "mfa_backup_codes_regenerated", user_id=user.pk)
    return codes


# --- The admin's reset ------------------------------------------------------------------------


@transaction.atomic
def reset_devices(*, user: Any, actor: Any) -> int:
    """Delete ``user``'s authenticator and backup codes (a lost phone): they enrol again at
    their next log-in, and sessions they verified with those devices lose their second factor
    on the next request. Audited in the same transaction: a Django admin log entry (who, whom,
    when) and a ``mfa_reset`` event; a user without devices is left alone (nothing to audit).
    Returns the number of devices removed."""
    transaction.on_commit(lambda: _clear_failures(user))
    removed = (
        TOTPDevice.objects.filter(user=user).count()
        + StaticDevice.objects.filter(user=user).count()
    )
    if not removed:
        return 0
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    LogEntry.objects.log_actions(
        user_id=actor.pk,
        queryset=[user],
        action_flag=CHANGE,
        change_message=gettext(
            "MFA diatur ulang: aplikasi autentikator dan kode cadangan dihapus; "
            "pengguna mendaftar ulang saat masuk berikutnya."
        ),
        single_object=True,
    )
    log_event(logger, "mfa_reset", user_id=user.pk, actor_id=actor.pk, devices=removed)
    return removed


# --- The lock ---------------------------------------------------------------------------------


def cooloff_seconds() -> int:
    """The log-in cool-off (``AXES_COOLOFF_TIME``: hours as a number, or a timedelta)."""
    value = settings.AXES_COOLOFF_TIME
    if isinstance(value, timedelta):
        return max(1, int(value.total_seconds()))
    return max(1, int(float(value) * 3600))


def _counters(user: Any, ip: str) -> list[tuple[str, int]]:
    counters = [(f"mfa-fail:user:{user.pk}", settings.MFA_FAILURE_LIMIT)]
    if ip:
        counters.append((f"mfa-fail:ip:{ip}", settings.MFA_IP_FAILURE_LIMIT))
    return counters


def is_locked(user: Any, ip: str) -> bool:
    """Has the account, or this address, reached its limit of wrong codes?"""
    try:
        counts = cache.get_many([key for key, _limit in _counters(user, ip)])
    except (RedisError, OSError):
        _cache_down()
        return False
    return any(counts.get(key, 0) >= limit for key, limit in _counters(user, ip))


def _record_failure(user: Any, ip: str) -> int:
    """Count one wrong code for the account and the address; the attempts the account has
    left. Each failure keeps the counters for another full cool-off."""
    window = cooloff_seconds()
    left = settings.MFA_FAILURE_LIMIT
    try:
        for key, limit in _counters(user, ip):
            if cache.add(key, 1, timeout=window):
                count = 1
            else:
                try:
                    count = cache.incr(key)
                except ValueError:  # expired between add() and incr()
                    cache.set(key, 1, timeout=window)
                    count = 1
                cache.touch(key, timeout=window)
            left = min(left, max(0, limit - count))
    except (RedisError, OSError):
        _cache_down()
    return left


def _clear_failures(user: Any) -> None:
    """A success clears the account's count (the address's count runs out by itself)."""
    try:
        cache.delete(f"mfa-fail:user:{user.pk}")
    except (RedisError, OSError):
        _cache_down()


def _cache_down() -> None:
    # The counters live in Redis; without it, django-otp's back-off per device (in the
    # database) is what still slows a guesser down.
    log_event(logger, "mfa_throttle_unavailable", level=logging.WARNING)


def _failed(user: Any, ip: str, reason: str, *, outcome: Outcome = Outcome.WRONG) -> Result:
    left = _record_failure(user, ip)
    log_event(
        logger, "mfa_failed", level=logging.WARNING, user_id=user.pk, reason=reason, left=left
    )
    if left == 0:
        log_event(logger, "mfa_locked", level=logging.WARNING, user_id=user.pk)
        return Result(Outcome.LOCKED, attempts_left=0)
    return Result(outcome, attempts_left=left)


def _locked(user: Any) -> Result:
    log_event(logger, "mfa_refused_locked", level=logging.WARNING, user_id=user.pk)
    return Result(Outcome.LOCKED, attempts_left=0)
