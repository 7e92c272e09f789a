from django.utils.translation import gettext_lazy as _

from core.search import MAX_PER_KIND, Hit, any_contains, rank_by, ranked, register

from .models import Campaign, Person


@register(_("People"), "person-badge", list_url_name="talent:person_list")
def search_people(user, query):
    rows = ranked(
        Person.objects.visible_to(user).select_related("unit"), query, ["name", "employee_no", "post"], ["name", "id"]
    )
    return [Hit(p.name, f"{p.unit} · {p.post or '—'}", p.get_absolute_url(), rank) for p, rank in rows]


@register(_("Selection campaigns"), "award-fill", list_url_name="talent:campaign_list")
def search_campaigns(user, query):
    rows = (
        Campaign.objects.visible_to(user)
        .filter(any_contains(["name", "honour_title"], query))
        .annotate(rank=rank_by("name", query))
        .order_by("-rank", "-year", "-id")[:MAX_PER_KIND]
    )
    return [
        Hit(c.name, f"{c.year} · {c.honour_title} · {c.get_status_display()}", c.get_absolute_url(), c.rank)
        for c in rows
    ]
