"""Writes shared by every app: audit events and notifications."""

from __future__ import annotations

import datetime
import decimal
import logging
import time
import uuid
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import DatabaseError, models, transaction
from django.utils import timezone

from .models import AuditEvent, Notification

logger = logging.getLogger(__name__)


def _plain(value):
    """A JSON-safe form of a field value for the audit trail."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict:
    """The current values of `fields` on `obj`, taken before a change to diff against afterwards."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before: dict, obj: models.Model) -> dict:
    """{field: [old, new]} for each field of `before` whose value on `obj` differs."""
    after = snapshot(obj, before.keys())
    return {name: [before[name], after[name]] for name in before if before[name] != after[name]}


# The statistics generation: counters in the cache that every cached figure (the dashboards) keys
# on, so a change is never hidden behind a cached figure. A write to a row whose figures count
# under one unit (a model declaring `statistics_scope`: a result, a studio, a training class, a
# mentor pairing) moves the counter of each subtree the unit lies in — its own and every
# ancestor's — on commit; any other write (units, users, kinds, people, naming batches, bulk
# loads) moves the global counter, which every cached figure also keys on. A write in one city
# thus leaves the other provinces' dashboards cached, while HQ's (whose subtree holds the city)
# is recomputed.
STATISTICS_GENERATION_KEY = "statistics:generation"


# The "path" of every tree at once: its counter moves with every subtree write anywhere, for pages
# that show rows of the whole organisation (HQ's lists; a second top unit, as seed_scale adds
# beside an existing tree, included).
EVERY_TREE = ""


def subtree_generation_key(path: str) -> str:
    """The counter of the subtree at the unit path `path` (EVERY_TREE: of all trees together)."""
    return f"{STATISTICS_GENERATION_KEY}:{path}"


