"""Every list's filter form speaks the language of the page: its labels, its "Sort by" options (both
directions) and its yes/no and status choices, in Chinese and in English, whichever language the
process rendered first. django-filter's OrderingFilter had built its options once, when the filter
set's class was created: English field names ("Updated at") and its own "%s (descending)", which
the catalogue did not hold ("名称 (descending)" on a Chinese page), frozen in the first language."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from core.filters import SortFilter, YesNoFilter
from core.views import ScopedListView

from ..conftest import drawn_each_time

# Chinese labels keep acronyms in capitals ("QC 成果"); an English word has a small letter.
ENGLISH_WORD = re.compile(r"[a-z]")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# English labels keep some Chinese terms as a gloss: "Model worker (劳模)".
GLOSS = re.compile(r"\([^()]*\)")


def list_url_names(resolver=None, namespace="") -> list[str]:
    """Every list page the resolver knows (a ScopedListView without URL arguments)."""
    names = []
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names += list_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name and not pattern.pattern.regex.groups:
            view_class = getattr(pattern.callback, "view_class", None)
            if view_class is not None and issubclass(view_class, ScopedListView):
                names.append(f"{namespace}{pattern.name}")
    return names


class FilterForm(HTMLParser):
    """The labels of a page's filter form and the options of each of its selects."""

    def __init__(self):
        super().__init__()
        self.labels, self.options = [], {}
        self._in_form = self._text = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("role") == "search":
            self._in_form = True
        elif self._in_form and tag == "select":
            self._select = attrs["name"]
            self.options[self._select] = []
        elif self._in_form and tag in ("label", "option"):
            self._text = []

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "label" and self._text is not None:
            self.labels.append("".join(self._text).strip())
            self._text = None
        elif tag == "option" and self._text is not None:
            self.options[self._select].append("".join(self._text).strip())
            self._text = None


def filter_form(client, url, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with translation.override(language):
        response = client.get(url)
    assert response.status_code == 200, url
    assert response.headers["Content-Language"] == language, url
    parser = FilterForm()
    parser.feed(response.content.decode())
    return response.context["filter"], parser


def foreign(text: str, language: str) -> bool:
    """Chinese with an English word, or English with Chinese outside a gloss in ASCII brackets."""
    return bool(ENGLISH_WORD.search(text) if language == "zh-hans" else CJK.search(GLOSS.sub("", text)))


def test_every_list_page_is_checked():
    names = list_url_names()
    assert "studios:studio_list" in names and "core:audit_list" in names
    assert len(names) == 14, names


@pytest.mark.parametrize("languages", [("zh-hans", "en"), ("en", "zh-hans")], ids=["zh-first", "en-first"])
def test_filter_forms_speak_the_language_of_the_page(world, client_as, languages):
    client = drawn_each_time(client_as(world.hq))
    sorted_lists = []
    for name in list_url_names():
        url = reverse(name)
        for language in languages * 2:  # each language again after the other one was rendered
            filterset, page = filter_form(client, url, language)
            form = filterset.form
            for label in page.labels:
                assert label and not foreign(label, language), (name, language, label)
            for field_name, options in page.options.items():
                field = form.fields[field_name]
                if isinstance(field, forms.ModelChoiceField):
                    continue  # units, studios, kinds: their names are data
                assert options, (name, field_name)
                for option in options:
                    assert not foreign(option, language), (name, language, field_name, option)
            if "ordering" in form.fields:
                sorted_lists.append(name)
                options = page.options["ordering"]
                # "---------", then each field ascending and descending.
                assert len(options) == 1 + 2 * len(filterset.filters["ordering"].param_map), (name, options)
                assert len(set(options)) == len(options), (name, options)
    sorted_names = {"studios:studio_list", "alliances:alliance_list", "training:class_list", "mentoring:pairing_list"}
    assert set(sorted_lists) == sorted_names | {"reports:report_list"}


def test_sort_options_in_chinese_and_english(world, client_as):
    client = client_as(world.hq)
    _filterset, page = filter_form(client, reverse("alliances:alliance_list"), "zh-hans")
    assert page.options["ordering"][1:4] == ["名称", "名称（降序）", "创建日期"]
    assert page.options["pilot"] == page.options["pending"] == ["全部", "是", "否"]
    _filterset, page = filter_form(client, reverse("alliances:alliance_list"), "en")
    assert page.options["ordering"][1:4] == ["Name", "Name (descending)", "Founded on"]
    assert page.options["pilot"] == ["All", "Yes", "No"]


def test_every_sort_field_has_a_translated_label():
    with pytest.raises(ImproperlyConfigured, match="updated_at"):
        SortFilter(fields=("name", "updated_at"), field_labels={"name": "Name"})


def test_yes_no_filters_offer_all_rather_than_unknown():
    """Every yes/no filter of a list reads 全部/All for "any", never Django's 未知/Unknown."""
    from django_filters import BooleanFilter

    for name in list_url_names():
        view_class = get_resolver().resolve(reverse(name)).func.view_class
        filterset_class = view_class().get_filterset_class()
        for filter_name, declared in filterset_class.base_filters.items():
            if isinstance(declared, BooleanFilter):
                assert isinstance(declared, YesNoFilter), (name, filter_name)
