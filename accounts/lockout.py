"""The django-axes handler of the log-in lockout (``AXES_HANDLER``): axes' database handler with
a limit of its own for each lockout parameter.

``AXES_LOCKOUT_PARAMETERS`` counts failures two ways: per account and client address
(``AXES_FAILURE_LIMIT``, 5: guessing one account's password) and per client address alone
(``AXES_IP_FAILURE_LIMIT``, 20: password spraying, one guess each for many accounts; higher,
because an office or a mobile carrier puts many people behind one address). axes compares one
number with one limit, the largest count of any parameter against ``AXES_FAILURE_LIMIT``;
:meth:`LoginAttemptHandler.get_failures` therefore reports each count in units of its own limit
(``count × AXES_FAILURE_LIMIT // limit``), which reaches ``AXES_FAILURE_LIMIT`` exactly when that
count reaches its limit. Both lift after ``AXES_COOLOFF_TIME`` without failures.

A successful log-in clears the failures of that account from that address only, never the
address's own count: otherwise someone spraying from one address could clear it by logging into
an account of their own between guesses.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum

IP_ONLY = "ip_address"


def limit_of(parameter, request, credentials) -> int:
    """The failure limit of one lockout parameter (a name or a list of names)."""
    if parameter == IP_ONLY or parameter == [IP_ONLY]:
        return int(settings.AXES_IP_FAILURE_LIMIT)
    return get_failure_limit(request, credentials)


class LoginAttemptHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials: dict | None = None) -> int:
        base = get_failure_limit(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        attempts_list = self.get_user_attempts(request, credentials)
        worst = 0
        for parameter, attempts in zip(parameters, attempts_list, strict=True):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            limit = max(1, limit_of(parameter, request, credentials))
            worst = max(worst, count * base // limit)
        return worst

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        if username is None:
            return 0
        count, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return count
