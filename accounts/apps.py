from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Akun dan peran")

    def ready(self):
        from accounts.mfa.views import PROFILE_SECTION
        from accounts.profile import register_section

        register_section(PROFILE_SECTION)  # staff: their second factor and backup codes
