"""Portal-wide pages that belong to no single app."""

from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView


class HomeView(TemplateView):
    template_name = "home.html"


@require_GET
def baseline(request):
    """``GET /__baseline``: the trivial view of the benchmark (``make bench``). It answers "ok"
    through the full middleware stack and touches nothing else: no database, no template, no
    personal data, so it is harmless to keep on in production. Every page's throughput is
    reported as a ratio to this view measured in the same run (bench/README.md)."""
    return HttpResponse(b"ok", content_type="text/plain; charset=utf-8")


def csrf_failure(request, reason=""):
    """A form refused by the CSRF check (``CSRF_FAILURE_VIEW``): the site's own page in the
    visitor's language, with the way back, instead of Django's bare English one. ``reason`` is
    for the log only (Django logs it as ``django.security.csrf``)."""
    return render(request, "403_csrf.html", status=403)


@require_GET
def favicon(request):
    """``/favicon.ico``, which browsers ask for on every first visit whatever the page links:
    the icon itself, cached for a year (pages link ``img/favicon.svg``)."""
    path = finders.find("img/favicon.ico")
    if path is None:  # collected only (production without the finders' source folder)
        raise Http404
    response = FileResponse(open(path, "rb"), content_type="image/x-icon")  # noqa: SIM115
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
