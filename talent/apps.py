from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "talent"
    verbose_name = _("Talent")

    def ready(self):
        from . import home, policies, search, services  # noqa: F401  (register rules, to-dos, search, labels)
