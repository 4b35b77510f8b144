"""Template filters of the officers' desk."""

from django import template

from accounts.roles import Role

register = template.Library()


@register.filter
def role_label(value) -> str:
    """``front_office`` -> ``Front office``; ``system`` -> ``Sistem``."""
    if value == "system":
        from django.utils.translation import gettext

        return gettext("Sistem")
    try:
        return str(Role(value).label)
    except ValueError:
        return value or ""
