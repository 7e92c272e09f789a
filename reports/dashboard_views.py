"""The dashboards (数据看板): HQ's for the whole company, a unit cadre's for its subtree.

Who may look: `view_statistics` on units (accounts.policies.UnitPolicy) — HQ and leadership for
any unit, a unit cadre for its own subtree; a unit outside the user's scope is a 404.

The year: the current year (Asia/Shanghai) unless another is picked. A union cadre opens the
dashboard to follow this year's work as it happens (the annual report covers the finished year and
any past year can be picked); for the running year the figures are "so far", and the page says so.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.models import Unit
from core.exports import rows_to_workbook, workbook_response
from core.navigation import address
from core.page_cache import KeptPageMixin
from core.permissions import can
from core.views import PortalMixin, PortalTemplateView

from .dashboard import TABLE_CODES, TREND_YEARS, dashboard_cached, dashboard_entry

FIRST_YEAR = 1990
# The unit picker lists the top of the user's scope and two levels below it (a national tree has
# thousands of units); any deeper unit of the scope can still be opened by its link.
PICKER_DEPTH = 2


def current_year() -> int:
    return timezone.localdate().year


def default_unit(user) -> Unit:
    """HQ and leadership: the top of the tree they belong to; a unit cadre: its own unit."""
    if user.is_unit_cadre:
        if user.unit_id is None:
            raise PermissionDenied
        return user.unit
    if user.unit_id is not None:
        if user.unit.depth == 1:
            return user.unit
        root = Unit.objects.filter(path=user.unit.path[: Unit.steplen]).first()
        if root is not None:
            return root
    root = Unit.objects.get_first_root_node()
    if root is None:
        raise Http404
    return root


class DashboardScopeMixin:
    """The year and unit of the request (?year=&unit=), checked against the rule set."""

    model = Unit
    permission_action = "view_statistics"

    def get_default_unit(self) -> Unit:
        if getattr(self, "_default_unit", None) is None:
            self._default_unit = default_unit(self.request.user)
        return self._default_unit

    def get_scope(self) -> tuple[int, Unit]:
        if getattr(self, "_scope", None) is None:
            self._scope = self._read_scope()
        return self._scope

    def _read_scope(self) -> tuple[int, Unit]:
        request = self.request
        this_year = current_year()
        raw_year = request.GET.get("year") or ""
        if raw_year:
            try:
                year = int(raw_year)
            except ValueError:
                raise Http404 from None
            if not FIRST_YEAR <= year <= this_year:
                raise Http404
        else:
            year = this_year
        raw_unit = request.GET.get("unit") or ""
        if raw_unit:
            try:
                unit_pk = int(raw_unit)
            except ValueError:
                raise Http404 from None
            unit = Unit.objects.visible_to(request.user).filter(pk=unit_pk).first()
            if unit is None:
                raise Http404
        else:
            unit = self.get_default_unit()
        if not can(request.user, "view_statistics", unit):
            raise PermissionDenied
        return year, unit


class DashboardView(DashboardScopeMixin, KeptPageMixin, PortalTemplateView):
    """The page is kept whole per user (core.page_cache) while no audited write touches the
    figures of its unit's subtree (nor a global one happens); figures served stale (a worker
    recomputing them) are drawn but not kept."""

    template_name = "reports/dashboard.html"
    kept_page_name = "dashboard"

    def kept_page_scope(self) -> str:
        return self.get_scope()[1].path

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year, unit = self.get_scope()
        entry = dashboard_entry(year, unit, stamp=self.kept_page_stamp)
        if entry.stale:
            self.keep_page = False
        data = entry.data
        this_year = current_year()
        years = list(range(this_year, this_year - TREND_YEARS, -1))
        if year not in years:
            years.append(year)
        user = self.request.user
        top = self.get_default_unit()
        units = list(
            Unit.objects.visible_to(user)
            .filter(path__startswith=top.path, depth__lte=top.depth + PICKER_DEPTH, is_active=True)
            .only("pk", "name", "depth", "path")
        )
        if unit.pk not in {u.pk for u in units}:
            units.append(unit)
        context.update(
            title=_("Dashboard"),
            data=data,
            stale_since=timezone.localtime(entry.computed_at) if entry.stale else None,
            year=year,
            unit=unit,
            years=years,
            units=[(u, "　" * max(u.depth - top.depth, 0)) for u in units],
            so_far=year == this_year,
            today=timezone.localdate(),
            charts=[{**chart, "export_url": export_url(code, year, unit)} for code, chart in data["charts"].items()],
            exports={"kpis": export_url("kpis", year, unit)},
            chart_data={"charts": data["charts"], "texts": chart_texts()},
        )
        return context


def export_url(code: str, year: int, unit: Unit) -> str:
    """The address of one chart's figures as an Excel sheet (DashboardChartExportView)."""
    return f"{address('dashboard:chart_xlsx', code)}?year={year}&unit={unit.pk}"


def chart_texts() -> dict:
    """The words the charts' script shows (translated here; the script holds none)."""
    return {
        "empty": _("No figures for this year."),
        "open": _("Click a figure to open the list behind it."),
    }


class DashboardChartExportView(DashboardScopeMixin, PortalMixin, View):
    """One chart's figures (or the key figures) as an Excel sheet, with Chinese headers: the same
    cached data the page draws."""

    def get(self, request, code):
        if code not in TABLE_CODES:
            raise Http404
        year, unit = self.get_scope()
        table = dashboard_cached(year, unit)["tables"][code]
        title = f"{table['title']} {unit.name} {year}"
        workbook = rows_to_workbook(table["title"], [table["header"], *table["rows"]])
        return workbook_response(workbook, f"{title}.xlsx")
