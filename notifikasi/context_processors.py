"""The bell in the header: the signed-in user's unread in-app notifications.

The count is lazy (only pages that render the bell ask) and cached per user
(``notifikasi.bell``).
"""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        from notifikasi.bell import unread_count

        return unread_count(user)

    return {"notifikasi_unread": SimpleLazyObject(count)}
