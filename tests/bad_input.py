"""The bad-input battery (issue #8): every form the portal serves, its hand-written bad inputs and
its hypothesis examples.

Each app's tests/<app>/test_forms_bad_input*.py declares, per form, a `FormSpec`: the page (URL
name), who posts it (`actor`), what it acts on (`target`), a GOOD payload that the page accepts,
and its hand-written `cases` — each a change to the GOOD payload, the categories of issue #8 it
covers and what must happen:

- `bad(...)`: refused — a 4xx (400: the form again), the message next to the field it names (or
  above the form), in Chinese, and no row of the database changed;
- `ok(...)`: legitimately accepted (a `<script>` in a free-text description is data) — and then
  shown escaped on the pages it lands on;
- `any_(...)`: either, but never a 500, never a half-written row, never raw markup.

`run_case` posts one case through the real view (`run_good` the GOOD payload, which must pass,
so that each case fails for its own bad value). `fuzz` binds the form class directly, with the
keyword arguments its own page passes (captured while the page is opened), to 200 hypothesis
examples (the "ci" profile in tests/conftest.py); `standard_checks`, generated on top, gives every
field of the bound form the standard bad values of its kind; `too_long_checks` posts each text
field one character over its bound (and 10,001 characters, more than any free text may hold)
through the page, and fails a text field that has no bound. tests/test_bad_input_inventory.py
walks the URL resolver for every form and checks that each has its spec, at least `MIN_CASES`
hand-written cases covering the categories that apply to its fields, and a fuzzing binding.

A new form: add a FormSpec (page, actor, target, GOOD, cases) to SPECS in its app's
tests/<app>/test_forms_bad_input.py; that module's parametrized tests run it.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import datetime
import importlib
import inspect
import re
import sys
import types
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.forms import NON_FIELD_ERRORS
from django.http import QueryDict
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation
from django.utils.datastructures import MultiValueDict

MIN_CASES = 25
# A form without any input field (a bare confirmation) cannot take 25 different bad inputs.
MIN_CASES_FIELDLESS = 3

# Categories of issue #8 -----------------------------------------------------------------------------
EMPTY = "empty"
TOO_LONG = "too long"
WRONG_TYPE = "wrong type"
MONEY = "negative or absurd money"
DATE_ORDER = "dates out of order"
HTML = "HTML and script"
SQL = "SQL text"
UNICODE = "emoji and rare characters"
DUPLICATE = "duplicate keys"
SCOPE = "out of scope"
CHOICE = "choice not offered"
CATEGORIES = (EMPTY, TOO_LONG, WRONG_TYPE, MONEY, DATE_ORDER, HTML, SQL, UNICODE, DUPLICATE, SCOPE, CHOICE)

# The nasty values ----------------------------------------------------------------------------------
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
MARKUP = SCRIPT + IMG
SQL_TEXT = "'; DROP TABLE studios_studio; --"
SQL_OR = "1 OR 1=1"
EMOJI = "😀"
RARE_CJK = "𠮷𰻝"
ZWJ = "\u200d"
RTL = "\u200f"
NUL = "\x00"
UNICODE_TEXT = f"{EMOJI}{RARE_CJK}👨{ZWJ}👩{RTL}"
NUL_TEXT = f"工作{NUL}室"
WHITESPACE = " \t\u3000 "
FULL_WIDTH = "１２"
HUGE = "9" * 30
# Fragments that must never appear raw in a page once stored.
RAW_MARKERS = ("<script>alert(1)", "<img src=x onerror")

MONEY_NAME = re.compile(r"amount|budget|benefit|funding|allowance|bonus")

# What a case expects.
REJECT = "reject"
ACCEPT = "accept"
EITHER = "either"
NON_FIELD = NON_FIELD_ERRORS  # the message is above the form
AUTO = object()  # the field named by a one-field change carries the message
DROP = object()  # remove this key from the GOOD payload
MISSING = object()


class Ctx(dict):
    """What a payload's callables see: the world, the target object, anything the target adds."""

    @property
    def world(self):
        return self["world"]

    @property
    def obj(self):
        return self["obj"]


@dataclass
class Case:
    label: str
    cats: frozenset
    changes: Mapping | Callable = field(default_factory=dict)
    expect: str = REJECT
    at: object = AUTO
    status: tuple = (400,)
    replace: bool = False  # the payload is `changes` alone, not GOOD with changes
    target: Callable | None = None  # another target than the spec's
    actor: str | None = None
    check: Callable | None = None  # ctx → an assertion on what an accepted input stored


def _case(label, cats, data, kwargs, **options) -> Case:
    if isinstance(cats, str):
        cats = (cats,)
    changes = dict(data or {}, **kwargs) if not callable(data) else data
    return Case(label=label, cats=frozenset(cats), changes=changes, **options)


def bad(label, cats, data=None, *, at=AUTO, status=(400,), replace=False, target=None, actor=None, **fields) -> Case:
    """A bad input the page must refuse: GOOD with `fields` (or `data`) changed."""
    status = (status,) if isinstance(status, int) else status
    return _case(label, cats, data, fields, at=at, status=status, replace=replace, target=target, actor=actor)


