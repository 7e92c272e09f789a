from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """The common audit actions; transitions record their own verb."""

    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    LOGIN_LOCKED = "login_locked", _("Locked out after failed logins")
    PASSWORD_RESET = "password_reset", _("Password reset")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    DEACTIVATE = "deactivate", _("Deactivated")
    ACTIVATE = "activate", _("Reactivated")
    MOVE = "move", _("Moved")
    UNLOCK = "unlock", _("Unlocked")
