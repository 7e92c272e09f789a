from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("Mentor pairings")

    def ready(self):
        # Register the rules, the home to-dos, the self-assessment figures and the audit labels.
        from . import assessment, home, policies, services  # noqa: F401