def ok(label, cats, data=None, *, replace=False, target=None, actor=None, check=None, **fields) -> Case:
    """An odd input that is legitimate data: accepted, and shown escaped (`check(ctx)` asserts more)."""
    return _case(label, cats, data, fields, expect=ACCEPT, replace=replace, target=target, actor=actor, check=check)


def any_(label, cats, data=None, *, replace=False, target=None, actor=None, **fields) -> Case:
    """Refused or accepted, as the form sees fit — but cleanly either way."""
    return _case(label, cats, data, fields, expect=EITHER, replace=replace, target=target, actor=actor)


@dataclass
class FormSpec:
    """One form on one page, its GOOD payload and its hand-written bad inputs."""

    url: str
    actor: str | None
    good: Mapping | Callable | None
    cases: list = field(default_factory=list)
    target: Callable | None = None
    form: str | None = None  # the form's key, when the page serves several forms
    method: str = "post"
    good_status: int | None = 302  # None: the GOOD payload is not posted (its effect is tested elsewhere)
    pages: tuple = ()  # more pages (ctx → URL) where accepted text must appear escaped
    fuzz: bool = True  # this spec's page binds the form for the hypothesis examples
    fuzz_query: str = ""  # a query string the page needs to build the form (GET forms, ?studio=)
    form_kwargs: Callable | None = None  # (ctx, captured kwargs) → kwargs, when a page builds it twice
    standard_skip: Mapping = field(default_factory=dict)  # {"field label": why} the standard checks skip

    @property
    def key(self) -> str:
        return self.form or form_key(form_class_of(self.url))

    def ident(self) -> str:
        return f"{self.url} [{self.key.rsplit('.', 1)[-1]}]"


@dataclass
class Legacy:
    """A case of an older table (url name, target, actor, payload, label), counted by the inventory
    and run by its own module's test."""

    url: str | None
    label: str
    cats: frozenset
    form: str | None = None

    @property
    def key(self) -> str:
        return self.form or form_key(form_class_of(self.url))


def legacy(rows, *, form_of=None) -> list[Legacy]:
    """Inventory entries for a table of (url_name, target, actor, payload, label) rows."""
    result = []
    for url, _target, _actor, payload, label in rows:
        payload = payload if isinstance(payload, Mapping) else {}
        result.append(Legacy(url, label, infer_categories(label, payload), form_of(url) if form_of else None))
    return result


# Categories of the older tables, read from their labels and values ------------------------------

_LABEL_RULES = (
    (EMPTY, r"\bno\b|empty|blank|without|nothing|missing|whitespace|a space|only separators|ticks nobody"),
    (TOO_LONG, r"too long|\blong\b|too large|huge|out of range"),
    (
        WRONG_TYPE,
        r"not a (number|date)|in words|as text|text\b|letters|impossible|garbled|fraction|decimal|exponent|"
        r"e-notation|hex|comma|numeral|a word|superscript|signs|not a document|as a |as an |as jpg|html as|"
        r"svg as|program|empty file|broken|zero date|year one|five-digit|bad date|bad money|half a point|precise",
    ),
    (
        MONEY,
        r"negative (grant|amount|money|bonus|allowance|budget|benefit)|bad money|absurd|bonus too large|"
        r"allowance too large|negative area",
    ),
    (
        DATE_ORDER,
        r"before|after|future|in the past|ends|tomorrow|old year|year too|too early|too late|"
        r"outside the dates|next year|during",
    ),
    (HTML, r"script|html|svg|<"),
    (SQL, r"\bsql\b"),
    (UNICODE, r"emoji|rare|null|\bnul\b|cjk|zero-width"),
    (DUPLICATE, r"duplicate|already|twice|clash|taken|same|holder|existing"),
    (
        SCOPE,
        r"outsider|out of scope|not my|another|other|stranger|not seen|invisible|not led|b1\b|outside|"
        r"inactive|ghost|unknown (person|expert|organiser|trainee|unit|studio|alliance|apprentice|lead)",
    ),
    (
        CHOICE,
        r"unknown (kind|level|grade|reason|tier|direction|designation)|bad (level|kind|grade|reason|tier)|"
        r"not offered|as lead|as the (level|grade|reason)",
    ),
)


def infer_categories(label: str, payload: Mapping) -> frozenset:
    cats = {cat for cat, pattern in _LABEL_RULES if re.search(pattern, label, re.IGNORECASE)}
    for key, value in payload.items():
        for text in value if isinstance(value, list | tuple) else [value]:
            if isinstance(text, WhenRun):
                text = text.suffix  # a date or a year adds no category; what is appended to it may
            if not isinstance(text, str):
                continue
            if "<" in text or ">" in text:
                cats.add(HTML)
            if "DROP TABLE" in text or "OR 1=1" in text or "' OR" in text:
                cats.add(SQL)
            if NUL in text or any(ord(ch) > 0xFFFF for ch in text) or ZWJ in text or RTL in text:
                cats.add(UNICODE)
            if MONEY_NAME.search(key) and (text.startswith("-") or "e" in text.lower()):
                cats.add(MONEY)
        if isinstance(value, list) and key != "scores" and len(value) > 1:
            cats.add(DUPLICATE)
    return frozenset(cats)


# Uploads: each call makes a fresh file (a posted file is read once) ----------------------------


def _png(width=40, height=30) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def _ooxml(folder: str) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}document.xml", "<document/>")
    return buffer.getvalue()


