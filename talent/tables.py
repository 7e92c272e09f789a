import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import WRAP, DateColumn

from .choices import CampaignStatus
from .models import Campaign, Person


class PersonTable(tables.Table):
    """No personal data (phone, ID number) here: the table is exported too."""

    name = tables.Column(linkify=True)
    employee_no = tables.Column()
    unit = tables.Column(order_by=("unit__path",), attrs=WRAP)
    team_group = tables.Column()
    post = tables.Column(attrs=WRAP)
    skill_grade = tables.Column()

    class Meta:
        model = Person
        fields = ("name", "gender", "employee_no", "unit", "team_group", "post", "skill_grade")


class CampaignTable(tables.Table):
    name = tables.Column(linkify=True, attrs=WRAP)
    kind = tables.Column(attrs=WRAP)
    year = tables.Column()
    honour_title = tables.Column(verbose_name=_("Honour or award"), attrs=WRAP)
    honour_level = tables.Column()
    quota = tables.Column(attrs={"td": {"class": "text-end"}})
    nomination_count = tables.Column(verbose_name=_("Nominations"), attrs={"td": {"class": "text-end"}})
    nominations_close_on = DateColumn(format="Y-m-d")
    status = tables.Column()

    class Meta:
        model = Campaign
        fields = (
            "name",
            "kind",
            "year",
            "honour_title",
            "honour_level",
            "quota",
            "nomination_count",
            "nominations_close_on",
            "status",
        )

    def render_status(self, record, value):
        return format_html('<span class="badge {}">{}</span>', STATUS_BADGES.get(record.status, "bg-secondary"), value)

    def value_status(self, record):
        return record.get_status_display()


STATUS_BADGES = {
    CampaignStatus.OPEN: "text-bg-primary",
    CampaignStatus.SCORING: "text-bg-warning",
    CampaignStatus.PUBLICISED: "text-bg-info",
    CampaignStatus.CLOSED: "text-bg-secondary",
}
