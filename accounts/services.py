"""Every state change of an account: sign-up, e-mail verification, profile updates.

Services take keyword arguments, own their transaction and enqueue e-mails with
``transaction.on_commit`` so that nothing is sent for a change that was rolled back. No log line
carries a NIK or an e-mail address: users are named by id.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import tasks, throttling
from accounts.models import User
from accounts.roles import Role
from accounts.tokens import read_verification_token
from config.logs import log_event

logger = logging.getLogger(__name__)

APPLICANT_PROFILE_FIELDS = (
    "full_name",
    "nik",
    "phone",
    "address",
    "kecamatan",
    "desa",
    "applicant_kind",
    "company_name",
    "nib",
    "npwp",
    "language",
    "notify_inapp",
    "notify_sms",
)
OFFICER_PROFILE_FIELDS = ("full_name", "phone")
COMPANY_FIELDS = ("company_name", "nib", "npwp")
#: What the counter records of a walk-in applicant's profile.
WALK_IN_PROFILE_FIELDS = (
    "full_name",
    "nik",
    "phone",
    "address",
    "applicant_kind",
    "company_name",
    "nib",
    "npwp",
)
#: The domain of the address a walk-in applicant without e-mail gets: it can never receive
#: mail (RFC 2606), and the outbox marks such messages failed instead of sending them.
WALK_IN_EMAIL_DOMAIN = "tanpa-email.invalid"


def normalize_email(email: str) -> str:
    return User.objects.normalize_email((email or "").strip()).lower()


def _enqueue(task, user_id: int) -> None:
    transaction.on_commit(partial(task.delay, user_id))


def _verification_mail_allowed(email: str) -> bool:
    limit, window = throttling.RESEND_PER_EMAIL
    return throttling.hit(f"verify-mail:{throttling.email_key(email)}", limit=limit, window=window)


@transaction.atomic
def register_pemohon(*, email: str, full_name: str, password: str, applicant_kind: str):
    """Create an applicant account and send the verification e-mail (through Celery).

    Returns the new user, or None when the address already has an account. The caller shows the
    same "check your e-mail" page in both cases, so sign-up does not reveal who is registered:
    the owner of a verified account gets a notice instead, and an account that was never
    verified is taken over by this sign-up (new name and password, a fresh link).
    """
    email = normalize_email(email)
    existing = User.objects.select_for_update().filter(email__iexact=email).first()
    if existing is not None:
        if existing.must_verify_email and existing.is_active:
            existing.full_name = full_name
            existing.applicant_kind = applicant_kind
            existing.set_password(password)
            existing.save(update_fields=["full_name", "applicant_kind", "password"])
            if _verification_mail_allowed(email):
                _enqueue(tasks.send_verification_email, existing.pk)
            log_event(logger, "signup_repeated_unverified", user_id=existing.pk)
        else:
            if _verification_mail_allowed(email):
                _enqueue(tasks.send_account_exists_email, existing.pk)
            log_event(logger, "signup_existing_account", user_id=existing.pk)
        return None
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email,
                password,
                full_name=full_name,
                applicant_kind=applicant_kind,
                role=Role.PEMOHON,
            )
    except (IntegrityError, ValidationError):  # the same address signed up a moment ago
        log_event(logger, "signup_race")
        return None
    _verification_mail_allowed(email)
    _enqueue(tasks.send_verification_email, user.pk)
    log_event(logger, "signup", user_id=user.pk)
    return user


def request_verification_email(*, email: str, ip: str) -> bool:
    """ "Kirim ulang e-mail verifikasi". False when the visitor has asked too often (per IP and
    per address). Says nothing about whether the address exists."""
    ip_limit, ip_window = throttling.RESEND_PER_IP
    if not throttling.hit(f"verify-ip:{ip}", limit=ip_limit, window=ip_window):
        return False
    email = normalize_email(email)
    if not _verification_mail_allowed(email):
        return False
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is not None and user.must_verify_email:
        _enqueue(tasks.send_verification_email, user.pk)
        log_event(logger, "verification_resent", user_id=user.pk)
    return True


@transaction.atomic
def verify_email(*, token: str) -> User:
    """Mark the address of the token's user verified. Raises ``accounts.tokens.InvalidToken``
    (or its subclass ``AlreadyVerified``)."""
    user = read_verification_token(token)
    return mark_email_verified(user=user)


@transaction.atomic
def mark_email_verified(*, user: User) -> User:
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.email_verified_at is None:
        locked.email_verified_at = timezone.now()
        locked.save(update_fields=["email_verified_at"])
        log_event(logger, "email_verified", user_id=locked.pk)
    user.email_verified_at = locked.email_verified_at
    return user


def request_password_reset(*, user: User) -> bool:
    """Send a password-reset link to an active user (through Celery), at most
    ``PASSWORD_RESET_PER_EMAIL`` per hour."""
    limit, window = throttling.PASSWORD_RESET_PER_EMAIL
    if not throttling.hit(
        f"reset-mail:{throttling.email_key(user.email)}", limit=limit, window=window
    ):
        log_event(logger, "password_reset_throttled", user_id=user.pk)
        return False
    _enqueue(tasks.send_password_reset_email, user.pk)
    log_event(logger, "password_reset_requested", user_id=user.pk)
    return True


def password_reset_completed(*, user: User) -> None:
    """After a reset by e-mail link: the link proved the address, and the lock-out of the
    account (if any) no longer protects anything."""
    from axes.utils import reset as axes_reset

    mark_email_verified(user=user)
    axes_reset(username=user.email.lower())
    log_event(logger, "password_reset_done", user_id=user.pk)


# --- Walk-in applicants (entered at the counter) -------------------------------------------


def applicant_by_email(email: str) -> User | None:
    """The applicant account with this e-mail address, or None. The only way the counter
    matches a walk-in applicant to an account: an NIK is self-declared and not unique, so it
    never identifies an account."""
    email = normalize_email(email)
    if not email:
        return None
    return User.objects.filter(role=Role.PEMOHON, email__iexact=email).first()


def walk_in_placeholder_email() -> str:
    """A fresh address for a walk-in applicant without e-mail (random, so it says nothing
    about the person and two accounts never share it)."""
    return f"loket-{secrets.token_hex(8)}@{WALK_IN_EMAIL_DOMAIN}"


@transaction.atomic
def create_walk_in_applicant(*, email: str = "", profile: Mapping[str, Any]) -> User:
    """A new applicant account for someone the front office serves at the counter.

    No usable password: when the e-mail is real, the applicant sets one with "lupa kata sandi";
    without one, the account gets an address that cannot receive mail and the applicant follows
    the file by number and PIN. Raises ``ValidationError`` when the address already belongs to
    an account (the counter attaches to an applicant's account by e-mail before it calls this).
    """
    address = normalize_email(email) or walk_in_placeholder_email()
    if User.objects.filter(email__iexact=address).exists():
        raise ValidationError(
            {"email": _("E-mail ini sudah dipakai akun petugas; gunakan e-mail lain.")}
        )
    values = {name: profile.get(name) or "" for name in WALK_IN_PROFILE_FIELDS}
    values["applicant_kind"] = values["applicant_kind"] or User.ApplicantKind.PERORANGAN
    user = User.objects.create_user(address, None, role=Role.PEMOHON, **values)
    log_event(logger, "walk_in_account_created", user_id=user.pk)
    return user


def editable_profile_fields(user: User) -> tuple[str, ...]:
    return APPLICANT_PROFILE_FIELDS if user.is_pemohon else OFFICER_PROFILE_FIELDS


def missing_company_fields(*, applicant_kind: str, values: dict) -> list[str]:
    """For a badan usaha the company name, NIB and NPWP are required."""
    if applicant_kind != User.ApplicantKind.BADAN_USAHA:
        return []
    return [name for name in COMPANY_FIELDS if not values.get(name)]


@transaction.atomic
def update_profile(*, user: User, **changes) -> User:
    """Save the profile fields the user's role may edit. Raises ``ValidationError``."""
    allowed = editable_profile_fields(user)
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        setattr(user, name, value if value is not None else _empty(name))
    if user.is_pemohon:
        if user.applicant_kind != User.ApplicantKind.BADAN_USAHA:
            # Data minimisation (UU PDP): a person keeps no stale company data.
            user.company_name = user.nib = user.npwp = ""
        values = {name: getattr(user, name) for name in COMPANY_FIELDS}
        missing = missing_company_fields(applicant_kind=user.applicant_kind, values=values)
        if missing:
            raise ValidationError(
                {name: _("Wajib diisi untuk pemohon badan usaha.") for name in missing}
            )
    user.full_clean(exclude=["password"])
    user.save()
    log_event(logger, "profile_updated", user_id=user.pk, fields=",".join(sorted(changes)))
    return user


def _empty(name: str):
    field = User._meta.get_field(name)
    return None if field.null else ""