def _counter(key: str) -> int:
    """A counter's value. A missing one (first use, evicted) restarts from the clock, so it never
    falls back to a number that older cached figures were stored under."""
    value = cache.get(key)
    if value is None:
        cache.add(key, time.time_ns() // 1000, timeout=None)
        value = cache.get(key)
    return int(value)


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # no counter yet
        _counter(key)


def statistics_generation() -> int:
    """The current global generation (moved by every write that is not scoped to a subtree)."""
    return _counter(STATISTICS_GENERATION_KEY)


def statistics_stamp(path: str) -> tuple[int, int]:
    """(global generation, generation of the subtree at `path`): what a cached figure of that
    subtree was computed at, and is current while both are unchanged. One round trip to the cache."""
    keys = (STATISTICS_GENERATION_KEY, subtree_generation_key(path))
    found = cache.get_many(keys)
    return tuple(int(found[key]) if found.get(key) is not None else _counter(key) for key in keys)


def ancestor_paths(path: str) -> list[str]:
    """The unit path and those of all its ancestors (materialised paths: each a prefix)."""
    from accounts.models import Unit

    return [path[:end] for end in range(Unit.steplen, len(path) + 1, Unit.steplen)]


def statistics_changed(paths: Iterable[str] | None = None, *, tallies: bool = True) -> None:
    """The data behind the statistics changed: cached figures are stale. Called on commit of every
    audited write; bulk paths that write without audit (seed commands, imports) call it themselves.

    With `paths` (unit paths): only the figures of the subtrees holding those units (each unit's
    and its ancestors', and the counter of every tree together); without: every figure, and
    every tally is marked to be counted again (reports.tallies), unless `tallies` is False (the
    audited write marked them in its own transaction)."""
    if paths is None:
        if tallies:
            _mark_tallies(None)
        _bump(STATISTICS_GENERATION_KEY)
        return
    paths = list(paths)
    for key in sorted({subtree_generation_key(p) for path in paths for p in ancestor_paths(path)}):
        _bump(key)
    if paths:
        _bump(subtree_generation_key(EVERY_TREE))


def _mark_tallies(unit_id: int | None) -> None:
    """Mark the dashboards' tallies of a unit (None: all) to be counted again (reports.tallies);
    in the writing transaction when there is one."""
    from reports.tallies import mark_unit

    try:
        with transaction.atomic():
            mark_unit(unit_id)
    except DatabaseError as error:  # the tallies' table not migrated (yet, or back)
        logger.warning("Could not mark the tallies to be counted again: %s", error)


def _count_tallies_again(unit_id: int) -> None:
    """On commit of a write counting under the unit: count its tallies again now, so the next
    dashboard reads them current; a failure leaves the mark to the next reader or the sweep."""
    from reports.tallies import refresh_units

    try:
        refresh_units([unit_id])
    except DatabaseError:
        logger.warning("Could not count the tallies of unit %s again", unit_id, exc_info=True)


def _scoped_statistics_changed(model, pk, lookup: str) -> None:
    """On commit of a write to a row declaring `statistics_scope`: move the counters of its unit's
    subtrees, read as committed; a row gone (deleted), or a unit that cannot be read, moves the
    global counter."""
    try:
        path = model._base_manager.filter(pk=pk).values_list(lookup, flat=True).first()
    except DatabaseError:
        logger.warning(
            "Could not read the unit of %s %s; every cached figure made stale", model.__name__, pk, exc_info=True
        )
        path = None
    statistics_changed(None if path is None else [path])


def _unit_of(obj: models.Model, lookup: str) -> int | None:
    """The id of the unit a row counts under, reached by its scope's path lookup (e.g.
    "studio__unit__path" → the studio's unit), as this transaction sees it."""
    hops = lookup.split("__")[:-1]
    if len(hops) == 1:
        return getattr(obj, f"{hops[0]}_id", None)
    return type(obj)._base_manager.filter(pk=obj.pk).values_list("__".join(hops), flat=True).first()


def _on_commit_statistics_changed(obj: models.Model, action: str, changes: dict | None) -> None:
    """Schedule the move of the statistics generation for an audited write to `obj`, and mark the
    dashboards' tallies it changes in the writing transaction (reports.tallies).

    A model declares `statistics_scope = (fields, lookup)`: every figure its rows count in counts
    them under the unit reached by `lookup` (e.g. (("studio",), "studio__unit__path")), which a
    change to one of `fields` moves to another unit; and it may name, in
    `statistics_global_actions`, the actions that change figures counted elsewhere (a pairing's
    grade change: the apprentice's unit). A write that changes one of `fields`, such an action, or
    any write to a model without the declaration moves the global counter; and marks every tally
    when the model is one the tallies count from (reports.tallies.SOURCES: a unit moved …)."""
    model = type(obj)
    scope = getattr(model, "statistics_scope", None)
    if (
        scope is None
        or obj.pk is None
        or set(scope[0]) & set(changes or {})
        or action in getattr(model, "statistics_global_actions", ())
    ):
        from reports.tallies import SOURCES

        if model._meta.label in SOURCES:
            _mark_tallies(None)
        transaction.on_commit(lambda: statistics_changed(tallies=False))
        return
    pk, lookup = obj.pk, scope[1]
    unit_id = _unit_of(obj, lookup)
    _mark_tallies(unit_id)

    def changed():
        if unit_id is not None:
            _count_tallies_again(unit_id)
        _scoped_statistics_changed(model, pk, lookup)

    transaction.on_commit(changed)


def audit_log(*, actor, obj: models.Model, action: str, changes: dict | None = None, comment="") -> AuditEvent:
    """Record one audit event. Must run inside the transaction that makes the change.

    `comment` is text (a reason someone wrote: kept as written) or a core.i18n.sentence composed
    by the service (a grade, a batch): shown in each reader's language, its copy in the site's."""
    from django.conf import settings
    from django.utils import translation

    from .i18n import Sentence

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_log must be called inside the transaction that makes the change")
    _on_commit_statistics_changed(obj, str(action), changes)
    message = {}
    if isinstance(comment, Sentence):
        with translation.override(settings.LANGUAGE_CODE):
            message, comment = {"comment": comment.as_json()}, str(comment)
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=str(actor) if actor is not None else "",
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action=action,
        changes=changes or {},
        comment=comment,
        message=message,
    )


