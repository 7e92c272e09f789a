import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import WRAP, DateTimeColumn

from .models import AnnualReport


class AnnualReportTable(tables.Table):
    title = tables.Column(
        verbose_name=_("Report"),
        accessor="pk",
        linkify=lambda record: record.get_absolute_url(),
        orderable=False,
        attrs=WRAP,
    )
    year = tables.Column()
    unit = tables.Column(order_by=("unit__path",), attrs=WRAP)
    status = tables.Column()
    progress = tables.Column(attrs={"td": {"class": "text-end"}})
    attempts = tables.Column(attrs={"td": {"class": "text-end"}})
    requested_by = tables.Column(default=_("System"))
    created_at = DateTimeColumn(verbose_name=_("Requested at"), format="Y-m-d H:i")
    finished_at = DateTimeColumn(format="Y-m-d H:i")

    class Meta:
        model = AnnualReport
        fields = (
            "title",
            "year",
            "unit",
            "status",
            "progress",
            "attempts",
            "requested_by",
            "created_at",
            "finished_at",
        )
        attrs = {"data-testid": "reports"}

    def render_title(self, record):
        return str(record)

    def value_title(self, record):
        return str(record)

    def render_status(self, record, value):
        return format_html('<span class="badge {}">{}</span>', record.badge_class, value)

    def value_status(self, record):
        return record.get_status_display()

    def render_requested_by(self, value):
        return value.display_name

    def render_progress(self, value):
        return f"{value}%"
