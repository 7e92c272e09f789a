from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .permissions import ScopedQuerySet


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One recorded change: who did what to which object, when, with the fields that changed.

    Services write it inside the same transaction as the change itself (core.services.audit_log),
    so a change and its audit row are committed or rolled back together.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("actor name"), max_length=160, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    content_type = models.ForeignKey(ContentType, verbose_name=_("object type"), on_delete=models.PROTECT)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    action = models.CharField(_("action"), max_length=40)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    # A comment composed by a service as a core.i18n sentence ({"comment": [message, values]}),
    # shown in the reader's language; `comment` holds its copy in the site's language (search,
    # export). Comments people wrote are kept as written, and this stays empty.
    message = models.JSONField(_("message to translate"), default=dict, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"], name="audit_object_idx")]

    def __str__(self):
        return f"{self.actor_name} {self.action} {self.object_repr}"

    @property
    def shown_comment(self) -> str:
        """The comment in the active language (a composed one), else as written."""
        from .i18n import translate

        return translate(self.message["comment"], fallback=self.comment) if "comment" in self.message else self.comment


class Notification(models.Model):
    """An in-app message to one user; it is also emailed when the user has an address."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    # A "waits for you" notification names the object waiting (core.services.task_key): when anyone
    # takes the step, it is marked read for everyone who got it (notifications_settle).
    task = models.CharField(_("pending step"), max_length=80, blank=True, default="")
    # The title and message as core.i18n sentences ({"title": [message, values], ...}), shown in the
    # reader's language; `title` and `body` hold them in the site's language.
    message = models.JSONField(_("message to translate"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(
                fields=["task"],
                name="notification_task_idx",
                condition=models.Q(read_at__isnull=True) & ~models.Q(task=""),
            ),
        ]

    def __str__(self):
        return self.shown_title

    @property
    def shown_title(self) -> str:
        """The title in the reader's language."""
        from .i18n import translate

        return translate(self.message["title"], fallback=self.title) if "title" in self.message else self.title

    @property
    def shown_body(self) -> str:
        from .i18n import translate

        return translate(self.message["body"], fallback=self.body) if "body" in self.message else self.body


class ConfigurableKind(models.Model):
    """A list HQ keeps in the portal (kinds of studio, kinds of project): named, ordered, retirable.

    Subclasses set DEFAULTS (the union's standard entries, also made by a data migration) and
    `list_url_name` (HQ's page of the list).
    """

    DEFAULTS: tuple[str, ...] = ()
    list_url_name = ""

    name = models.CharField(_("name"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse(self.list_url_name)

    @classmethod
    def ensure_defaults(cls) -> None:
        for order, name in enumerate(cls.DEFAULTS, start=1):
            cls.objects.get_or_create(name=name, defaults={"order": order})
