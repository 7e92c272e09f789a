from django.utils.translation import gettext_lazy as _

from core.search import Hit, ranked, register

from .models import TrainingClass


@register(_("Training classes"), "mortarboard", list_url_name="training:class_list")
def search_classes(user, query):
    rows = ranked(
        TrainingClass.objects.visible_to(user).select_related("organiser"),
        query,
        ["title", "place"],
        ["-starts_on", "-id"],
    )
    return [
        Hit(c.title, f"{c.organiser} · {c.starts_on:%Y-%m-%d} · {c.get_status_display()}", c.get_absolute_url(), rank)
        for c, rank in rows
    ]
