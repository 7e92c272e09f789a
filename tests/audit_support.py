"""Helpers of the audit-completeness test (tests/test_audit_completeness.py): read a page's form
and fill it the way a careful user would, and record which service functions a request called."""

from __future__ import annotations

import datetime
import functools
import importlib
import inspect
import itertools
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.core.files.uploadedfile import SimpleUploadedFile

from .xss_support import PORTAL_APPS as SERVICE_APPS

# Text fields whose value is an identifier, a number or a contact: never the one "edited".
NOT_EDITED = ("code", "username", "phone", "email", "employee_no", "id_number", "password", "patent_no", "year", "no")


@dataclass
class Field:
    tag: str
    name: str
    type: str = ""
    value: str = ""
    attrs: dict = field(default_factory=dict)
    options: list = field(default_factory=list)  # (value, selected)
    text: str = ""

    @property
    def required(self) -> bool:
        return "required" in self.attrs


@dataclass
class Form:
    action: str | None
    method: str
    fields: list = field(default_factory=list)


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._option: list | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = Form(action=a.get("action"), method=a.get("method", "get").lower())
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        if tag == "input" and a.get("name"):
            self._form.fields.append(Field("input", a["name"], a.get("type", "text").lower(), a.get("value", ""), a))
        elif tag == "select" and a.get("name"):
            self._select = Field("select", a["name"], "select-multiple" if "multiple" in a else "select", attrs=a)
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, ""]
            self._select.options.append(self._option)
        elif tag == "textarea" and a.get("name"):
            self._textarea = Field("textarea", a["name"], "textarea", attrs=a)
            self._form.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.text += data
        elif self._option is not None:
            self._option[2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "option" and self._option is not None:
            if self._option[0] is None:
                self._option[0] = self._option[2].strip()
            self._option = None
        elif tag == "textarea" and self._textarea is not None:
            self._textarea.value = self._textarea.text.removeprefix("\n")
            self._textarea = None


def page_form(html: str) -> Form | None:
    """The page's own POST form (the header's search, language and sign-out forms have actions)."""
    parser = _FormParser()
    parser.feed(html)
    forms = [f for f in parser.forms if f.method == "post" and not f.action]
    return forms[0] if forms else None


_counter = itertools.count(1)


def _png():
    from .core.test_uploads import png_bytes

    return SimpleUploadedFile("photo.png", png_bytes(), content_type="image/png")


def _pdf():
    content = b"%PDF-1.4\n% audit\n1 0 obj<<>>endobj\n%%EOF\n"
    return SimpleUploadedFile("proof.pdf", content, content_type="application/pdf")


def _ending(name: str) -> bool:
    return bool(set(name.split("_")) & {"end", "ends", "until", "deadline", "to", "due", "close", "closes"})


def _text_for(name: str) -> str:
    n = next(_counter)
    if "phone" in name or "tel" in name:
        return f"1380013{n:04d}"
    if "email" in name:
        return f"audit{n}@example.com"
    if "password" in name:
        return "Quartz-lantern-2026!"
    if "employee_no" in name or name.endswith(("code", "_no")) or "username" in name:
        return f"AU{n:05d}"
    if _is_year(name):
        return str(datetime.date.today().year)
    return f"审计测试{n}"


def _is_year(name: str) -> bool:
    return re.search(r"(^|_)year($|_)", name) is not None


def _number_for(f: Field) -> str:
    if f.value:
        return f.value
    if _is_year(f.name):
        return str(datetime.date.today().year)
    low = f.attrs.get("min")
    return low if low not in (None, "") and float(low) > 0 else "1"


def autofill(form: Form, *, edit: bool, overrides: dict | None = None) -> tuple[dict, str | None]:
    """POST data for `form`, as a careful user would send it: what the page shows is kept, each
    required field left empty gets a plausible value (dates in the order the form asks for them),
    optional ones stay empty, and with `edit` one shown text is changed (its name is returned).
    `overrides` replaces values by field name."""
    overrides = overrides or {}
    today = datetime.date.today()
    latest = None  # dates follow one another: a start before its end, a close before the notice
    data: dict = {}
    edited = None
    for f in form.fields:
        kind = f.type
        if kind in ("submit", "button", "reset", "image"):
            continue
        if kind in ("checkbox", "radio"):
            if "checked" in f.attrs:
                data.setdefault(f.name, []).append(f.value or "on")
            elif kind == "radio" and not any(g.name == f.name and "checked" in g.attrs for g in form.fields):
                data.setdefault(f.name, [f.value])
            elif kind == "checkbox" and f.required:
                data.setdefault(f.name, []).append(f.value or "on")
            continue
        if kind == "file":
            if f.required:
                data[f.name] = _png() if "image" in f.attrs.get("accept", "") else _pdf()
            continue
        if f.tag == "select":
            chosen = [v for v, selected, _text in f.options if selected]
            if not chosen and kind == "select" and f.options:
                chosen = [f.options[0][0]]  # what a browser sends when nothing is marked selected
            if not [v for v in chosen if v] and f.required:
                first = next((v for v, _selected, _text in f.options if v), None)
                chosen = [first] if first is not None else []
            data[f.name] = chosen if kind == "select-multiple" else (chosen[0] if chosen else "")
            continue
        if kind == "hidden":
            data[f.name] = f.value
        elif kind == "date":
            if f.value:
                value = datetime.date.fromisoformat(f.value)
            elif f.required:
                value = today if latest is None else max(today, latest + datetime.timedelta(days=7))
                if latest is None and _ending(f.name):  # a deadline lies ahead
                    value = today + datetime.timedelta(days=30)
                low, high = f.attrs.get("min"), f.attrs.get("max")
                if low and value.isoformat() < low:
                    value = datetime.date.fromisoformat(low)
                if high and value.isoformat() > high:
                    value = datetime.date.fromisoformat(high)
            else:
                value = None
            if value is not None:
                latest = value
            data[f.name] = value.isoformat() if value else ""
        elif kind == "datetime-local":
            data[f.name] = f.value or f"{today.isoformat()}T{'11:00' if _ending(f.name) else '09:00'}"
        elif kind == "time":
            data[f.name] = f.value or ("11:00" if _ending(f.name) else "09:00")
        elif kind == "number":
            data[f.name] = _number_for(f) if (f.value or f.required) else ""
        elif f.tag == "textarea":
            data[f.name] = f.value or (f"审计测试说明{next(_counter)}" if f.required else "")
        else:
            data[f.name] = f.value or (_text_for(f.name) if f.required else "")
        if (
            edit
            and edited is None
            and f.value
            and f.name not in overrides
            and (f.tag == "textarea" or kind == "text")
            and "readonly" not in f.attrs
            and not any(word in f.name for word in NOT_EDITED)
        ):
            maxlength = int(f.attrs.get("maxlength") or 10_000)
            data[f.name] = (f.value + "·改") if len(f.value) + 2 <= maxlength else f.value[:-2] + "·改"
            edited = f.name
    data.update(overrides)
    return data, edited


# Which services a request called -------------------------------------------------------------------


def service_functions() -> dict[str, object]:
    """'app.function' → function, for every public function defined in `<app>/services.py`."""
    found = {}
    for app in SERVICE_APPS:
        try:
            module = importlib.import_module(f"{app}.services")
        except ModuleNotFoundError:
            continue
        for name, obj in vars(module).items():
            if inspect.isfunction(obj) and obj.__module__ == module.__name__ and not name.startswith("_"):
                found[f"{app}.{name}"] = obj
    return found


class ServiceCalls:
    """Wraps every public service function (module attribute) to record the outermost calls."""

    def __init__(self, monkeypatch):
        self.calls: list[str] = []
        self._depth = 0
        for qualified, function in service_functions().items():
            app, name = qualified.split(".")
            module = importlib.import_module(f"{app}.services")
            monkeypatch.setattr(module, name, self._wrap(qualified, function))

    def _wrap(self, qualified, function):
        @functools.wraps(function)
        def recorded(*args, **kwargs):
            if self._depth == 0:
                self.calls.append(qualified)
            self._depth += 1
            try:
                return function(*args, **kwargs)
            finally:
                self._depth -= 1

        return recorded
