import math
from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def total_minutes(value) -> int | None:
    """A duration in whole minutes, rounded up (``timedelta(minutes=14, seconds=1)`` -> 15)."""
    if not isinstance(value, timedelta):
        return None
    return max(1, math.ceil(value.total_seconds() / 60))