def _bomb() -> bytes:
    from .core.test_uploads import png_header_only

    return png_header_only(20000, 20000)


UPLOADS = {
    "png": ("photo.png", _png),
    "pdf": ("file.pdf", lambda: b"%PDF-1.4 a document"),
    "docx": ("file.docx", lambda: _ooxml("word/")),
    "html": ("photo.jpg", lambda: b"<html><script>alert(1)</script></html>"),
    "svg": ("photo.png", lambda: b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
    "bomb": ("photo.png", _bomb),
    "exe": ("file.pdf", lambda: b"MZ\x90\x00binary"),
    "empty": ("file.pdf", lambda: b""),
    "zip": ("file.docx", lambda: b"PK\x03\x04 not really a zip"),
    "truncated": ("photo.png", lambda: _png()[:60]),
    "text": ("notes.txt", lambda: "纯文本".encode()),
    "traversal": ("../../etc/passwd.png", _png),
}


def upload(kind: str, name: str | None = None):
    """A payload value: a fresh uploaded file of `kind` (see UPLOADS), optionally under `name`."""
    default, content = UPLOADS[kind]
    return lambda ctx=None: SimpleUploadedFile(name or default, content())


# Dates: read when a test runs, never when its module is imported -----------------------------------
# A full run lasts longer than the time left before midnight in Asia/Shanghai (16:00 UTC), and the
# services compare with timezone.localdate() when they run: a date a module worked out at import is
# a day behind once midnight has passed (yesterday's "today" is refused as in the past, yesterday's
# "tomorrow" accepted). A payload takes its dates as `day(n)`, `year(n)` or `moment(hour, n)`: a
# callable, which `payload` resolves (like any callable value) when the test builds what it posts.


def today() -> datetime.date:
    """The portal's date at this moment, as the services see it (timezone.localdate(): Shanghai)."""
    return timezone.localdate()


class WhenRun:
    """A text payload value worked out when the test resolves its payload, not before (see `day`,
    `year`, `moment`). `value + "\x00"` appends text and is still worked out then. Turning one into
    text directly (str, an f-string) is a mistake — it would post its name — and raises."""

    def __init__(self, make: Callable[[], str], name: str, suffix: str = ""):
        self._make, self._name = make, name
        self.suffix = suffix  # the text appended to the value

    def __call__(self, ctx=None) -> str:
        return self._make() + self.suffix

    def __add__(self, text: str) -> WhenRun:
        return WhenRun(self._make, self._name, self.suffix + text)

    def __repr__(self) -> str:
        return f"{self._name} + {self.suffix!r}" if self.suffix else self._name

    def __str__(self) -> str:
        raise TypeError(f"{self!r} is worked out when the test runs: call it (or leave it to the payload)")


def day(offset: int = 0) -> WhenRun:
    """A payload value: today plus `offset` days ("YYYY-MM-DD"), as of when the test builds its
    payload: day() today, day(1) tomorrow, day(-1) yesterday, day(30) a month ahead."""
    return WhenRun(lambda: (today() + datetime.timedelta(days=offset)).isoformat(), f"day({offset})")


def year(offset: int = 0) -> WhenRun:
    """A payload value: this year plus `offset` ("2026"), as of when the test builds its payload."""
    return WhenRun(lambda: str(today().year + offset), f"year({offset})")


def moment(hour: int, days: int = 0) -> WhenRun:
    """A payload value: `hour` o'clock (local time) today plus `days` ("YYYY-MM-DDTHH:MM"), as of when
    the test builds its payload."""

    def make() -> str:
        start = timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0)
        return (start + datetime.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")

    return WhenRun(make, f"moment({hour}, {days})")


# Forms, their keys and their pages -------------------------------------------------------------------

PROJECT_APPS = (
    "accounts",
    "core",
    "talent",
    "studios",
    "achievements",
    "alliances",
    "training",
    "mentoring",
    "reports",
)


def form_key(cls) -> str:
    """A form's name in the registry: module.Class; a form made by a factory adds its model."""
    if "<locals>" in cls.__qualname__:
        model = getattr(getattr(cls, "_meta", None), "model", None)
        name = cls.__qualname__.rsplit(".", 1)[-1]
        return f"{cls.__module__}.{name}[{model._meta.label}]" if model else f"{cls.__module__}.{name}"
    return f"{cls.__module__}.{cls.__qualname__}"


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def url_patterns() -> dict[str, URLPattern]:
    return dict(_walk(get_resolver().url_patterns))


def _is_form(value) -> bool:
    return inspect.isclass(value) and issubclass(value, forms.BaseForm)


def _code_names(function):
    code = getattr(function, "__code__", None)
    stack = [code] if code is not None else []
    while stack:
        current = stack.pop()
        yield from current.co_names
        stack.extend(const for const in current.co_consts if isinstance(const, types.CodeType))


def forms_of_view(view_class) -> list[type]:
    """The form classes a view serves: its `form_class`, and every form class its own methods name
    (SignInForm in a plain View's post, a GET form of a report page, a page's second form)."""
    found = []
    main = getattr(view_class, "form_class", None)
    if _is_form(main):
        found.append(main)
    for klass in view_class.__mro__:
        app = klass.__module__.split(".")[0]
        if app not in PROJECT_APPS:
            continue
        spaces = [vars(sys.modules[klass.__module__])]
        for module in (f"{app}.forms", "core.forms"):
            with contextlib.suppress(ImportError):
                spaces.append(vars(importlib.import_module(module)))
        for name, value in vars(klass).items():
            if name == "form_class":
                continue  # the effective one is read above; a base class's is overridden
            if _is_form(value) and name.endswith("form_class"):
                found.append(value)
            function = value.__func__ if isinstance(value, classmethod | staticmethod) else value
            for code_name in _code_names(function):
                for space in spaces:
                    candidate = space.get(code_name)
                    if _is_form(candidate) and candidate not in found:
                        found.append(candidate)
    return found


@cache
def served_forms() -> dict[str, dict[str, type]]:
    """Every form the portal serves: {form key: {URL name: form class}}. Django's admin (for
    superusers only, read-only) is left out."""
    result: dict[str, dict[str, type]] = {}
    for name, pattern in url_patterns().items():
        if name.startswith("admin:"):
            continue
        view_class = getattr(pattern.callback, "view_class", None)
        if view_class is None:
            continue
        for form_class in forms_of_view(view_class):
            result.setdefault(form_key(form_class), {})[name] = form_class
    return result


def form_class_of(url_name: str, key: str | None = None) -> type:
    view_class = url_patterns()[url_name].callback.view_class
    candidates = forms_of_view(view_class)
    if key is not None:
        candidates = [c for c in candidates if form_key(c) == key]
    if not candidates:
        raise LookupError(f"{url_name} serves no form {key or ''}")
    return candidates[0]


# Field kinds and the categories that apply to a form -----------------------------------------------


def applicable_categories(form) -> set[str]:
    """The categories of issue #8 that the fields of a (bound-to-its-page) form can receive."""
    fields = form.fields
    if not fields:
        return set()
    cats = {HTML, SQL, UNICODE, DUPLICATE}
    for name, field_ in fields.items():
        if field_.required:
            cats.add(EMPTY)
        if isinstance(field_, forms.CharField) and field_.max_length:
            cats.add(TOO_LONG)
        if isinstance(
            field_,
            forms.IntegerField
            | forms.DecimalField
            | forms.FloatField
            | forms.DateField
            | forms.DateTimeField
            | forms.ChoiceField
            | forms.ModelChoiceField
            | forms.FileField,
        ):
            cats.add(WRONG_TYPE)
        if isinstance(field_, forms.IntegerField | forms.DecimalField | forms.FloatField) and MONEY_NAME.search(name):
            cats.add(MONEY)
        if isinstance(field_, forms.DateField | forms.DateTimeField):
            cats.add(DATE_ORDER)
        if isinstance(field_, forms.ModelChoiceField):
            cats.add(SCOPE)
        elif isinstance(field_, forms.ChoiceField):
            cats.add(CHOICE)
    return cats


# Running a case through the page -------------------------------------------------------------------


def state():
    """Every row of the portal's tables, to prove that a refused request changed nothing."""
    tables = []
    for config in apps.get_app_configs():
        if config.label in PROJECT_APPS:
            for model in config.get_models():
                tables.append(list(model._default_manager.order_by("pk").values_list()))
    return tables


def _resolve(value, ctx):
    if callable(value) and not isinstance(value, type):
        value = value(ctx)
    if isinstance(value, list | tuple):
        return [_resolve(item, ctx) for item in value]
    if hasattr(value, "pk") and not isinstance(value, str):
        return value.pk
    return value


def payload(spec: FormSpec, case: Case | None, ctx: Ctx) -> dict:
    good = spec.good(ctx) if callable(spec.good) else dict(spec.good or {})
    if case is None:
        data = dict(good)
    else:
        changes = case.changes(ctx) if callable(case.changes) else case.changes
        data = dict(changes) if case.replace else {**good, **changes}
    return {key: _resolve(value, ctx) for key, value in data.items() if value is not DROP}


def _changed_fields(case: Case) -> list[str]:
    if case.replace or callable(case.changes):
        return []
    return list(case.changes)


def url_of(spec: FormSpec, obj) -> str:
    if isinstance(obj, str):
        return obj
    if obj is None:
        url = reverse(spec.url)
    elif isinstance(obj, dict):
        url = reverse(spec.url, kwargs=obj)
    else:
        url = reverse(spec.url, args=[obj.pk])
    return url


def _build_target(target, world):
    """A target returns the object the page acts on (or URL kwargs, or a URL); a pair adds context."""
    if target is None:
        return None, {}
    result = target(world)
    if isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], dict):
        return result
    return result, {}


