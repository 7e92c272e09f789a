"""Excel import: a template to download, every row validated, a report of each bad row, and
all-or-nothing (one bad row and nothing is imported).

An app declares an `ImportSpec`: the columns (header, form field) and `create(actor, data)`,
which calls the same service the pages use, so imported rows are checked and audited alike.
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
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from .exports import workbook_response
from .forms import PortalForm
from .uploads import clean_document
from .views import BreadcrumbMixin, PortalMixin

MAX_ROWS = 5000


@dataclass
class ImportResult:
    created: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


class ImportSpec:
    """Subclass: set `title`, `row_form` (a Form whose field labels are the Excel headers),
    `example` (one example row, by field name) and implement `create(actor, data)`."""

    title: str
    row_form: type[forms.Form]
    example: dict = {}

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


def read_rows(spec: ImportSpec, upload) -> list[tuple[int, dict]]:
    """The data rows by field name, with their Excel row numbers. Raises ValidationError for a bad file."""
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
    accepted = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            accepted.append(spec.headers())
    if not any(header[: len(columns)] == columns for columns in accepted):
        raise ValidationError(
            _("The columns do not match the template. Expected: %(columns)s") % {"columns": "、".join(expected)}
        )
    names = spec.field_names()
    result = []
    for number, values in enumerate(rows, start=2):
        cells = [_cell(v) for v in values[: len(names)]]
        if not any(cells):
            continue
        if len(result) >= MAX_ROWS:
            raise ValidationError(_("At most %(n)s rows can be imported at once.") % {"n": MAX_ROWS})
        result.append((number, dict(zip(names, cells + [""] * (len(names) - len(cells)), strict=True))))
    if not result:
        raise ValidationError(_("The file has no data rows."))
    return result


def run_import(spec: ImportSpec, upload, actor) -> ImportResult:
    result = ImportResult()
    rows = read_rows(spec, upload)
    with transaction.atomic():
        for number, values in rows:
            form = spec.row_form(data=values)
            spec.prepare(actor, form)
            if not form.is_valid():
                for name, errors in form.errors.items():
                    label = form.fields[name].label if name in form.fields else _("Row")
                    result.errors.append((number, f"{label}: {' '.join(errors)}"))
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


def template_workbook(spec: ImportSpec, actor) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(spec.title)[:31]
    sheet.append(spec.headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append([str(spec.example.get(name, "")) for name in spec.field_names()])  # lazy labels in this language
    for index, header in enumerate(spec.headers(), start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(12, len(header) * 2 + 2)
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
        if result.errors:
            context = self.get_context_data(form=form, errors=result.errors)
            return render(self.request, self.template_name, context, status=400)
        messages.success(self.request, _("%(n)s rows were imported.") % {"n": result.created})
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
