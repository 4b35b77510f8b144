"""``/petugas/kesehatan-rute/``: for admins, the published services whose route has a state no
active officer can work, and the files in progress waiting for such a state's officer
(``perizinan.route_health``). Other officers get 403, like any page not for their role."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.roles import Role
from perizinan import route_health
from perizinan.views.petugas.common import officer_required


@never_cache
@officer_required
@require_GET
def route_health_page(request):
    if request.user.role != Role.ADMIN:
        raise PermissionDenied(_("Halaman ini khusus admin."))
    files = route_health.files_with_gaps()
    context = {
        "services": route_health.services_with_gaps(),
        "files": files.files,
        "files_total": files.total,
        "max_files": route_health.MAX_FILES,
    }
    return render(request, "perizinan/petugas/route_health.html", context)
