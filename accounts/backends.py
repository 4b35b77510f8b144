from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from accounts.identifiers import plain_address


class EmailBackend(ModelBackend):
    """Log in by e-mail. The address typed is brought to its one plain form
    (``accounts.identifiers.plain_address``: NFKC, case-folded, ASCII only) and matched
    exactly, never with ``iexact`` (PostgreSQL's ``UPPER()`` folds ``ı`` to ``I``); django-axes
    counts failures under the same form (``accounts.throttling.axes_username``). A spelling that
    is not plain logs nobody in. Inactive users are refused (``user_can_authenticate``), and
    their open sessions die on the next request."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        raw = username if username is not None else kwargs.get("email")
        if raw is None or password is None:
            return None
        user_model = get_user_model()
        address = plain_address(raw)
        user = None
        if address is not None:
            user = user_model._default_manager.filter(email=address).first()
        if user is None:
            # The same hashing work as a wrong password, so the answer's time does not say
            # whether the address has an account (Django's ModelBackend does the same).
            user_model().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
