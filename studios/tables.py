import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import WRAP, DateColumn

from .models import Assessment, NamingBatch, Studio


class StudioTable(tables.Table):
    # Names wrap: in English the eight columns were wider than a 1366 px screen, the state cut off.
    name = tables.Column(linkify=True, attrs=WRAP)
    kind = tables.Column(attrs=WRAP)
    unit = tables.Column(order_by=("unit__path",), attrs=WRAP)
    lead = tables.Column(order_by=("lead__name",))
    level = tables.Column(attrs=WRAP)
    status = tables.Column()
    team_size = tables.Column(verbose_name=_("Team"), attrs={"td": {"class": "text-end"}})
    named_on = DateColumn(format="Y-m-d")

    class Meta:
        model = Studio
        fields = ("name", "kind", "unit", "lead", "level", "status", "team_size", "named_on")

    def render_level(self, record, value):
        if record.is_demonstration:
            return format_html('{} <span class="badge bg-warning text-dark">{}</span>', value, _("Demonstration"))
        return value

    def value_level(self, record):
        label = record.get_level_display()
        return f"{label} ({_('Demonstration')})" if record.is_demonstration else label

    def render_status(self, record, value):
        return format_html('<span class="badge status-{}">{}</span>', record.status, value)

    def value_status(self, record):
        return record.get_status_display()


class BatchTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name=_("Batch"), order_by=("year", "name"))
    year = tables.Column()
    level = tables.Column(attrs=WRAP)
    document_no = tables.Column()
    publicity_start = DateColumn(format="Y-m-d")
    publicity_end = DateColumn(format="Y-m-d")
    status = tables.Column()
    studio_count = tables.Column(verbose_name=_("Studios"), attrs={"td": {"class": "text-end"}})

    class Meta:
        model = NamingBatch
        fields = ("name", "year", "level", "document_no", "publicity_start", "publicity_end", "status", "studio_count")


class AssessmentTable(tables.Table):
    """The assessments of one round, a page at a time."""

    studio = tables.Column(linkify=lambda record: record.get_absolute_url(), order_by=("studio__name",))
    unit = tables.Column(accessor="studio__unit", verbose_name=_("Unit"), order_by=("studio__unit__path",))
    status = tables.Column()
    unit_score = tables.Column(attrs={"td": {"class": "text-end"}})
    grade = tables.Column()
    flags = tables.Column(empty_values=(), orderable=False, verbose_name=_("Flags"))

    class Meta:
        model = Assessment
        fields = ("studio", "unit", "status", "unit_score", "grade", "flags")

    def render_studio(self, record):
        return record.studio.name

    def render_flags(self, record):
        badges = []
        if record.no_verified_result:
            badges.append(format_html('<span class="badge bg-warning text-dark">{}</span>', _("No verified result")))
        if record.revocation_proposed:
            badges.append(format_html('<span class="badge bg-danger">{}</span>', _("Revocation proposed")))
        return format_html(" ".join(["{}"] * len(badges)), *badges) if badges else "—"

    def value_flags(self, record):
        return " ".join(
            str(label)
            for flag, label in (
                (record.no_verified_result, _("No verified result")),
                (record.revocation_proposed, _("Revocation proposed")),
            )
            if flag
        )
