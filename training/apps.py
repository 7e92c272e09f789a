from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")

    def ready(self):
        from . import assessment, home, policies, search, services  # noqa: F401  (rules, figures, to-dos, search, labels)
