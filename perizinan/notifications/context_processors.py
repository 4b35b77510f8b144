"""The bell in the header: the signed-in user's unread in-app notifications.

The count is lazy: it costs one query, only on pages that render the bell.
"""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        from perizinan.models import Notifikasi

        return Notifikasi.objects.for_user(user).unread().count()

    return {"notifikasi_unread": SimpleLazyObject(count)}
