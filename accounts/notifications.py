"""The e-mails of the accounts part: verification, "this address already has an account" and
password reset. Called only from ``accounts.tasks`` (the worker), never from a request.

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


def send_account_exists_email(user) -> None:
    _send(
        user,
        "account_exists",
        {
            "login_link": absolute_url(reverse("accounts:login")),
            "reset_link": absolute_url(reverse("accounts:password_reset")),
        },
    )


def send_password_reset_email(user) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    _send(
        user,
        "password_reset",
        {"link": absolute_url(path), "valid_minutes": settings.PASSWORD_RESET_TIMEOUT // 60},
    )
