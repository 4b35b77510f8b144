from django import template

from accounts.pii import mask_nik as _mask_nik

register = template.Library()


@register.filter
def mask_nik(value):
    return _mask_nik(value)
