"""The one spelling of an e-mail address that signs in, signs up or counts a failed log-in.

PostgreSQL's ``iexact`` (``UPPER()``) folds letters that Python's ``lower()`` keeps apart
(``ı`` → ``I``, ``ſ`` → ``S``), so ``admın@contoh.id`` once matched the admin account while
django-axes counted its failures under a key of its own. Every path now goes through
:func:`plain_address`: NFKC (full-width ``ＡＤＭＩＮ`` and ``ſ`` become ASCII), trimmed,
``casefold()``, and then only a plain ASCII address is accepted. The account is looked up with an
exact match on that value (stored addresses are lower case ASCII: sign-up, the counter and
admin all store this form), and the lockout counter uses the same value
(:func:`counter_key`).

A spelling that cannot be made plain (``admın``, ``contoh.ıd``) never reaches a password check.
If it is posted to a log-in form anyway it still counts as a failure, under the key of the
address it imitates (its *skeleton*: accents and dots dropped, ``ı`` read as ``i``), so trying
look-alikes only uses up the real account's attempts.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

#: The domain of the addresses the counter gives walk-in applicants without e-mail (RFC 2606:
#: it can never receive mail).
WALK_IN_EMAIL_DOMAIN = "tanpa-email.invalid"
#: Letters that neither NFKC nor NFKD maps to the ASCII letter they imitate.
_LOOKALIKES = str.maketrans({"ı": "i", "ȷ": "j", "ł": "l", "ø": "o", "đ": "d", "ħ": "h"})
#: django-axes stores the key in a 255-character column.
_KEY_LENGTH = 255

NOT_PLAIN_MESSAGE = _(
    "Masukkan alamat e-mail biasa: huruf latin tanpa tanda (a–z), angka, titik, tanda hubung "
    "dan satu @, misalnya nama@contoh.id."
)


def fold(value: str | None) -> str:
    """NFKC, trimmed, case-folded: the first step of every comparison of addresses."""
    return unicodedata.normalize("NFKC", value or "").strip().casefold()


def plain_address(value: str | None) -> str | None:
    """The address in the one form that is stored and looked up, or None when ``value`` is not
    a plain ASCII e-mail address after folding."""
    folded = fold(value)
    if not folded or not folded.isascii() or len(folded) > 254:
        return None
    try:
        validate_email(folded)
    except ValidationError:
        return None
    return folded


def clean_address(value: str | None) -> str:
    """:func:`plain_address` for forms and services: raises ``ValidationError`` with a message
    for the visitor when the address is not plain."""
    address = plain_address(value)
    if address is None:
        raise ValidationError(NOT_PLAIN_MESSAGE, code="not_plain_email")
    return address


def counter_key(value: str | None) -> str | None:
    """The key failed log-ins are counted under (``AXES_USERNAME_CALLABLE``). The plain address
    when there is one; otherwise the skeleton of the folded value, so that a look-alike counts
    against the account it imitates. None for an empty value."""
    folded = fold(value)
    if not folded:
        return None
    address = plain_address(folded)
    if address is not None:
        return address
    decomposed = unicodedata.normalize("NFKD", folded)
    skeleton = "".join(c for c in decomposed if not unicodedata.combining(c))
    return skeleton.translate(_LOOKALIKES)[:_KEY_LENGTH]


def is_placeholder_address(email: str | None) -> bool:
    """An address the counter gave a walk-in without e-mail: it can never receive mail."""
    return fold(email).endswith("@" + WALK_IN_EMAIL_DOMAIN)