def _messages(form) -> list[str]:
    return [str(message) for errors in form.errors.values() for message in errors]


CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef\U00020000-\U0003134f]")


@cache
def _translated_templates():
    """Every msgid the compiled zh_Hans catalogues (Django's and the project's) translate, as a
    pattern that matches the message once its placeholders are filled in."""
    catalogue = translation.trans_real.translation("zh-hans")._catalog
    patterns = []
    for key in catalogue.keys():  # noqa: SIM118 - a TranslationCatalog is not iterable
        msgid = key[0] if isinstance(key, tuple) else key
        if not isinstance(msgid, str) or "\x04" in msgid:
            continue
        if len(re.sub(r"%\(\w+\)[sdi]|%[sdi]|\{\w*\}|\W", "", msgid)) < 4:
            continue  # a msgid of placeholders only would match anything
        text = re.escape(msgid)
        text = re.sub(r"%\\\(\w+\\\)[sdi]|%[sdi]|\\\{\w*\\\}", ".+?", text)
        patterns.append((msgid, re.compile(f"^{text}$", re.DOTALL)))
    return patterns


def _strict_i18n() -> bool:
    import os

    from .conftest import require_services

    return require_services() or os.environ.get("BAD_INPUT_STRICT_I18N") == "1"


def assert_chinese(messages, label=""):
    """Every message is shown in Chinese (it has a Chinese character). An English one fails in CI,
    which compiles the merged catalogue first, and with BAD_INPUT_STRICT_I18N=1; elsewhere it warns,
    since a brand-new msgid waits for the coordinator's catalogue. The failure names the msgid the
    catalogue does translate when there is one (a string translated too early, or a changed msgid)."""
    for message in messages:
        if CJK.search(message):
            continue
        known = [msgid for msgid, pattern in _translated_templates() if pattern.match(message)]
        hint = f" (the catalogue translates {known[0]!r})" if known else " (not in the catalogue)"
        if _strict_i18n():
            pytest.fail(f"{label}: message not in Chinese{hint}: {message!r}")
        warnings.warn(f"{label}: message not (yet) in Chinese{hint}: {message!r}", stacklevel=2)


