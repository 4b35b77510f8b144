"""Every state change of an account: sign-up, e-mail verification, profile updates.

Services take keyword arguments, own their transaction and enqueue e-mails with
``transaction.on_commit`` so that nothing is sent for a change that was rolled back. No log line
carries a NIK or an e-mail address: users are named by id.

Addresses are compared in one form only (``accounts.identifiers.plain_address``: NFKC,
case-folded, plain ASCII) and matched exactly.

An account is only ever taken over by proving control of its mailbox: a sign-up for an address
that has an account changes nothing of it and mails its owner instead; an account made at the
counter (no usable password) gets its password through a link sent to its address
("lupa kata sandi", or the notice a sign-up triggers). A walk-in's file under an address that
cannot receive mail is taken into the citizen's own account with its number and PIN
(``perizinan.services.claim``), never by NIK.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from functools import partial
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import identifiers, tasks, throttling
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
WALK_IN_EMAIL_DOMAIN = identifiers.WALK_IN_EMAIL_DOMAIN
is_placeholder_address = identifiers.is_placeholder_address


def normalize_email(email: str) -> str:
    """The stored form of an address, or "" when ``email`` is not a plain address (which then
    matches no account)."""
    return identifiers.plain_address(email) or ""


class AccountState:
    """What an existing account needs from the notice a repeated sign-up sends (see
    :func:`account_state`)."""

    ACTIVE = "active"  # verified, with a password: log in or reset it
    UNVERIFIED = "unverified"  # signed up, never verified: set a password by the link
    COUNTER = "counter"  # made at the counter, no password yet: set one by the link


def account_state(user: User) -> str:
    if not user.has_usable_password():
        return AccountState.COUNTER
    if user.must_verify_email:
        return AccountState.UNVERIFIED
    return AccountState.ACTIVE


def _enqueue(task, user_id: int) -> None:
    transaction.on_commit(partial(task.delay, user_id))


def _verification_mail_allowed(email: str) -> bool:
    limit, window = throttling.RESEND_PER_EMAIL
    return throttling.hit(f"verify-mail:{throttling.email_key(email)}", limit=limit, window=window)


@transaction.atomic
def register_pemohon(*, email: str, full_name: str, password: str, applicant_kind: str):
    """Create an applicant account and send the verification e-mail (through Celery).

    Returns the new user, or None when the address already has an account. The caller shows the
    same "check your e-mail" page in both cases, so sign-up does not reveal who is registered.
    An existing account, verified or not, made online or at the counter, is left exactly as it
    is (password, name, verification state: its first verification link keeps working), and its
    owner is mailed a notice instead (``tasks.send_account_exists_email``): log in or reset the
    password, or, for an account that never proved its address or has no password yet, a link
    to set one, which proves the mailbox.

    Both paths do the same work, so the answer's time does not tell either: the password is
    hashed (stored for a new account, thrown away otherwise) and one e-mail task is queued.
    Raises ``ValidationError`` for an address that is not plain or cannot receive mail.
    """
    email = identifiers.clean_address(email)
    if is_placeholder_address(email):
        raise ValidationError({"email": _("Alamat ini tidak dapat menerima e-mail.")})
    existing = User.objects.filter(email=email).first()
    if existing is not None:
        make_password(password)  # the hashing work of a new account; the hash is dropped
        if _verification_mail_allowed(email):
            _enqueue(tasks.send_account_exists_email, existing.pk)
        log_event(
            logger, "signup_existing_account", user_id=existing.pk, state=account_state(existing)
        )
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
    user = User.objects.filter(email=email, is_active=True).first() if email else None
    if user is None or not user.must_verify_email or is_placeholder_address(email):
        return True
    if user.has_usable_password():
        _enqueue(tasks.send_verification_email, user.pk)
        log_event(logger, "verification_resent", user_id=user.pk)
    else:  # made at the counter: verifying alone would not let anyone in; set a password
        _enqueue(tasks.send_password_reset_email, user.pk)
        log_event(logger, "counter_account_link_sent", user_id=user.pk)
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


def accounts_for_password_link(email: str) -> list[User]:
    """The active account with exactly this address that a password link may be mailed to:
    with or without a usable password (an account made at the counter sets its first one this
    way), never one whose address cannot receive mail."""
    email = normalize_email(email)
    if not email or is_placeholder_address(email):
        return []
    return list(User.objects.filter(email=email, is_active=True))


def request_password_reset(*, user: User) -> bool:
    """Send a password-reset link to an active user (through Celery), at most
    ``PASSWORD_RESET_PER_EMAIL`` per hour. For an account made at the counter the same link
    sets its first password."""
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
    axes_reset(username=identifiers.counter_key(user.email))
    log_event(logger, "password_reset_done", user_id=user.pk)


# --- Walk-in applicants (entered at the counter) -------------------------------------------


def applicant_by_email(email: str) -> User | None:
    """The applicant account with this e-mail address, or None. The only way the counter
    matches a walk-in applicant to an account: an NIK is self-declared and not unique, so it
    never identifies an account."""
    email = normalize_email(email)
    if not email:
        return None
    return User.objects.filter(role=Role.PEMOHON, email=email).first()


def is_walk_in_placeholder(user: Any) -> bool:
    """An account the counter made for a walk-in without e-mail: its address cannot receive
    mail and it has no password. Only its files may be claimed with number and PIN."""
    return is_placeholder_address(user.email) and not user.has_usable_password()


@transaction.atomic
def retire_walk_in_account(*, user: User) -> bool:
    """Deactivate a walk-in placeholder account (nobody can log in to it anyway) once its files
    were claimed. False when it is not one."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if not is_walk_in_placeholder(locked) or not locked.is_active:
        return False
    locked.is_active = False
    locked.save(update_fields=["is_active"])
    log_event(logger, "walk_in_account_retired", user_id=locked.pk)
    return True


@transaction.atomic
def secure_for_counter_file(*, user: User) -> User:
    """Before the counter puts a file into an existing account found by its address: an account
    that never proved its address has a password typed by whoever signed up with it first,
    maybe not its owner. That password is dropped; the owner sets one through a link to the
    address ("lupa kata sandi", or the notice of a new sign-up), and the old verification link
    stops working (it vouches for the password hash)."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.must_verify_email and locked.has_usable_password():
        locked.set_unusable_password()
        locked.save(update_fields=["password"])
        log_event(logger, "unverified_account_secured_for_counter", user_id=locked.pk)
    return locked


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
    address = normalize_email(email)
    if (email or "").strip() and not address:
        raise ValidationError({"email": identifiers.NOT_PLAIN_MESSAGE})
    address = address or walk_in_placeholder_email()
    if User.objects.filter(email=address).exists():
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
