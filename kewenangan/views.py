"""Public pages: the service catalogue, a service's standard, the list of authorities and the
service pledge. Thin: the reads live in ``kewenangan.selectors``, the filters are forms
(``kewenangan.forms``): a refused filter (a control character, an unknown status, a value too
long) answers 400 with the page, its message and the results of the other filters."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView, TemplateView

from config.forms import error_lines, valid_values
from kewenangan import selectors
from kewenangan.forms import KewenanganFilterForm, LayananFilterForm
from kewenangan.models import JenisIzin, Maklumat, PerangkatDaerah, Persyaratan
from kewenangan.services import build_snapshot, route_summary


class _FilteredListView(ListView):
    """A list whose query string is read through ``filter_form``."""

    filter_form: type[forms.Form]

    def get_queryset(self):
        self.form = self.filter_form(self.request.GET)
        valid = valid_values(self.form)
        # A refused or missing filter is "" (no filter); the others apply.
        return self.filtered({name: valid.get(name) or "" for name in self.form.fields})

    def filtered(self, filters: dict[str, str]) -> QuerySet:
        raise NotImplementedError

    def render_to_response(self, context, **response_kwargs):
        if self.form.errors:
            response_kwargs.setdefault("status", 400)
        return super().render_to_response(context, **response_kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_errors"] = error_lines(self.form)
        return context


class LayananListView(_FilteredListView):
    """``/layanan/``: published services, searchable and filterable, paginated."""

    template_name = "kewenangan/layanan_list.html"
    context_object_name = "services"
    paginate_by = 20
    filter_form = LayananFilterForm

    def filtered(self, filters: dict[str, str]) -> QuerySet:
        self.q, self.opd, self.sector = filters["q"], filters["opd"], filters["sektor"]
        return selectors.catalogue(q=self.q, opd=self.opd, sector=self.sector)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            selectors.catalogue_filters(),
            q=self.q,
            selected_opd=self.opd,
            selected_sector=self.sector,
            querystring=query.urlencode(),
        )
        return context


class LayananDetailView(DetailView):
    """``/layanan/<slug>/``: the published service standard, rendered from the version in
    force, so that the page shows exactly what applicants are held to. The route (holder,
    signer, technical team, legal basis of the delegation) and the steps' performers in it are
    derived from the holder when it was published, and every change of holder publishes a
    new version."""

    template_name = "kewenangan/layanan_detail.html"
    context_object_name = "service"

    def get_object(self, queryset=None):
        try:
            return selectors.published_service(self.kwargs["slug"])
        except JenisIzin.DoesNotExist:
            raise Http404 from None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        service = self.object
        version = service.current_version
        kewenangan = service.kewenangan
        std = version.snapshot if version else build_snapshot(service)
        context.update(
            version=version,
            std=std,
            kewenangan=kewenangan,
            # Who provides and signs, and on which legal basis: frozen in the version (a
            # change of holder publishes a new one); derived now for older versions.
            route=std.get("penyelenggara") or route_summary(kewenangan, service),
            apply_url=selectors.apply_url(service),
        )
        return context


class KewenanganListView(_FilteredListView):
    """``/kewenangan/``: every active authority with its holder, delegation status and legal
    basis, and the progress of the one-stop transfer on top. Not paginated: the public sees
    the whole list (about 200 rows)."""

    template_name = "kewenangan/kewenangan_list.html"
    context_object_name = "items"
    filter_form = KewenanganFilterForm

    def filtered(self, filters: dict[str, str]) -> QuerySet:
        self.q, self.opd, self.status = filters["q"], filters["opd"], filters["status"]
        return selectors.public_kewenangan(opd=self.opd, status=self.status, q=self.q)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            progress=selectors.delegation_progress(),
            dpmptsp=PerangkatDaerah.objects.filter(is_dpmptsp=True).first(),
            opds=PerangkatDaerah.objects.filter(active=True).order_by("name"),
            selected_opd=self.opd,
            selected_status=self.status,
            q=self.q,
        )
        return context


class MaklumatView(TemplateView):
    """``/maklumat/``: the service pledge in force."""

    template_name = "kewenangan/maklumat.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["maklumat"] = Maklumat.objects.current()
        return context


def template_download(request, slug: str, pk: int):
    """The blank template of one requirement of a published service (public)."""
    persyaratan = get_object_or_404(
        Persyaratan.objects.filter(jenis_izin__in=JenisIzin.objects.published()),
        pk=pk,
        jenis_izin__slug=slug,
    )
    if not persyaratan.template_file:
        raise Http404
    response = FileResponse(persyaratan.template_file.open("rb"), as_attachment=True)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"  # a download, not a page
    return response
