"""The signed token in the e-mail verification link (``/akun/verifikasi/<token>/``).

The token carries the user's id and a keyed fingerprint of what the link vouches for (the
e-mail address, the password hash and the verification state), signed with ``SECRET_KEY`` and
valid for ``EMAIL_VERIFICATION_MAX_AGE`` seconds. The address itself never appears in the URL.
Changing the e-mail or the password, or verifying once, makes older links useless.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "accounts.email-verification"
#: How long a verification link works: 3 days by default (a new one can be sent any time).
EMAIL_VERIFICATION_MAX_AGE = getattr(settings, "EMAIL_VERIFICATION_MAX_AGE", 3 * 24 * 60 * 60)


class InvalidToken(Exception):
    """The link is malformed, tampered with, expired or out of date."""


class AlreadyVerified(InvalidToken):
    """The link is genuine but the address was verified already (e.g. the link was used)."""


def _fingerprint(user) -> str:
    state = f"{user.pk}|{user.email.lower()}|{user.password}|{user.email_verified_at or ''}"
    return salted_hmac(SALT, state, algorithm="sha256").hexdigest()[:32]


def make_verification_token(user) -> str:
    return signing.dumps([user.pk, _fingerprint(user)], salt=SALT, compress=False)


def read_verification_token(token: str):
    """The user the token was made for, or ``InvalidToken``."""
    try:
        user_id, fingerprint = signing.loads(token, salt=SALT, max_age=EMAIL_VERIFICATION_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        raise InvalidToken from None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise InvalidToken
    if user.email_verified_at is not None:
        raise AlreadyVerified
    if not constant_time_compare(str(fingerprint), _fingerprint(user)):
        raise InvalidToken
    return user
