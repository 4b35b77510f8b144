"""What every page of the officers' desk shares: the entry check (officers and admins, else
403), the text of a domain error for a message, and the address of a file page."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.roles import Role
from perizinan.exceptions import WorkflowError


def officer_required(view):
    """Logged in, and an officer or an admin; otherwise 403."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not (user.is_officer or user.role == Role.ADMIN):
            raise PermissionDenied(_("Halaman ini khusus petugas."))
        return view(request, *args, **kwargs)

    return wrapper


def error_text(exc: WorkflowError | ValidationError) -> str:
    """The message of a refused move or an invalid input, for ``messages.error``."""
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    return str(exc.message)


def file_url(permohonan) -> str:
    return reverse("petugas:file", kwargs={"public_id": permohonan.public_id})
