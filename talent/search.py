from django.utils.translation import gettext_lazy as _

from core.search import MAX_PER_KIND, Hit, any_contains, rank_by, register

from .models import Person


@register(_("People"), "person-badge")
def search_people(user, query):
    rows = (
        Person.objects.visible_to(user)
        .filter(any_contains(["name", "employee_no", "post"], query))
        .select_related("unit")
        .annotate(rank=rank_by("name", query))
        .order_by("-rank", "name")[:MAX_PER_KIND]
    )
    return [Hit(p.name, f"{p.unit} · {p.post or '—'}", p.get_absolute_url(), p.rank) for p in rows]