def assert_escaped(content: str, data: Mapping, label=""):
    for value in data.values():
        for text in value if isinstance(value, list) else [value]:
            if not isinstance(text, str):
                continue
            for marker in RAW_MARKERS:
                if marker in text:
                    assert marker not in content, f"{label}: stored markup shown raw: {marker}"


def run_case(spec: FormSpec, case: Case, world, client_as):
    """Post one case through its page and check the answer (see the module's docstring)."""
    label = f"{spec.url}: {case.label}"
    obj, extra = _build_target(case.target or spec.target, world)
    ctx = Ctx(world=world, obj=obj, **extra)
    data = payload(spec, case, ctx)
    url = url_of(spec, extra.get("url", obj))
    actor = case.actor or spec.actor
    client = client_as(getattr(world, actor) if actor else None)  # signing in stamps last_login: first
    before = state()
    response = client.get(url, data) if spec.method == "get" else client.post(url, data)
    status = response.status_code
    assert status < 500, f"{label}: {status}"
    if case.expect == EITHER and status < 400:
        case = Case(case.label, case.cats, case.changes, expect=ACCEPT)
    if case.expect == ACCEPT:
        assert status in (200, 302), f"{label}: expected to be accepted, got {status}"
        _check_pages(spec, ctx, client, response, data, label)
        if case.check is not None:
            case.check(ctx)
        return response
    allowed = case.status if case.expect == REJECT else range(400, 500)
    assert status in allowed, f"{label}: {status}"
    assert state() == before, f"{label}: a refused request changed data"
    if status in (200, 400):  # 200: a refusal that shows the form again
        _check_messages(spec, case, ctx, response, label)
    assert_escaped(response.content.decode(), data, label)
    return response


def _check_messages(spec, case, ctx, response, label):
    """A 400 shows the form again with the message next to the field it names (or above the form),
    in Chinese; an import shows the bad rows instead."""
    context = response.context
    form = context.get("form") if context is not None else None
    rows = [message for _number, message in (context.get("errors") or [])] if context is not None else []
    if form is not None:
        assert form_key(type(form)) == spec.key, f"{label}: the page answered with {type(form).__name__}"
    if rows and not (form is not None and form.errors):
        assert_chinese(rows, label)
        return
    assert form is not None and form.errors, f"{label}: no form with errors on the page"
    where = case.at
    if where is AUTO:
        changed = _changed_fields(case)
        where = changed[0] if len(changed) == 1 and changed[0] in form.fields else None
    if where is not None:
        assert where in form.errors, f"{label}: no message at {where!r}; messages: {dict(form.errors)}"
    assert all(name in form.fields or name == NON_FIELD_ERRORS for name in form.errors), (
        f"{label}: messages for fields the form does not have: {list(form.errors)}"
    )
    assert_chinese(_messages(form), label)


def _check_pages(spec, ctx, client, response, data, label):
    pages = []
    if response.status_code == 302 and response["Location"].startswith("/"):
        pages.append(response["Location"])
    else:
        assert_escaped(response.content.decode(), data, label)
    pages += [page(ctx) for page in spec.pages]
    for page in pages:
        shown = client.get(page)
        assert shown.status_code < 500, f"{label}: {page} answered {shown.status_code}"
        assert_escaped(shown.content.decode(), data, f"{label} on {page}")


def run_good(spec: FormSpec, world, client_as):
    """The GOOD payload is accepted: the bad cases fail for their bad value, not for another."""
    obj, extra = _build_target(spec.target, world)
    ctx = Ctx(world=world, obj=obj, **extra)
    data = payload(spec, None, ctx)
    url = url_of(spec, extra.get("url", obj))
    client = client_as(getattr(world, spec.actor) if spec.actor else None)
    response = client.get(url, data) if spec.method == "get" else client.post(url, data)
    if response.status_code != spec.good_status:
        errors = response.context.get("form").errors if response.context and response.context.get("form") else ""
        pytest.fail(f"{spec.url}: GOOD payload answered {response.status_code}, not {spec.good_status}: {errors}")


