from django.utils.translation import gettext_lazy as _

from core.search import Hit, ranked, register

from .models import Studio


@register(_("Studios"), "lightbulb", list_url_name="studios:studio_list")
def search_studios(user, query):
    rows = ranked(
        Studio.objects.visible_to(user).select_related("unit", "lead"),
        query,
        ["name", "specialty", "lead__name"],
        ["-updated_at", "-id"],
    )
    return [
        Hit(s.name, f"{s.unit} · {s.lead} · {s.get_status_display()}", s.get_absolute_url(), rank) for s, rank in rows
    ]
