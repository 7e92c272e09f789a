"""Excel import: a template to download, every row validated, a report of each bad row, and
all-or-nothing (one bad row and nothing is imported).

An app declares an `ImportSpec`: the columns (header, form field) and `create(actor, data)`,
which calls the same service the pages use, so imported rows are checked and audited alike.
The row form (an `ImportRow`) turns each cell into what the service takes and checks what it can
on its own, so that every problem of a row is listed in one pass; the service stays the authority.

The template's example row starts with the marker “示例：” (“Example: ”) and is never imported:
a cadre who uploads the template unchanged, or keeps the example above their own rows, is told so
instead of getting a record made of the sample values.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext
from django.views.generic import FormView
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill

from .exports import workbook_response
from .forms import PortalForm
from .uploads import clean_document
from .views import BreadcrumbMixin, PortalMixin

MAX_ROWS = 5000

# The first cell of the template's example row starts with this word and a colon (“示例：…”); a row
# so marked, in either language, is never imported.
EXAMPLE_MARKER = gettext_lazy("Example")
COLONS = (":", "：")


def in_every_language(make) -> list:
    """`make()` in each of the portal's languages: a file reads the same whatever the language of
    the page it is uploaded from (a template filled in Chinese imports from the English page)."""
    values = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            values.append(make())
    return values


@dataclass
class ImportResult:
    created: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    examples: list[int] = field(default_factory=list)  # rows skipped as the template's example


class ImportRow(forms.Form):
    """One row of an import, its fields labelled with the Excel headers. `run_import` sets `actor`
    before validating, so that a row can look up what its importer may use in its own clean
    methods and report every problem of the row together, not one per upload."""

    actor = None


class LabelChoiceField(forms.ChoiceField):
    """A column of choices, written by their labels (`choices`: a TextChoices class). A label in any
    of the portal's languages is accepted whatever the language of the page; cleans to the value.
    The choices offered (and named in messages and the template) are those of the active language,
    computed per form, never once at import time."""

    def __init__(self, *, choices, **kwargs):
        self.enum = choices
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": gettext_lazy("“%(value)s” is not one of the choices: %(choices)s.")},
        )
        super().__init__(choices=lambda: [(str(label), str(label)) for _value, label in choices.choices], **kwargs)

    def labels(self) -> list[str]:
        return [str(label) for _value, label in self.enum.choices]

    def value_of(self, label: str) -> str | None:
        wanted = label.strip().casefold()
        for choices in in_every_language(lambda: [(value, str(text)) for value, text in self.enum.choices]):
            for value, text in choices:
                if str(text).casefold() == wanted:
                    return value
        return None

    def validate(self, value):
        forms.Field.validate(self, value)  # required; the label is checked in every language below
        if value and self.value_of(value) is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value, "choices": "、".join(self.labels())},
            )

    def clean(self, value):
        label = super().clean(value)
        return self.value_of(label) if label else ""


class UnitCodeField(forms.ModelChoiceField):
    """A unit column, by the unit's code (listed on the template's sheet "Unit codes"); the import
    sets its queryset to the units the actor may use."""

    def __init__(self, **kwargs):
        from accounts.models import Unit

        # Lazy: the row forms are declared once, at import, whatever the request's language.
        kwargs.setdefault("label", gettext_lazy("Unit code"))
        kwargs.setdefault("help_text", gettext_lazy("The unit's code, from the sheet “Unit codes”"))
        kwargs.setdefault(
            "error_messages", {"invalid_choice": gettext_lazy("No unit you can see has the code %(value)s.")}
        )
        super().__init__(queryset=Unit.objects.none(), to_field_name="code", **kwargs)


class ImportDateField(forms.DateField):
    """A date column: YYYY-MM-DD (a cell Excel keeps as a date arrives so), or year first with / . or
    年月日. The formats are the same in every language (Django's depend on the page's: 2025/09/15 passed
    in Chinese and failed in English). A bad value is repeated with the format expected;
    `not_future` refuses a date after today, as the services do."""

    input_formats = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"]

    def __init__(self, *, not_future: bool = False, **kwargs):
        self.not_future = not_future
        kwargs.setdefault("input_formats", self.input_formats)
        super().__init__(**kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as error:
            if error.code != "invalid":
                raise
            raise ValidationError(
                _("“%(value)s” is not a date: write it as YYYY-MM-DD, for example 2025-09-15."),
                code="invalid",
                params={"value": value},
            ) from None

    def validate(self, value):
        super().validate(value)
        if self.not_future and value and value > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."), code="future")


class ImportSpec:
    """Subclass: set `title`, `row_form` (an ImportRow whose field labels are the Excel headers),
    `example` (one example row, by field name) and implement `create(actor, data)`."""

    title: str
    row_form: type[forms.Form]
    example: dict = {}
    # Columns (or groups of columns) that two rows of one file may not share: each later row is
    # told which earlier row it repeats, whether or not that row is itself valid (the group's last
    # column is where the row form says "already exists").
    unique_in_file: tuple[tuple[str, ...], ...] = ()

    def headers(self) -> list[str]:
        return [str(f.label) for f in self.row_form.base_fields.values()]

    def field_names(self) -> list[str]:
        return list(self.row_form.base_fields)

    def reference(self, actor) -> dict[str, list[str]]:
        """Extra sheets of allowed values (sheet title → values)."""
        return {}

    def create(self, actor, data: dict):
        raise NotImplementedError

    def prepare(self, actor, form: forms.Form) -> None:
        """Narrow the row form's choices to what `actor` may use."""

    def example_cells(self) -> list[str]:
        """The example row as written in the template, in the active language, its first cell marked."""
        cells = self.example_values()
        cells[0] = _("Example: %(value)s") % {"value": cells[0]}
        return cells

    def example_values(self) -> list[str]:
        return [str(self.example.get(name, "")) for name in self.field_names()]  # lazy labels: this language


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _is_example(cells: list[str], markers: list[str], unmarked: list[list[str]]) -> bool:
    """The template's example row: its first cell marked (“示例：…”, “Example: …” or the word alone),
    or every cell the example's, in either language (a template downloaded before it was marked)."""
    first = cells[0].casefold()
    for marker in markers:
        if first == marker or (first.startswith(marker) and first[len(marker) :].lstrip()[:1] in COLONS):
            return True
    return cells in unmarked


