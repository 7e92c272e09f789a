from django.utils.translation import gettext_lazy as _

from core.search import MAX_PER_KIND, Hit, any_contains, rank_by, register

from .models import Alliance


@register(_("Alliances"), "diagram-2", list_url_name="alliances:alliance_list")
def search_alliances(user, query):
    rows = (
        Alliance.objects.visible_to(user)
        .filter(any_contains(["name", "theme"], query))
        .select_related("lead_unit")
        .annotate(rank=rank_by("name", query))
        .order_by("-rank", "-founded_on", "-id")[:MAX_PER_KIND]
    )
    return [
        Hit(a.name, f"{a.lead_unit} · {a.theme} · {a.get_status_display()}", a.get_absolute_url(), a.rank) for a in rows
    ]
