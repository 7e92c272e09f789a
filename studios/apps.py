from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudiosConfig(AppConfig):
    name = "studios"
    verbose_name = _("Studios")

    def ready(self):
        from . import home, policies, search  # noqa: F401
