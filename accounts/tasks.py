"""Celery tasks of the accounts part. Each takes a user id, reloads the user and checks that
the e-mail is still wanted, so a task that runs twice (``acks_late``) or late does no harm.
SMTP and network errors are retried with exponential backoff."""

from __future__ import annotations

from celery import shared_task

from accounts import notifications
from accounts.identifiers import is_placeholder_address
from accounts.models import User

RETRY = {
    "autoretry_for": (OSError,),  # smtplib.SMTPException and socket errors
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 6,
    "ignore_result": True,
}


@shared_task(name="accounts.send_verification_email", **RETRY)
def send_verification_email(user_id: int) -> str:
    """Send the verification link; nothing if the address is verified already."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.email_verified_at is not None:
        return "skipped"
    notifications.send_verification_email(user)
    return "sent"


def _mailable(user_id: int) -> User | None:
    """The active user, when their address can receive mail."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or is_placeholder_address(user.email):
        return None
    return user


@shared_task(name="accounts.send_account_exists_email", **RETRY)
def send_account_exists_email(user_id: int) -> str:
    """Tell the owner of an address that someone tried to sign up with it again (with a link
    to set a password when the account never proved its address or has none yet)."""
    user = _mailable(user_id)
    if user is None:
        return "skipped"
    notifications.send_account_exists_email(user)
    return "sent"


@shared_task(name="accounts.send_password_reset_email", **RETRY)
def send_password_reset_email(user_id: int) -> str:
    """Send a password link (valid ``PASSWORD_RESET_TIMEOUT``) to an active user: a reset, or,
    for an account made at the counter (no usable password), the link that sets its first
    password. Never to an address that cannot receive mail."""
    user = _mailable(user_id)
    if user is None:
        return "skipped"
    notifications.send_password_reset_email(user)
    return "sent"
