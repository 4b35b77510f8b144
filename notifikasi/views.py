"""In-app notifications (/notifikasi/): the list, open one (marks it read), mark all read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from notifikasi import inbox


@method_decorator(never_cache, name="dispatch")
class NotifikasiListView(LoginRequiredMixin, ListView):
    template_name = "notifikasi/list.html"
    context_object_name = "notifikasi_list"
    paginate_by = 20

    def get_queryset(self):
        return inbox.inbox_of(self.request.user)


@require_POST
@login_required
def notifikasi_read(request, public_id):
    """Mark one notification read; with ``open`` go on to the page it points to."""
    row = inbox.mark_read(user=request.user, public_id=public_id)
    if request.POST.get("open"):
        target = inbox.local_path(row.link)
        if target:
            return redirect(target)
    return redirect("notifikasi:list")


@require_POST
@login_required
def notifikasi_read_all(request):
    count = inbox.mark_all_read(user=request.user)
    if count:
        messages.success(request, _("Semua notifikasi ditandai sudah dibaca."))
    return redirect("notifikasi:list")
