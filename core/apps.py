from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import lookups, policies, signals  # noqa: F401

        post_migrate.connect(_release_migrated, sender=self, dispatch_uid="core.statistics_after_migrate")


def _release_migrated(**kwargs):
    """`migrate` runs with every release: what was cached before it (figures, kept pages) may be
    drawn by the old code or from data a migration has since changed without an audit."""
    from .services import statistics_changed

    statistics_changed()