def task_key(obj) -> str:
    """What a "waits for you" notification waits on: the object whose next step it asks for."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def notify(*, recipients: Iterable, title, body="", url: str = "", task=None) -> list[Notification]:
    """In-app notifications; each is emailed after the transaction commits (recipients with an address).

    `title` and `body` are text (a name, a reason: shown as written) or core.i18n.sentence(...):
    kept untranslated and shown in each reader's language; the stored copy is in the site's
    language (LANGUAGE_CODE), whoever caused the notification. `task`: the object waiting for the
    recipients' step (an application to review), when the notification asks for one: the next
    step taken on it settles the notification for all of them (notifications_settle)."""
    from django.conf import settings
    from django.utils import translation

    from .i18n import Sentence
    from .tasks import notification_email_send

    with translation.override(settings.LANGUAGE_CODE):
        message = {
            name: text.as_json() for name, text in (("title", title), ("body", body)) if isinstance(text, Sentence)
        }
        title, body = str(title)[:200], str(body)
    rows = [
        Notification(
            recipient=user, title=title, body=body, url=url, message=message, task=task_key(task) if task else ""
        )
        for user in {u.pk: u for u in recipients if u is not None and u.is_active}.values()
    ]
    created = Notification.objects.bulk_create(rows)
    notifications_changed([row.recipient_id for row in rows])
    for notification in created:
        if notification.recipient.email:
            transaction.on_commit(lambda pk=notification.pk: notification_email_send.delay(pk))
    return created


def notification_mark_read(*, user, notification: Notification | None = None) -> int:
    """Mark one notification (or all of the user's unread ones) as read; returns how many changed."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification is not None:
        unread = unread.filter(pk=notification.pk)
    changed = unread.update(read_at=timezone.now())
    notifications_changed([user.pk])
    return changed


def notifications_settle(obj) -> int:
    """A step was taken on `obj` (by whoever): the unread notifications that asked for it ("an
    application waits for your review", sent to every cadre above) are marked read, so that the
    bell counts only what still waits. Returns how many."""
    unread = Notification.objects.filter(task=task_key(obj), read_at__isnull=True)
    recipients = list(unread.values_list("recipient_id", flat=True))
    if not recipients:
        return 0
    changed = unread.update(read_at=timezone.now())
    notifications_changed(recipients)
    return changed


def notifications_changed(user_ids: Iterable[int]) -> None:
    """These users' unread counts changed: drop the kept counts now (the writer's own next page)
    and again on commit (a count read by another request before the commit)."""
    from .selectors import unread_count_key

    keys = [unread_count_key(pk) for pk in set(user_ids)]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def notification_email_deliver(*, notification_id: int) -> bool:
    """Email one notification once. Returns False when there is nothing (more) to send.

    The row is claimed under a lock and stamped in the same transaction, so a redelivered task
    (acks_late, a worker restart) does not send the same mail twice.
    """
    from django.conf import settings
    from django.core.mail import send_mail
    from django.utils import translation

    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None or not notification.recipient.email:
            return False
        link = f"{settings.PORTAL_SITE_URL}{notification.url}" if notification.url else ""
        with translation.override(settings.LANGUAGE_CODE):
            subject = f"[{settings.PORTAL_NAME}] {notification.title}"
        send_mail(
            subject=subject,
            message="\n\n".join(part for part in (notification.body, link) if part),
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


@transaction.atomic
def kind_create(*, actor, model, name: str, order: int = 0):
    """Add an entry to one of HQ's configurable lists (a ConfigurableKind model)."""
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.utils.translation import gettext as _

    from .choices import AuditAction
    from .permissions import can

    if not can(actor, "add", model):
        raise PermissionDenied
    if model.objects.filter(name=name).exists():
        raise ValidationError({"name": _("This kind already exists.")})
    kind = model.objects.create(name=name, order=order)
    audit_log(actor=actor, obj=kind, action=AuditAction.CREATE, changes={"name": [None, name]})
    return kind


@transaction.atomic
def kind_update(*, actor, kind, **fields):
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.utils.translation import gettext as _

    from .choices import AuditAction
    from .permissions import can

    model = type(kind)
    kind = model.objects.select_for_update().get(pk=kind.pk)
    if not can(actor, "change", kind):
        raise PermissionDenied
    if "name" in fields and model.objects.filter(name=fields["name"]).exclude(pk=kind.pk).exists():
        raise ValidationError({"name": _("This kind already exists.")})
    before = snapshot(kind, fields)
    for name, value in fields.items():
        setattr(kind, name, value)
    changes = diff(before, kind)
    if changes:
        kind.save()
        audit_log(actor=actor, obj=kind, action=AuditAction.UPDATE, changes=changes)
    return kind


def picture_store(picture, image) -> None:
    """Save a checked image (core.uploads.clean_image) and its thumbnail on an unsaved picture row
    whose model has `image` and `thumbnail` fields, then the row."""
    from .uploads import make_thumbnail

    thumbnail = make_thumbnail(image)
    picture.thumbnail.save(thumbnail.name, thumbnail, save=False)
    picture.image.save(image.name, image, save=False)
    picture.save()


def ensure_present(obj) -> None:
    """Call under the parent's lock, before removing `obj`: two people deleting the same row at
    once both found it, but only the first may remove it and write the history; the second is
    told that it is gone (TransitionNotAllowed, a 409 page)."""
    from django.utils.translation import gettext as _

    from .exceptions import TransitionNotAllowed

    if not type(obj)._default_manager.filter(pk=obj.pk).exists():
        raise TransitionNotAllowed(_("Someone else removed this a moment ago: there is nothing left to do."))


def picture_delete(picture) -> None:
    """Delete a picture row; its files go once the transaction has committed."""
    names = [picture.image.name, picture.thumbnail.name]
    storage = type(picture)._meta.get_field("image").storage
    picture.delete()
    transaction.on_commit(lambda: [storage.delete(name) for name in names if name])
