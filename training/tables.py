import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import WRAP, DateColumn

from .models import TrainingClass


class ClassTable(tables.Table):
    title = tables.Column(linkify=True, attrs=WRAP)
    kind = tables.Column(attrs=WRAP)
    organiser = tables.Column(order_by=("organiser__path",), attrs=WRAP)
    starts_on = DateColumn(format="Y-m-d")
    ends_on = DateColumn(format="Y-m-d")
    place = tables.Column(attrs=WRAP)
    status = tables.Column()
    enrolled_count = tables.Column(verbose_name=_("Enrolled"), attrs={"td": {"class": "text-end"}})
    capacity = tables.Column(attrs={"td": {"class": "text-end"}})
    waiting_count = tables.Column(verbose_name=_("Waiting"), attrs={"td": {"class": "text-end"}})

    class Meta:
        model = TrainingClass
        fields = (
            "title",
            "kind",
            "organiser",
            "starts_on",
            "ends_on",
            "place",
            "status",
            "enrolled_count",
            "capacity",
            "waiting_count",
        )

    def render_status(self, record, value):
        return format_html('<span class="badge training-{}">{}</span>', record.status, value)

    def value_status(self, record):
        return record.get_status_display()
