"""Portal-wide pages that belong to no single app."""

from django.http import HttpResponse
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
