"""The annual reports' pages (/reports/). The dashboards are in reports/dashboard_views.py."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views import View

from core.permissions import can
from core.views import (
    PortalMixin,
    ProtectedFileView,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedObjectMixin,
    TransitionView,
    add_errors,
)

from . import services
from .choices import ReportStatus
from .filters import AnnualReportFilterSet
from .forms import ReportRequestForm
from .models import AnnualReport
from .tables import AnnualReportTable

REPORTS = (_("Annual reports"), reverse_lazy("reports:report_list"))
# How often a page showing a report being prepared asks for its progress.
POLL_SECONDS = 2


def status_context(user, report: AnnualReport) -> dict:
    """What the status panel of a report shows (the detail page and its htmx refresh alike)."""
    return {
        "object": report,
        "poll_seconds": POLL_SECONDS,
        "can_download": report.is_finished and can(user, "download", report),
        "can_submit": report.status == ReportStatus.DONE and can(user, "submit", report),
    }


class ReportListView(ScopedListView):
    model = AnnualReport
    table_class = AnnualReportTable
    filterset_class = AnnualReportFilterSet
    create_url_name = "reports:report_create"
    list_select_related = ("unit", "requested_by")
    title = _("Annual reports")

    def get_breadcrumbs(self):
        return [(REPORTS[0], None)]


class ReportCreateView(ScopedCreateView):
    """Ask for a report: a year and a unit. Asking again while the same one is being prepared
    opens that one instead of starting another."""

    model = AnnualReport
    form_class = ReportRequestForm
    title = _("Ask for an annual report")

    def form_valid(self, form):
        try:
            report, created = services.report_request(
                actor=self.request.user, year=form.cleaned_data["year"], unit=form.cleaned_data["unit"]
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        # A new report's page says, while it is queued or running, that it is being prepared and
        # that a notification follows (reports/report_progress.html): a message here outlived the
        # build and stood next to "ready" and the downloads.
        if not created:
            messages.info(self.request, _("This report is already being prepared; here it is."))
        return HttpResponseRedirect(report.get_absolute_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form_intro"] = _(
            "The report counts the chosen unit and every unit below it, for the calendar year. It is "
            "prepared in the background: an Excel workbook and a PDF, with the figures as they are now."
        )
        return context

    def get_breadcrumbs(self):
        return [REPORTS, (self.title, None)]


class ReportDetailView(ScopedDetailView):
    model = AnnualReport
    template_name = "reports/report_detail.html"
    list_select_related = ("unit", "requested_by", "submitted_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(status_context(self.request.user, self.object))
        context["summary"] = summary_rows(self.object)
        return context

    def get_breadcrumbs(self):
        return [REPORTS, (str(self.object), None)]


def summary_rows(report: AnnualReport) -> list[dict]:
    """One line per indicator of the stored figures: label, main figure with its unit, rows."""
    from .indicators import INDICATORS

    stored = (report.data or {}).get("indicators", {})
    # In the registry's order (PostgreSQL's jsonb keeps no key order); codes no longer registered last.
    codes = [code for code in INDICATORS if code in stored] + [code for code in stored if code not in INDICATORS]
    rows = []
    for code in codes:
        item = stored[code]
        measures = item.get("measures") or [{}]
        main = measures[0]
        rows.append(
            {
                "code": code,
                "label": item.get("label", code),
                "value": figure_text((item.get("totals") or {}).get(main.get("code"), 0)),
                "unit": main.get("unit", ""),
                "rows": len(item.get("rows") or []),
                "is_table": bool(item.get("dimensions")),
            }
        )
    return rows


def figure_text(value) -> str:
    """A stored figure (an int, or a Decimal as a string after JSON) with thousands separators;
    two decimals only when it has a fraction (yuan, class hours)."""
    from decimal import Decimal, InvalidOperation

    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,.2f}"


class ReportProgressView(PortalMixin, ScopedObjectMixin, View):
    """The status panel alone, asked for by htmx every few seconds while the report is prepared;
    once it is ready (or failed) the panel it returns stops asking."""

    model = AnnualReport
    permission_action = "view"
    list_select_related = ("unit",)
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        report = self.get_object()
        response = render(request, "reports/report_progress.html", status_context(request.user, report))
        response["Cache-Control"] = "no-store"
        if request.htmx and not report.is_active:
            # It has just finished: reload the whole page, which now shows the figures and history.
            response["HX-Refresh"] = "true"
        return response


class ReportFileView(ProtectedFileView):
    """A finished report's workbook or PDF, for whoever may see the report."""

    model = AnnualReport
    permission_action = "download"
    list_select_related = ("unit",)

    def get_download_name(self, report, field_file) -> str:
        return report.download_name(field_file.name.rsplit(".", 1)[-1])


class ReportSubmitView(TransitionView):
    model = AnnualReport
    permission_action = "submit"
    list_select_related = ("unit",)
    title = _("Submit the report")
    button_label = _("Submit")
    button_class = "btn-success"
    confirm_message = _(
        "The report becomes the official one for its year and unit, with the figures it holds now; "
        "only one report per year and unit can be submitted."
    )
    success_message = _("The report was submitted.")

    def perform(self, form):
        return services.report_submit(
            actor=self.request.user, report=self.get_object(), comment=form.cleaned_data["comment"]
        )

    def get_breadcrumbs(self):
        report = self.get_object()
        return [REPORTS, (str(report), report.get_absolute_url()), (self.title, None)]
