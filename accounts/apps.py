from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisation")

    def ready(self):
        # Registers the permission policies of this app's models with core.permissions.
        from . import home, policies  # noqa: F401
