from django.utils.translation import gettext_lazy as _

from core.search import MAX_PER_KIND, Hit, any_contains, rank_by, register

from .models import TrainingClass


@register(_("Training classes"), "mortarboard")
def search_classes(user, query):
    rows = (
        TrainingClass.objects.visible_to(user)
        .filter(any_contains(["title", "place"], query))
        .select_related("organiser")
        .annotate(rank=rank_by("title", query))
        .order_by("-rank", "-starts_on", "-id")[:MAX_PER_KIND]
    )
    return [
        Hit(c.title, f"{c.organiser} · {c.starts_on:%Y-%m-%d} · {c.get_status_display()}", c.get_absolute_url(), c.rank)
        for c in rows
    ]
