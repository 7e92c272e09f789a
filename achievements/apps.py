from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AchievementsConfig(AppConfig):
    name = "achievements"
    verbose_name = _("Projects and results")

    def ready(self):
        from . import figures, home, policies, search  # noqa: F401
