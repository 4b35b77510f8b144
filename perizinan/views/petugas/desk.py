"""The officers' dashboard (counts per state in the officer's scope, their own open files)
and the queues: filtered, most urgent first, in keyset pages, each page cached per session
(``config.page_cache``)."""

from __future__ import annotations

import uuid

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.roles import Role
from config import page_cache
from notifikasi.services import unread_count
from perizinan import selectors
from perizinan.forms.petugas import QueueFilterForm
from perizinan.views.petugas.common import officer_required
from perizinan.workflow import Status, statuses_for_role

QUEUE_PAGE_SIZE = 25
#: How long a rendered queue page may be served again (``config.page_cache``; any change to a
#: file makes it stale at once).
QUEUE_CACHE_SECONDS = 300


def _with_file_urls(rows) -> None:
    """``row.file_url`` for each row, from one ``reverse()``: a ``{% url %}`` per row was a
    measurable part of the queue page's cost."""
    marker = uuid.UUID(int=0)
    head, tail = reverse("petugas:file", kwargs={"public_id": marker}).split(str(marker))
    for row in rows:
        row.file_url = f"{head}{row.public_id}{tail}"


@never_cache
@officer_required
@require_GET
def dashboard(request):
    user = request.user
    counts = selectors.dashboard_counts(user)
    own = statuses_for_role(user.role)
    cards = [
        {
            "status": status,
            "label": Status(status).label,
            "count": n,
            "unassigned": counts["unassigned"].get(status, 0),
            "is_work": status in own,
        }
        for status, n in counts["by_status"].items()
    ]
    context = {
        "counts": counts,
        "cards": cards,
        "mine": selectors.my_open_count(user),
        "own_statuses": own,
        "may_enter_at_counter": user.role == Role.FRONT_OFFICE,
        "sign_queue_url": reverse("petugas:sign_queue"),
    }
    return render(request, "perizinan/petugas/dashboard.html", context)


def _bell(request) -> str:
    return str(unread_count(request.user))


@never_cache
@officer_required
@require_GET
@page_cache.per_session(seconds=QUEUE_CACHE_SECONDS, vary=_bell)
def queue(request):
    user = request.user
    form = QueueFilterForm(request.GET or None)
    values = form.values()
    today = timezone.localdate()
    qs = selectors.officer_queue(user, today=today, **values)
    page = selectors.queue_page(
        qs,
        after=request.GET.get("setelah", ""),
        before=request.GET.get("sebelum", ""),
        per_page=QUEUE_PAGE_SIZE,
    )
    selectors.with_deadlines(page.rows, today=today)
    _with_file_urls(page.rows)
    query = request.GET.copy()
    for key in ("setelah", "sebelum", "hal"):
        query.pop(key, None)
    context = {
        "form": form,
        "page": page,
        "rows": page.rows,
        "querystring": query.urlencode(),
        "view": values["view"],
        "may_claim_next": bool(statuses_for_role(user.role)),
        "today": today,
    }
    return render(request, "perizinan/petugas/queue.html", context)
