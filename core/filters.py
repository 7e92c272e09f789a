"""Filters shared by the apps' filter sets."""

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db.models import ExpressionWrapper, IntegerField, Q, Subquery
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField, ModelChoiceIterator

from .models import AuditEvent


class SearchFilter(django_filters.CharFilter):
    """One search box over several text fields (icontains on each, OR-ed)."""

    def __init__(self, *, search_fields, **kwargs):
        self.search_fields = search_fields
        kwargs.setdefault("label", _("Search"))
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)

    def filter(self, qs, value):
        value = (value or "").strip()
        if not value:
            return qs
        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": value})
        return qs.filter(query)


class YesNoAllSelect(forms.NullBooleanSelect):
    """A yes/no filter whose empty choice reads "All" rather than Django's "Unknown"."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", _("All")), ("true", _("Yes")), ("false", _("No"))]


class YesNoFilter(django_filters.BooleanFilter):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", YesNoAllSelect)
        super().__init__(**kwargs)


def _descending(label) -> str:
    return gettext("%(label)s (descending)") % {"label": label}


descending_label = lazy(_descending, str)


class SortFilter(django_filters.OrderingFilter):
    """A list's "Sort by" select, in the language of each request.

    django-filter's OrderingFilter builds its choices once, when the filter set's class is created:
    a field without a label got an English `pretty_name` ("Updated at"), and its descending option
    was formatted there and then with django-filter's own "%s (descending)", which the portal's
    catalogue does not hold ("名称 (descending)" in Chinese, and frozen in the language of the
    first import). Here every field needs a translated label, and the descending option stays a
    lazy string, rendered in the language of the page that shows it."""

    def __init__(self, *, fields, field_labels, **kwargs):
        fields = self.normalize_fields(fields)
        unlabelled = [field for field in fields if field not in field_labels]
        if unlabelled:
            raise ImproperlyConfigured(f"SortFilter fields without a translated label: {unlabelled}")
        kwargs.setdefault("label", _("Sort by"))
        super().__init__(fields=fields, field_labels=field_labels, **kwargs)

    def build_choices(self, fields, labels):
        choices = []
        for field, param in fields.items():
            choices.append((param, labels[field]))
            choices.append((f"-{param}", labels.get(f"-{param}", descending_label(labels[field]))))
        return choices


# A unit picker lists the top of the user's scope and this many levels below it.
PICKER_DEPTH = 2


class _PickerChoices(ModelChoiceIterator):
    """The choices a unit picker shows: the field's `picker_queryset()`, not its whole queryset."""

    def __init__(self, field, *args, **kwargs):
        super().__init__(field, *args, **kwargs)
        self.queryset = field.picker_queryset()


class ScopeUnitChoiceField(ModelChoiceField):
    """A list filter's unit picker: it accepts any unit of its queryset (the user's scope) but
    lists only the top of that scope and PICKER_DEPTH levels below it, plus the unit chosen.

    A national tree has about 15,000 units: a select holding all of them cost seconds to render on
    every list page (and 0.1 s with the 500 units of one province). A deeper unit is still reached
    by its link (?unit=<id>: the dashboard's figures, the unit pages) and then shown as chosen."""

    iterator = _PickerChoices

    def __init__(self, *args, **kwargs):
        self.chosen = None
        super().__init__(*args, **kwargs)

    def picker_queryset(self):
        queryset = self.queryset
        if queryset is None:
            return queryset
        top = Subquery(queryset.order_by("depth").values("depth")[:1])
        shown = Q(depth__lte=ExpressionWrapper(top + PICKER_DEPTH, output_field=IntegerField()))
        if self.chosen is not None and hasattr(self.chosen, "pk"):
            shown |= Q(pk=self.chosen.pk)
        return queryset.filter(shown)

    def clean(self, value):
        unit = super().clean(value)
        self.chosen = unit
        # The widget lists the chosen unit too: its choices are read again when rendered.
        self.widget.choices = self.choices
        return unit


# A list filter's picker of studios or alliances lists them only while there are at most this many.
PICKER_LIMIT = 200


class _BoundedChoices(ModelChoiceIterator):
    """At most PICKER_LIMIT choices in one bounded query (in the queryset's own order, then by
    name); when the queryset holds more, only the chosen object."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        limit = self.field.limit
        rows = list(self.queryset[: limit + 1]) if self.queryset is not None else []
        if len(rows) > limit:
            rows = [self.field.chosen] if hasattr(self.field.chosen, "pk") else []
        else:
            rows.sort(key=str)
        for obj in rows:
            yield self.choice(obj)


class BoundedChoiceField(ModelChoiceField):
    """A list filter's picker over a queryset that can be huge (the studios or alliances a user
    sees: 120,000 studios at national scale made a results page of 8 MB and 10 s of CPU). It lists
    every choice while there are at most PICKER_LIMIT, else only the one chosen; it accepts any
    object of the queryset either way (a link from the object's page, ?studio=<id>), and the list's
    search box finds the others by name."""

    iterator = _BoundedChoices
    limit = PICKER_LIMIT

    def __init__(self, *args, **kwargs):
        self.chosen = None
        super().__init__(*args, **kwargs)

    def clean(self, value):
        chosen = super().clean(value)
        self.chosen = chosen
        self.widget.choices = self.choices
        return chosen


class BoundedModelChoiceFilter(django_filters.ModelChoiceFilter):
    """ModelChoiceFilter with a bounded picker (BoundedChoiceField)."""

    field_class = BoundedChoiceField


class UnitSubtreeFilter(django_filters.ModelChoiceFilter):
    """Rows whose unit (through `unit_lookup`) is the chosen unit or below it; the picker lists the
    top levels of the user's scope (ScopeUnitChoiceField)."""

    field_class = ScopeUnitChoiceField

    def __init__(self, *, unit_lookup, **kwargs):
        self.unit_lookup = unit_lookup
        kwargs.setdefault("label", _("Unit (and below)"))
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        prefix = f"{self.unit_lookup}__" if self.unit_lookup else ""
        return qs.filter(**{f"{prefix}path__startswith": value.path})


class AuditEventFilterSet(django_filters.FilterSet):
    q = SearchFilter(search_fields=["object_repr", "actor_name", "comment"])
    action = django_filters.CharFilter(label=_("Action"), max_length=40)
    content_type = django_filters.ModelChoiceFilter(
        label=_("Object type"),
        queryset=ContentType.objects.filter(app_label__in=["accounts", "core"]).order_by("app_label", "model"),
    )
    created_after = django_filters.DateFilter(label=_("From"), field_name="created_at", lookup_expr="date__gte")
    created_before = django_filters.DateFilter(label=_("To"), field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = AuditEvent
        fields = ["q", "action", "content_type", "created_after", "created_before"]
