from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("Mentor pairings")

    def ready(self):
        from . import policies  # noqa: F401  (register the rules)