def case_params(specs) -> list:
    params = []
    seen = set()
    for spec in specs:
        for case in spec.cases:
            ident = f"{spec.url}: {case.label}"
            assert ident not in seen, f"two cases named {ident!r}"
            seen.add(ident)
            params.append(pytest.param(spec, case, id=ident))
    return params


def good_params(specs) -> list:
    return [pytest.param(spec, id=spec.url) for spec in specs if spec.good is not None and spec.good_status]


def standard_params(specs) -> list:
    return [pytest.param(spec, id=spec.ident()) for spec in specs if spec.fuzz]


def fuzz_params(specs) -> list:
    return [pytest.param(spec, id=spec.ident()) for spec in specs if spec.fuzz]


# Hypothesis: the form class bound directly, with its page's keyword arguments ---------------------


@dataclass
class Binding:
    form_class: type
    kwargs: dict
    good: dict
    ctx: Ctx
    refresh: Callable

    def build(self, data, files):
        return self.form_class(data=data, files=files, **self.refresh(self.kwargs))


def bind(spec: FormSpec, world, client_as) -> Binding:
    """Open the spec's page once and capture the keyword arguments it builds its form with."""
    form_class = form_class_of(spec.url, spec.key)
    obj, extra = _build_target(spec.target, world)
    ctx = Ctx(world=world, obj=obj, **extra)
    url = url_of(spec, extra.get("url", obj))
    if spec.fuzz_query:
        url += ("&" if "?" in url else "?") + spec.fuzz_query
    client = client_as(getattr(world, spec.actor) if spec.actor else None)
    captured = []
    had_own_init = "__init__" in vars(form_class)
    original = form_class.__init__

    def spy(self, *args, **kwargs):
        if type(self) is form_class and not captured:
            captured.append(dict(kwargs))
        original(self, *args, **kwargs)

    form_class.__init__ = spy
    try:
        response = client.get(url)
    finally:
        if had_own_init:
            form_class.__init__ = original
        else:
            del form_class.__init__
    assert response.status_code < 500, f"{spec.url}: {response.status_code}"
    assert captured, f"{spec.url}: opening {url} did not build a {form_class.__name__} ({response.status_code})"
    kwargs = {k: v for k, v in captured[0].items() if k not in ("data", "files")}
    if spec.form_kwargs:
        kwargs = spec.form_kwargs(ctx, kwargs)

    def refresh(kwargs):
        instance = kwargs.get("instance")
        if instance is not None and getattr(instance, "pk", None):
            fresh = instance._meta.model._default_manager.filter(pk=instance.pk).first()
            kwargs = {**kwargs, "instance": fresh or copy.copy(instance)}  # a not-yet-saved singleton
        return kwargs

    good = payload(spec, None, ctx) if spec.good is not None else {}
    return Binding(form_class, kwargs, good, ctx, refresh)


NASTY = [
    "",
    " ",
    WHITESPACE,
    SCRIPT,
    IMG,
    SQL_TEXT,
    SQL_OR,
    UNICODE_TEXT,
    NUL_TEXT,
    NUL,
    FULL_WIDTH,
    HUGE,
    "-1",
    "-0",
    "0",
    "1e309",
    "-1e309",
    "NaN",
    "Infinity",
    "1e15",
    "0.001",
    "2026-02-30",
    "0000-00-00",
    "99999-01-01",
    "2024-13-01",
    "1.5",
    "²",
    "true",
]


def _file_strategy(st):
    heads = st.sampled_from([b"", b"%PDF-1.4\n", b"\x89PNG\r\n\x1a\n", b"PK\x03\x04", b"<html><script>", b"GIF89a"])
    names = st.sampled_from(["a.pdf", "a.png", "a.jpg", "a.docx", "a.xlsx", "../../x.pdf", "😀.pdf", "a", ".jpg"])
    return st.builds(
        lambda head, body, name: SimpleUploadedFile(name, head + body), heads, st.binary(max_size=200), names
    )


