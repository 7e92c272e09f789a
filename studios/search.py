from django.utils.translation import gettext_lazy as _

from core.search import MAX_PER_KIND, Hit, any_contains, rank_by, register

from .models import Studio


@register(_("Studios"), "lightbulb")
def search_studios(user, query):
    rows = (
        Studio.objects.visible_to(user)
        .filter(any_contains(["name", "specialty", "lead__name"], query))
        .select_related("unit", "lead")
        .annotate(rank=rank_by("name", query))
        .order_by("-rank", "-updated_at")[:MAX_PER_KIND]
    )
    return [Hit(s.name, f"{s.unit} · {s.lead} · {s.get_status_display()}", s.get_absolute_url(), s.rank) for s in rows]
