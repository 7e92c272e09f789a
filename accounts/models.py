from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from core.models import TimeStampedModel
from core.permissions import ScopedQuerySet

from .choices import Role, UnitKind


class UnitQuerySet(MP_NodeQuerySet, ScopedQuerySet):
    def subtree_of(self, unit):
        """The unit and everything below it: one indexed prefix query on the materialized path."""
        return self.filter(path__startswith=unit.path)


class UnitManager(MP_NodeManager):
    def get_queryset(self):
        return UnitQuerySet(self.model, using=self._db).order_by("path")

    def visible_to(self, user):
        return self.get_queryset().visible_to(user)


class Unit(MP_Node, TimeStampedModel):
    """A node of the company's organisation tree (HQ → subsidiary → plant → workshop), with its union."""

    # Four characters per level allow 1.6 million children under one parent.
    steplen = 4
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    code = models.CharField(_("code"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices, default=UnitKind.OTHER)
    union_name = models.CharField(_("union name"), max_length=120, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = UnitManager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        indexes = [
            # Subtree queries are `path LIKE 'prefix%'`; on PostgreSQL that needs the pattern opclass.
            models.Index(fields=["path"], name="unit_path_prefix_idx", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("accounts:unit_detail", args=[self.pk])

    @property
    def indented_name(self):
        return "\u3000" * (self.depth - 1) + self.name

    def is_within(self, other):
        """True when this unit is `other` or below it."""
        return other is not None and self.path.startswith(other.path)


class UserQuerySet(ScopedQuerySet):
    pass


class PortalUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A login. Every user works for one unit and has one role; scope follows from both."""

    name = models.CharField(_("full name"), max_length=50)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="users", null=True, blank=True
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    must_change_password = models.BooleanField(_("must change password"), default=False)

    objects = PortalUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_superuser=True) | models.Q(unit__isnull=False),
                name="user_has_unit_unless_superuser",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.username})" if self.name else self.username

    def get_absolute_url(self):
        return reverse("accounts:user_detail", args=[self.pk])

    @property
    def display_name(self):
        return self.name or self.username

    # Role tests used by the permission policies. A superuser acts with HQ rights.
    @property
    def is_hq(self):
        return self.is_superuser or self.role == Role.HQ_CADRE

    @property
    def is_unit_cadre(self):
        return self.role == Role.UNIT_CADRE and not self.is_superuser

    @property
    def is_studio_lead(self):
        return self.role == Role.STUDIO_LEAD and not self.is_superuser

    @property
    def is_expert(self):
        return self.role == Role.EXPERT and not self.is_superuser

    @property
    def is_viewer(self):
        return self.role == Role.VIEWER and not self.is_superuser

    @property
    def sees_everything(self):
        """HQ cadres and leadership viewers read the whole tree."""
        return self.is_hq or self.is_viewer