def examples_note(rows: list[int]) -> str:
    return ngettext(
        "Row %(rows)s is the template's example and was not imported.",
        "Rows %(rows)s are the template's example and were not imported.",
        len(rows),
    ) % {"rows": "、".join(str(n) for n in rows)}


def read_rows(spec: ImportSpec, upload) -> tuple[list[tuple[int, dict]], list[int]]:
    """The data rows by field name, with their Excel row numbers, and the numbers of the rows skipped
    as the template's example. Raises ValidationError for a bad file or one without a data row."""
    clean_document(upload, kinds={"xlsx"})
    upload.seek(0)
    try:
        workbook = load_workbook(io.BytesIO(upload.read()), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged file
        raise ValidationError(_("The file could not be read as an Excel workbook.")) from None
    try:
        # read_only workbooks parse the sheet lazily: a damaged one fails here, not at load time.
        all_rows = list(workbook.worksheets[0].iter_rows(values_only=True, max_row=MAX_ROWS + 2))
    except Exception:
        raise ValidationError(_("The file could not be read as an Excel workbook.")) from None
    rows = iter(all_rows)
    header = [_cell(v) for v in next(rows, ())]
    expected = spec.headers()
    # A template downloaded in either language imports in either language.
    accepted = in_every_language(spec.headers)
    if not any(header[: len(columns)] == columns for columns in accepted):
        raise ValidationError(
            _("The columns do not match the template. Expected: %(columns)s") % {"columns": "、".join(expected)}
        )
    names = spec.field_names()
    markers = [marker.casefold() for marker in in_every_language(lambda: str(EXAMPLE_MARKER))]
    unmarked = in_every_language(spec.example_values) if spec.example else []
    result, examples = [], []
    for number, values in enumerate(rows, start=2):
        cells = [_cell(v) for v in values[: len(names)]]
        if not any(cells):
            continue
        cells += [""] * (len(names) - len(cells))
        if _is_example(cells, markers, unmarked):
            examples.append(number)
            continue
        if len(result) >= MAX_ROWS:
            raise ValidationError(_("At most %(n)s rows can be imported at once.") % {"n": MAX_ROWS})
        result.append((number, dict(zip(names, cells, strict=True))))
    if not result:
        empty = _("The file has no data rows: fill in one row per record below the header.")
        raise ValidationError([examples_note(examples), empty] if examples else empty)
    return result, examples


def run_import(spec: ImportSpec, upload, actor) -> ImportResult:
    result = ImportResult()
    rows, result.examples = read_rows(spec, upload)
    seen: dict[tuple[str, ...], dict[tuple[str, ...], int]] = {group: {} for group in spec.unique_in_file}
    with transaction.atomic():
        for number, values in rows:
            form = spec.row_form(data=values)
            form.actor = actor
            spec.prepare(actor, form)
            errors = dict(form.errors) if not form.is_valid() else {}
            repeats = []
            for group, firsts in seen.items():
                key = tuple(str(values.get(name) or "").strip() for name in group)
                if not all(key):
                    continue
                if key in firsts:
                    repeats.append((group, firsts[key]))
                    errors.pop(group[-1], None)  # said once, as a repeat, not again as "already exists"
                else:
                    firsts[key] = number
            for group, first in repeats:
                labels = " + ".join(str(form.fields[name].label) for name in group)
                repeat = _("the same as row %(row)s of this file.") % {"row": first}
                result.errors.append((number, f"{labels}: {repeat}"))
            for name, messages_ in errors.items():
                label = form.fields[name].label if name in form.fields else _("Row")
                result.errors.append((number, f"{label}: {' '.join(messages_)}"))
            if errors or repeats:
                continue
            try:
                with transaction.atomic():
                    spec.create(actor, form.cleaned_data)
                result.created += 1
            except ValidationError as error:
                details = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
                for name, messages_ in details.items():
                    label = form.fields[name].label if name in form.fields else _("Row")
                    result.errors.append((number, f"{label}: {' '.join(messages_)}"))
            except PermissionDenied:
                result.errors.append((number, _("You may not import this row.")))
        if result.errors:
            transaction.set_rollback(True)
            result.created = 0
    return result


def _column_hint(field_: forms.Field) -> str:
    """What to write in a column, for the template's instructions."""
    if field_.help_text:
        return str(field_.help_text)
    if isinstance(field_, LabelChoiceField):
        return _("One of: %(choices)s") % {"choices": "、".join(field_.labels())}
    if isinstance(field_, forms.DateField):
        return _("A date, YYYY-MM-DD (for example 2025-09-15)")
    if isinstance(field_, forms.DecimalField):  # before IntegerField, its base class
        return _("A number")
    if isinstance(field_, forms.IntegerField):
        return _("A whole number")
    if getattr(field_, "max_length", None):
        return _("Text, at most %(n)s characters") % {"n": field_.max_length}
    return ""


def template_workbook(spec: ImportSpec, actor) -> Workbook:
    """The data sheet (header, then the marked example row in grey), the instructions, and the sheets
    of allowed values."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(spec.title)[:31]
    headers = spec.headers()
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(spec.example_cells())
    for cell in sheet[2]:
        cell.font = Font(italic=True, color="808080")
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(12, len(header) * 2 + 2)

    guide = workbook.create_sheet(str(_("Instructions"))[:31])
    guide.append([_("How to fill in this template")])
    guide["A1"].font = Font(bold=True)
    for line in (
        _(
            "Fill in one row per record on the sheet “%(sheet)s”, below the header (over the example or "
            "below it); keep the header row as it is."
        )
        % {"sheet": sheet.title},
        _("Row 2 is an example: its first cell starts with “%(marker)s”, and a row so marked is never imported.")
        % {"marker": (_("Example: %(value)s") % {"value": ""}).strip()},
        _("Dates are written as YYYY-MM-DD, for example 2025-09-15."),
        _(
            "Every row is checked first: if any row has a problem, nothing is imported and each problem is "
            "listed with its row number; correct the file and upload it again."
        ),
    ):
        guide.append([line])
    guide.append([])
    guide.append([_("Column"), pgettext("import column", "Required"), _("What to enter"), str(EXAMPLE_MARKER)])
    for cell in guide[guide.max_row]:
        cell.font = Font(bold=True)
    fields = spec.row_form.base_fields.values()
    for header, field_, example in zip(headers, fields, spec.example_values(), strict=True):
        required = pgettext("import column", "Yes") if field_.required else pgettext("import column", "No")
        guide.append([header, required, _column_hint(field_), example])
    for letter, width in zip("ABCD", (28, 10, 60, 30), strict=True):
        guide.column_dimensions[letter].width = width

    for title, values in spec.reference(actor).items():
        reference = workbook.create_sheet(str(title)[:31])
        for value in values:
            reference.append([value])
    return workbook


class ImportForm(PortalForm):
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"))


class ImportView(PortalMixin, BreadcrumbMixin, FormView):
    """Upload page of an import; shows every bad row, imports nothing unless all rows are good."""

    permission_action = "import"
    form_class = ImportForm
    spec: ImportSpec
    template_name = "includes/import_page.html"
    template_url_name = ""
    success_url_name = ""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=self.spec.title, headers=self.spec.headers(), template_url_name=self.template_url_name)
        return context

    def form_valid(self, form):
        try:
            result = run_import(self.spec, form.cleaned_data["file"], self.request.user)
        except ValidationError as error:
            form.add_error("file", error)
            return self.form_invalid(form)
        note = examples_note(result.examples) if result.examples else ""
        if result.errors:
            context = self.get_context_data(form=form, errors=result.errors, examples_note=note)
            return render(self.request, self.template_name, context, status=400)
        messages.success(self.request, _("%(n)s rows were imported.") % {"n": result.created})
        if note:
            messages.info(self.request, note)
        from django.urls import reverse

        return HttpResponseRedirect(reverse(self.success_url_name))

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ImportTemplateView(PortalMixin, FormView):
    permission_action = "import"
    spec: ImportSpec
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        return workbook_response(template_workbook(self.spec, request.user), f"{self.spec.title}.xlsx")