def _field_strategy(st, name, field_, good):
    text = st.text(max_size=(field_.max_length or 60) + 5 if isinstance(field_, forms.CharField) else 30)
    options = [st.just(MISSING), st.sampled_from(NASTY), text]
    if isinstance(field_, forms.FileField):
        return st.one_of(st.just(MISSING), _file_strategy(st))
    if isinstance(field_, forms.ModelChoiceField):
        pks = [str(pk) for pk in field_.queryset.values_list("pk", flat=True)[:8]]
        ids = st.sampled_from(pks) if pks else st.just("1")
        ids = st.one_of(ids, st.integers(-5, 10**6).map(str))
        if isinstance(field_, forms.ModelMultipleChoiceField):
            options.append(st.lists(ids, max_size=4))
        options.append(ids)
    elif isinstance(field_, forms.ChoiceField):
        values = [str(value) for value, _label in field_.choices if value not in ("", None)]
        if values:
            options.append(st.sampled_from(values))
            if isinstance(field_, forms.MultipleChoiceField):
                options.append(st.lists(st.sampled_from(values), max_size=4))
    elif isinstance(field_, forms.IntegerField | forms.DecimalField | forms.FloatField):
        options += [
            st.integers(-(10**20), 10**20).map(str),
            st.decimals(allow_nan=True, allow_infinity=True).map(str),
            st.floats().map(repr),
        ]
    elif isinstance(field_, forms.DateTimeField):
        options.append(st.datetimes().map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M")))
    elif isinstance(field_, forms.DateField):
        options += [st.dates().map(lambda day: day.isoformat()), st.text("0123456789-/", max_size=12)]
    elif isinstance(field_, forms.BooleanField):
        options.append(st.sampled_from(["on", "", "false", "0", "1"]))
    if good is not MISSING and not isinstance(good, SimpleUploadedFile):
        options = [st.just(good), st.just(good), *options]  # often valid: reach the cross-field checks
    single = st.one_of(*options)
    duplicated = st.lists(st.one_of(st.sampled_from(NASTY), text), min_size=2, max_size=3)
    return st.one_of(single, duplicated)


def fuzz(spec: FormSpec, world, client_as):
    """200 examples (the "ci" profile): binding never raises; a refused one names real fields, in Chinese."""
    from hypothesis import HealthCheck, given
    from hypothesis import settings as hypothesis_settings
    from hypothesis import strategies as st

    binding = bind(spec, world, client_as)
    sample = binding.build(None, None)
    strategies = {
        name: _field_strategy(st, name, field_, binding.good.get(name, MISSING))
        for name, field_ in sample.fields.items()
    }
    extra = st.dictionaries(st.sampled_from(["junk", "id", "pk", "csrfmiddlewaretoken"]), st.text(max_size=10))
    label = spec.ident()

    @hypothesis_settings(
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    )
    @given(values=st.fixed_dictionaries(strategies), junk=extra)
    def check(values, junk):
        data, files = QueryDict(mutable=True), MultiValueDict()
        for name, value in {**junk, **values}.items():
            if value is MISSING:
                continue
            items = value if isinstance(value, list) else [value]
            if any(isinstance(item, SimpleUploadedFile) for item in items):
                files.setlist(name, items)
            else:
                data.setlist(name, [str(item) for item in items])
        with translation.override("zh-hans"):
            form = binding.build(data, files)
            if not form.is_valid():
                assert all(name in form.fields or name == NON_FIELD_ERRORS for name in form.errors), (
                    f"{label}: messages for fields the form does not have: {list(form.errors)}"
                )
                assert_chinese(_messages(form), label)

    check()


# Generated on top: the standard bad values in every field of every form -----------------------------


def standard_values(field_) -> list[tuple[str, object]]:
    """(label, value) pairs every field of this kind must refuse, with its message next to it."""
    values = []
    if field_.required:
        values.append(("empty", ""))
    if isinstance(field_, forms.ModelMultipleChoiceField):
        return [*values, ("letters", ["abc"]), ("an unknown id", ["999999999"]), ("an id out of range", [HUGE])]
    if isinstance(field_, forms.ModelChoiceField):
        return [*values, ("letters", "abc"), ("an unknown id", "999999999"), ("an id out of range", HUGE)]
    if isinstance(field_, forms.ChoiceField):
        return [*values, ("a choice not offered", "not-offered"), ("markup", SCRIPT)]
    if isinstance(field_, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return [*values, ("letters", "abc"), ("1e309", "1e309"), ("NaN", "NaN"), ("Infinity", "Infinity")]
    if isinstance(field_, forms.DateTimeField):
        return [*values, ("30 February", "2026-02-30T09:00"), ("words", "明天早上")]
    if isinstance(field_, forms.DateField):
        return [*values, ("30 February", "2026-02-30"), ("words", "明天"), ("year 99999", "99999-01-01")]
    if isinstance(field_, forms.CharField):
        values.append(("NUL", NUL_TEXT))
        values += [(label, "长" * length) for label, length in over_bound_lengths(field_)]
        return values
    return values


# Free text over its bound ------------------------------------------------------------------------

# Every text field has a bound (a model TextField's max_length, a form CharField's): one character
# over it is refused next to the field. A field without one took megabytes; this probe, a little
# over the largest bound a free-text field has (10,000; only a pasted list of employee numbers may
# be longer), is refused by every field bounded below it and fails any field left without a bound.
UNBOUNDED_PROBE = 10_001


def over_bound_lengths(field_) -> list[tuple[str, int]]:
    """(label, length) of the too-long values a text field must refuse."""
    bound = field_.max_length
    lengths = []
    if bound:
        lengths.append(("one character over its bound", bound + 1))
    if not bound or bound + 1 < UNBOUNDED_PROBE:
        lengths.append((f"{UNBOUNDED_PROBE:,} characters", UNBOUNDED_PROBE))
    return lengths


def text_fields(form) -> dict[str, forms.CharField]:
    return {name: field_ for name, field_ in form.fields.items() if isinstance(field_, forms.CharField)}


def unbounded_text_fields(form) -> list[str]:
    return [name for name, field_ in text_fields(form).items() if not field_.max_length]


def _settled(spec: FormSpec, world) -> FormSpec:
    """The spec with its target and GOOD payload made once, for several posts in one test: a target
    or a GOOD value may make rows that must stay unique. Uploads stay callables (a file is read once)."""
    target = None
    if spec.target is not None:
        built = spec.target(world)
        target = lambda _world: built  # noqa: E731
    obj, extra = _build_target(target, world)
    ctx = Ctx(world=world, obj=obj, **extra)
    raw = spec.good(ctx) if callable(spec.good) else dict(spec.good or {})
    good = {}
    for key, value in raw.items():
        resolved = _resolve(value, ctx) if value is not DROP else value
        items = resolved if isinstance(resolved, list) else [resolved]
        good[key] = value if any(isinstance(item, SimpleUploadedFile) for item in items) else resolved
    return dataclasses.replace(spec, target=target, good=good)


def too_long_checks(spec: FormSpec, world, client_as) -> int:
    """Post GOOD with each text field of the form, in turn, one character over its bound (and
    10,001 characters when its bound is lower) through the real page: refused with the form shown
    again (400, or a 200 re-render) and the message next to that field, in Chinese, no row changed.
    Returns the number of posts made."""
    spec = _settled(spec, world)
    binding = bind(spec, world, client_as)
    form = binding.build(None, None)
    unbounded = unbounded_text_fields(form)
    assert not unbounded, f"{spec.ident()}: text fields without a bound: {unbounded}"
    posted = 0
    for name, field_ in text_fields(form).items():
        for label, length in over_bound_lengths(field_):
            case = bad(f"{name} {label}", TOO_LONG, {name: "长" * length}, status=(400, 200))
            run_case(spec, case, world, client_as)
            posted += 1
    return posted


def too_long_params(specs) -> list:
    """The specs whose page takes a GOOD payload by POST (so that one changed field is the only
    fault) and binds its form for the examples (so that its fields can be read)."""
    return [
        pytest.param(spec, id=spec.ident())
        for spec in specs
        if spec.fuzz and spec.method == "post" and spec.good is not None
    ]


def standard_checks(spec: FormSpec, world, client_as) -> int:
    """Bind the form (with its page's keyword arguments) once per standard bad value of each of
    its fields, the other fields GOOD: each is refused with its message next to that field, in
    Chinese. Returns the number of checks made."""
    binding = bind(spec, world, client_as)
    sample = binding.build(None, None)
    checked = 0
    for name, field_ in sample.fields.items():
        for label, value in standard_values(field_):
            if f"{name} {label}" in spec.standard_skip:
                continue
            data = QueryDict(mutable=True)
            for key, good in binding.good.items():
                if key != name and not isinstance(good, SimpleUploadedFile):
                    data.setlist(key, [str(v) for v in good] if isinstance(good, list) else [str(good)])
            data.setlist(name, value if isinstance(value, list) else [value])
            with translation.override("zh-hans"):
                form = binding.build(data, MultiValueDict())
                where = f"{spec.ident()}: {name} {label}"
                assert not form.is_valid() and name in form.errors, f"{where}: not refused next to the field"
                assert_chinese([str(m) for m in form.errors[name]], where)
            checked += 1
    return checked


def bad_input_modules() -> list:
    """Every module of hand-written bad inputs: tests/**/test_*bad_input*.py."""
    from pathlib import Path

    root = Path(__file__).resolve().parent
    modules = []
    for path in sorted(root.rglob("test_*bad_input*.py")):
        if path.name == "test_bad_input_inventory.py":
            continue  # the inventory itself, which holds the registry
        name = ".".join(("tests", *path.relative_to(root).with_suffix("").parts))
        modules.append(importlib.import_module(name))
    return modules


def registry():
    """(specs, legacy entries) of every bad-input module."""
    specs, entries = [], []
    for module in bad_input_modules():
        specs += list(getattr(module, "SPECS", []))
        entries += list(getattr(module, "LEGACY", []))
    return specs, entries


# The battery every app's module runs ---------------------------------------------------------------


class Battery:
    """The tests every bad-input module runs over its FormSpecs. Subclass it there:

        class TestForms(bi.Battery):
            specs = SPECS

    One definition, so a new check reaches every module at once (each module used to repeat the
    tests as its own functions, and the over-the-bound check missed the campaign forms)."""

    specs: list = []
    PARAMS = {
        "test_bad_input": (("spec", "case"), case_params),
        "test_good_input_is_accepted": ("spec", good_params),
        "test_form_never_fails_badly": ("spec", fuzz_params),
        "test_every_field_refuses_the_standard_bad_values": ("spec", standard_params),
        "test_every_text_field_refuses_one_character_over_its_bound": ("spec", too_long_params),
    }

    def pytest_generate_tests(self, metafunc):
        names, params = self.PARAMS[metafunc.function.__name__]
        metafunc.parametrize(names, params(self.specs))

    def test_bad_input(self, spec, case, world, client_as):
        run_case(spec, case, world, client_as)

    def test_good_input_is_accepted(self, spec, world, client_as):
        run_good(spec, world, client_as)

    def test_form_never_fails_badly(self, spec, world, client_as):
        fuzz(spec, world, client_as)

    def test_every_field_refuses_the_standard_bad_values(self, spec, world, client_as):
        standard_checks(spec, world, client_as)

    def test_every_text_field_refuses_one_character_over_its_bound(self, spec, world, client_as):
        too_long_checks(spec, world, client_as)
