import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import WRAP, DateColumn

from .choices import STATUS_BADGE
from .models import GraduationAssessment, Pairing


def assessment_of(pairing):
    """The pairing's graduation assessment, or None (read from select_related: no query)."""
    try:
        return pairing.assessment
    except GraduationAssessment.DoesNotExist:
        return None


class PairingTable(tables.Table):
    mentor = tables.Column(linkify=lambda record: record.get_absolute_url(), order_by=("mentor__name",))
    apprentice = tables.Column(order_by=("apprentice__name",))
    # The studio's and unit's names wrap: in English the table was wider than a 1366 px screen.
    target = tables.Column(verbose_name=_("Studio or alliance"), empty_values=(), orderable=False, attrs=WRAP)
    unit = tables.Column(order_by=("unit__path",), attrs=WRAP)
    agreement_on = DateColumn(format="Y-m-d")
    term_months = tables.Column(attrs={"td": {"class": "text-end"}})
    term_ends_on = DateColumn(format="Y-m-d")
    status = tables.Column(attrs=WRAP)  # a second badge ("term over, not assessed") goes below
    graduation = tables.Column(verbose_name=_("Graduation assessment"), empty_values=(), orderable=False)

    class Meta:
        model = Pairing
        fields = (
            "mentor",
            "apprentice",
            "target",
            "unit",
            "agreement_on",
            "term_months",
            "term_ends_on",
            "status",
            "graduation",
        )

    def render_target(self, record):
        return record.target

    def value_target(self, record):
        return str(record.target)

    def render_status(self, record, value):
        badge = format_html('<span class="badge {}">{}</span>', STATUS_BADGE.get(record.status, "bg-secondary"), value)
        if record.term_over:
            badge += format_html(' <span class="badge bg-warning text-dark">{}</span>', _("Term over"))
        return badge

    def value_status(self, record):
        return record.get_status_display()

    def render_graduation(self, record):
        assessment = assessment_of(record)
        return f"{assessment.get_grade_display()} · {assessment.score}" if assessment else "—"

    def value_graduation(self, record):
        return self.render_graduation(record)
