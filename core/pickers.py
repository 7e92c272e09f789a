"""Choice fields over sets that can be huge: people, studios and units at national scale.

A form's picker of people listed everyone the user may see: 40,000 people (69,000 options, 3.5 MB,
29 s) on a province cadre's "new result" page at tier P, and 1.2 million for HQ at national scale.
`SearchChoiceField` and `SearchMultipleChoiceField` keep the field's queryset as the one source of
what may be chosen (validation is unchanged), but their widget lists every choice only while there
are at most PICKER_LIMIT; beyond that it lists only the chosen ones, and a search box asks the form's
own page for matches (`?pick=<field>&q=<text>`, answered by `pick_response` from the field's
queryset, so through the same view, permission checks and scope as the page itself).

A multiple field can be `ordered` (a result's contributors, in rank order of contribution): its
widget always shows the chosen list, numbered, with buttons to move a choice up or remove it, and
`clean()` returns the objects in the order they were posted (a <select multiple> posts its selected
options in document order, which the script keeps in the chosen order).

The script is static/js/portal.js (`[data-search-select]`); without it the select still works with
the options shown.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.http import Http404, JsonResponse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .search import ranked

# A picker lists every choice while there are at most this many (settings.PORTAL_PICKER_LIMIT);
# above, only the chosen ones.
PICKER_LIMIT = 200
# Matches answered to one search.
PICK_RESULTS = 20
PICK_PARAM = "pick"
QUERY_MAX = 50


def _pks(value) -> list[str]:
    """The posted or initial values that can be primary keys, in their order, once each."""
    if value in (None, ""):
        return []
    values = value if isinstance(value, (list, tuple)) else [value]
    seen: list[str] = []
    for item in values:
        text = str(getattr(item, "pk", item)).strip()
        if text.isdigit() and text not in seen:
            seen.append(text)
    return seen


class SearchSelect(forms.Select):
    """A <select> that lists all its choices while they are few, else the chosen ones and a search
    box (see the module's docstring). Rendered in Python: one template per <option> made a page of
    200 options cost 80 ms."""

    allow_multiple_selected = False
    search_placeholder = _("Type to search, then pick")
    ordered = False

    def use_required_attribute(self, initial):
        # Select's own check reads the first choice, which runs the (huge) queryset.
        return not self.is_hidden

    def _field(self):
        return getattr(self.choices, "field", None)

    def _shown(self, value: list[str]):
        """(objects to list, whether the search box is needed)."""
        field = self._field()
        queryset = getattr(self.choices, "queryset", None)
        if field is None or queryset is None:
            return None, False
        chosen = _pks(value)
        # How many, bounded (no sort of the whole set), then the few in the queryset's order.
        limit = getattr(settings, "PORTAL_PICKER_LIMIT", PICKER_LIMIT)
        if not self.ordered and len(queryset.order_by().values_list("pk", flat=True)[: limit + 1]) <= limit:
            return list(queryset), False
        if not chosen:
            return [], True
        by_pk = {str(obj.pk): obj for obj in queryset.filter(pk__in=chosen)}
        return [by_pk[pk] for pk in chosen if pk in by_pk], True

    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        rows, search = self._shown(value)
        if rows is None:  # not bound to a model choice field: a plain select
            return super().render(name, value, attrs, renderer)
        field = self._field()
        final = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final["multiple"] = True
        chosen = set(_pks(value))
        options = []
        if not self.allow_multiple_selected and field.empty_label is not None:
            options.append(("", field.empty_label, not chosen))
        for obj in rows:
            options.append((str(obj.pk), field.label_from_instance(obj), str(obj.pk) in chosen))
        option_html = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((pk, mark_safe(" selected") if selected else "", label) for pk, label, selected in options),
        )
        select = format_html('<select name="{}"{}>{}</select>', name, flatatt(final), option_html)
        if not (search or self.ordered):
            return select
        flags = {
            "data-search-select": "",
            "data-pick": name,
            "data-multiple": self.allow_multiple_selected,
            "data-ordered": self.ordered,
            "data-search": search or self.ordered,
        }
        return format_html(
            '<div class="search-select"{}>'
            '<input type="search" class="form-control mb-1" data-search-input autocomplete="off" maxlength="{}" '
            'placeholder="{}" aria-label="{}">'
            '<div class="list-group search-select-results mb-1" data-search-results role="listbox" '
            'data-label-no-match="{}"></div>'
            "{}"
            '<ol class="list-group list-group-numbered search-select-chosen" data-search-chosen '
            'data-label-up="{}" data-label-remove="{}" data-label-none="{}"></ol>'
            "</div>",
            flatatt({k: v for k, v in flags.items() if v is not False}),
            QUERY_MAX,
            self.search_placeholder,
            self.search_placeholder,
            _("Nothing found among what you may choose here."),
            select,
            _("Move up"),
            _("Remove"),
            _("Nothing chosen yet."),
        )


class SearchSelectMultiple(SearchSelect):
    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        try:
            getter = data.getlist
        except AttributeError:
            getter = data.get
        return getter(name)

    def value_omitted_from_data(self, data, files, name):
        return False  # an empty multiple select posts nothing


class OrderedSearchSelectMultiple(SearchSelectMultiple):
    ordered = True


class _SearchChoiceMixin:
    """What a picker's search matches: `search_fields` (the first one ranked: exact, then prefix,
    then anywhere; core.search.ranked), in `search_order` within a rank."""

    search_fields: tuple[str, ...] = ("name",)
    search_order: tuple[str, ...] = ("name", "id")

    def __init__(self, *args, search_fields=None, search_order=None, **kwargs):
        if search_fields is not None:
            self.search_fields = tuple(search_fields)
        if search_order is not None:
            self.search_order = tuple(search_order)
        super().__init__(*args, **kwargs)

    def search(self, query: str) -> list:
        rows = ranked(self.queryset, query, list(self.search_fields), list(self.search_order), PICK_RESULTS)
        return [obj for obj, _rank in rows]


class SearchChoiceField(_SearchChoiceMixin, forms.ModelChoiceField):
    widget = SearchSelect


class SearchMultipleChoiceField(_SearchChoiceMixin, forms.ModelMultipleChoiceField):
    """With `ordered=True`, `clean()` returns a list in the posted order (ranks)."""

    widget = SearchSelectMultiple

    def __init__(self, *args, ordered=False, **kwargs):
        self.ordered = ordered
        if ordered:
            kwargs.setdefault("widget", OrderedSearchSelectMultiple)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        chosen = super().clean(value)
        if not self.ordered or not chosen:
            return chosen
        position = {pk: index for index, pk in enumerate(_pks(value))}
        try:
            return sorted(chosen, key=lambda obj: position[str(obj.pk)])
        except KeyError:  # pragma: no cover - every chosen object was posted
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None


def pick_response(form, request):
    """The answer to a picker's search on its form's page: up to PICK_RESULTS choices of the named
    field's queryset that match `q`, as JSON {"results": [{"id", "label"}]}. 404 for a field that is
    not a search picker."""
    name = request.GET.get(PICK_PARAM, "")
    field = next(
        (f for key, f in form.fields.items() if form.add_prefix(key) == name and isinstance(f, _SearchChoiceMixin)),
        None,
    )
    if field is None:
        raise Http404
    query = request.GET.get("q", "").replace("\x00", "").strip()[:QUERY_MAX]
    rows = field.search(query) if query else []
    results = [{"id": str(obj.pk), "label": str(field.label_from_instance(obj)).strip()} for obj in rows]
    return JsonResponse({"results": results})
