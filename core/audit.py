"""How a recorded change reads: the label of the field it names and its values as people read them.

Services record `changes` as {name: change}: a name is a field of the audited object's model, or
a path through its relations for a related row ("members.tier" on an alliance, a class's
"sessions.starts_at"); a change is an [old, new] pair or a single value (what was added or
removed, a count). The history panel and the audit log (its page and its Excel export) read them
through these helpers, so a change reads the same everywhere.
"""

from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext

# What a recorded name means when it is not a field path of the audited model, by (model, name):
# the field path it stands for (a name recorded before a rename, a relation reached through
# another) or, for a figure that is no field, its label.
_recorded_fields: dict[tuple[str, str], str] = {}
_recorded_labels: dict[tuple[str, str], str] = {}


def register_change_names(model, *, fields: dict | None = None, labels: dict | None = None) -> None:
    """Apps name the changes they record under a name that is not a field path of `model`:
    `fields` maps it to the field path it means (the label and choices are that field's),
    `labels` gives the label of a figure that is no field."""
    key = model._meta.label_lower
    for name, path in (fields or {}).items():
        _recorded_fields[(key, name)] = path
    for name, label in (labels or {}).items():
        _recorded_labels[(key, name)] = label


def _field(obj, name):
    """The model field a recorded change names (`obj` is an instance or a model class).
    "members.status" names the `status` field of the rows related through `members` (a child's
    change recorded on its parent's history); a path may go through several relations."""
    meta = obj._meta
    *relations, name = _recorded_fields.get((meta.label_lower, name), name).split(".")
    for relation in relations:
        meta = meta.get_field(relation).related_model._meta
    return meta.get_field(name)


def field_label(obj, name) -> str:
    """The verbose name of the field a change names (as a label: "Status: …"), or the raw name when
    nothing names it."""
    try:
        label = _recorded_labels.get((obj._meta.label_lower, name))
        return capfirst(str(label if label is not None else _field(obj, name).verbose_name))
    except (FieldDoesNotExist, AttributeError):
        return name


def field_value(obj, name, value) -> str:
    """A recorded value as people read it: the label of a choice, yes or no, "—" for nothing,
    the items of a list one after another."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, list | tuple):
        return "、".join(field_value(obj, name, item) for item in value)
    if isinstance(value, dict):  # by key: PostgreSQL's jsonb keeps no order
        return "，".join(f"{key}: {field_value(obj, name, item)}" for key, item in sorted(value.items()))
    try:
        field = _field(obj, name)
    except (FieldDoesNotExist, AttributeError):
        return str(value)
    return str(dict(field.flatchoices).get(value, value)) if field.choices else str(value)


def change_text(obj, name, change) -> str:
    """One recorded change: "old → new" for a pair, the value alone otherwise."""
    if isinstance(change, list | tuple) and len(change) == 2:
        return f"{field_value(obj, name, change[0])} → {field_value(obj, name, change[1])}"
    return field_value(obj, name, change)


def changes_text(obj, changes) -> str:
    """The changes of one event on one line ("label: change; label: change"), "—" for none."""
    if not changes:
        return "—"
    if not isinstance(changes, dict):  # not what services write; shown rather than failing
        return field_value(obj, "", changes)
    return "; ".join(f"{field_label(obj, name)}: {change_text(obj, name, change)}" for name, change in changes.items())
