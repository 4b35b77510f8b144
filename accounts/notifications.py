"""The e-mails of the accounts part: verification, "this address already has an account",
password reset and the first password of an account made at the counter. Called only from
``accounts.tasks`` (the worker), never from a request.

Links are absolute, built on ``SITE_URL``; e-mails are written in the site's default language.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.tokens import EMAIL_VERIFICATION_MAX_AGE, make_verification_token
from config.logs import log_event

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _send(user, template_prefix: str, context: dict) -> None:
    context = {
        "user": user,
        "site_url": settings.SITE_URL.rstrip("/"),
        "office_name": settings.OFFICE_NAME,
        "regency_name": settings.REGENCY_NAME,
        **context,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"accounts/email/{template_prefix}_subject.txt", context)
        body = render_to_string(f"accounts/email/{template_prefix}_body.txt", context)
    subject = " ".join(subject.split())
    EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]).send()
    log_event(logger, "account_email_sent", kind=template_prefix, user_id=user.pk)


def send_verification_email(user) -> None:
    path = reverse("accounts:verify_email", kwargs={"token": make_verification_token(user)})
    _send(
        user,
        "verification",
        {"link": absolute_url(path), "valid_hours": EMAIL_VERIFICATION_MAX_AGE // 3600},
    )


def password_link(user) -> str:
    """The one-use link that sets the account's password (Django's reset token: valid
    ``PASSWORD_RESET_TIMEOUT``, void once the password changes). Opening it and choosing a
    password also verifies the address (``services.password_reset_completed``)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return absolute_url(path)


def send_account_exists_email(user) -> None:
    """Someone signed up with this address again; the account was not changed. The owner of
    a verified account is sent to log in (or reset the password). An account that never proved
    its address, or was made at the counter without a password, gets the link that sets a
    password instead: a verification link would vouch for a password that whoever signed up
    first typed, maybe not this mailbox's owner."""
    from accounts.services import AccountState, account_state

    state = account_state(user)
    context = {
        "state": state,
        "login_link": absolute_url(reverse("accounts:login")),
        "reset_link": absolute_url(reverse("accounts:password_reset")),
        "valid_minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
    }
    if state != AccountState.ACTIVE:
        context["set_password_link"] = password_link(user)
    _send(user, "account_exists", context)


def send_password_reset_email(user) -> None:
    """A reset link, or for an account made at the counter (no password yet) the link that
    sets its first password, in words that say so."""
    template = "password_reset" if user.has_usable_password() else "counter_account"
    _send(
        user,
        template,
        {
            "link": password_link(user),
            "valid_minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
            "login_link": absolute_url(reverse("accounts:login")),
        },
    )
