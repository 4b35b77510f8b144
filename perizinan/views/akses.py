"""The citizen's view of staff access to their documents (UU PDP No. 27 Tahun 2022): a
section of the profile page (``accounts.profile``, registered in ``PerizinanConfig.ready``)
and the full log at ``/akun/profil/akses-data/``."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache

from accounts.profile import ProfileSection
from perizinan.services import akses

DATA_ACCESS_PAGE_SIZE = 25
DATA_ACCESS_ON_PROFILE = 5


def _profile_context(request) -> dict | None:
    if not request.user.is_pemohon:
        return None
    return {"access_entries": akses.latest_access(request.user, limit=DATA_ACCESS_ON_PROFILE)}


PROFILE_SECTION = ProfileSection(
    name="perizinan.data_access",
    template_name="perizinan/akses/_profile_section.html",
    context=_profile_context,
)


@method_decorator(never_cache, "dispatch")
class DataAccessView(LoginRequiredMixin, View):
    """Every staff view or download of the signed-in citizen's documents. Only citizens have
    documents to be looked at, so staff are refused the page (403); there is no id in the
    URL, so nobody sees another's."""

    template_name = "perizinan/akses/data_access.html"

    def get(self, request):
        if not request.user.is_pemohon:
            raise PermissionDenied(_("Halaman ini khusus pemohon."))
        # get_page: a missing, non-numeric or out-of-range page gives the first or last page.
        page = Paginator(akses.document_access_of(request.user), DATA_ACCESS_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context = {"page_obj": page, "entries": akses.describe_access(page.object_list)}
        return render(request, self.template_name, context)
