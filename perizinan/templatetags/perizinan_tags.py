"""Template filters of the application pages."""

from django import template

from perizinan.uploads import accepted_label, format_limit

register = template.Library()


@register.filter
def size_limit(max_size_kb) -> str:
    """``2048`` -> ``2 MB``."""
    return format_limit(int(max_size_kb))


@register.filter
def accepted_types(persyaratan) -> str:
    """``pdf,jpg`` -> ``PDF, JPEG``."""
    return accepted_label(persyaratan.accepted_type_list)
