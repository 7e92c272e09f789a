"""The one permission rule set.

Every model that holds unit-owned data registers a `Policy` here. A policy answers two questions
and nothing else decides them:

- `scope(user, queryset)`: which rows the user may see (`Model.objects.visible_to(user)`);
- `can(user, action, obj)`: whether the user may take `action` on `obj` (or on the model when
  `obj` is None: "may this user add units at all?").

Views translate the answers: outside the scope → 404, a forbidden action → 403, anonymous →
redirect to the login page. Deny by default: a model without a policy raises, an action a policy
does not name is refused.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import models

_policies: dict[type[models.Model], Policy] = {}


class Policy:
    """Base policy: sees nothing, may do nothing."""

    model: type[models.Model]

    def scope(self, user, queryset):
        return queryset.none()

    def can(self, user, action: str, obj=None) -> bool:
        return False


def register(model):
    """Class decorator: `@register(Unit) class UnitPolicy(Policy): ...`."""

    def wrap(policy_class):
        if model in _policies:
            raise ImproperlyConfigured(f"{model.__name__} already has a policy")
        policy = policy_class()
        policy.model = model
        _policies[model] = policy
        return policy_class

    return wrap


def policy_for(model) -> Policy:
    model = model._meta.concrete_model
    try:
        return _policies[model]
    except KeyError:
        raise ImproperlyConfigured(f"No permission policy is registered for {model._meta.label}") from None


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can(user, action: str, target) -> bool:
    """May `user` take `action` on `target` (a model instance, or a model class for model-level actions)?"""
    if not _active(user):
        return False
    if isinstance(target, type) and issubclass(target, models.Model):
        return policy_for(target).can(user, action, None)
    return policy_for(type(target)).can(user, action, target)


def scope(user, queryset):
    if not _active(user):
        return queryset.none()
    return policy_for(queryset.model).scope(user, queryset)


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The rows `user` may see, as decided by the model's policy."""
        return scope(user, self)


def unit_subtree_q(user, unit_lookup: str) -> models.Q:
    """Q for rows whose unit (reached through `unit_lookup`) is in the user's unit subtree."""
    if user.unit_id is None:
        return models.Q(pk__in=[])
    prefix = f"{unit_lookup}__" if unit_lookup else ""
    return models.Q(**{f"{prefix}path__startswith": user.unit.path})


def in_user_subtree(user, unit) -> bool:
    return unit is not None and user.unit is not None and unit.path.startswith(user.unit.path)


class ParentPolicy(Policy):
    """For rows that live inside another object (a studio's team, a person's honours): they are
    seen with their parent and changed by whoever may change the parent.

    Subclasses set `parent` (the foreign key name) and may extend `actions` (child action →
    action checked on the parent).
    """

    parent: str
    actions = {"view": "view", "export": "view", "add": "change", "change": "change", "delete": "change"}

    def _parent_model(self):
        return self.model._meta.get_field(self.parent).related_model

    def scope(self, user, queryset):
        parent_model = self._parent_model()
        visible = scope(user, parent_model._default_manager.all())
        return queryset.filter(**{f"{self.parent}__in": visible.values("pk")})

    def can(self, user, action, obj=None):
        parent_action = self.actions.get(action)
        if parent_action is None:
            return False
        target = getattr(obj, self.parent) if obj is not None else self._parent_model()
        return can(user, parent_action, target)
