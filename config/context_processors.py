"""Values every template needs: the regency's name and the role's navigation."""

from django.conf import settings

from config.navigation import items_for


def site(request):
    return {
        "REGENCY_NAME": settings.REGENCY_NAME,
        "OFFICE_NAME": settings.OFFICE_NAME,
        "nav_items": items_for(request.user) if hasattr(request, "user") else [],
    }
