from django.utils.translation import gettext_lazy as _

from core.search import MAX_PER_KIND, Hit, any_contains, rank_by, register

from .models import Project, Result


@register(_("Projects"), "kanban")
def search_projects(user, query):
    rows = (
        Project.objects.visible_to(user)
        .filter(any_contains(["title", "goals"], query))
        .select_related("studio")
        .annotate(rank=rank_by("title", query))
        .order_by("-rank", "-started_on")[:MAX_PER_KIND]
    )
    return [Hit(p.title, f"{p.studio} · {p.get_status_display()}", p.get_absolute_url(), p.rank) for p in rows]


@register(_("Innovation results"), "trophy")
def search_results(user, query):
    rows = (
        Result.objects.visible_to(user)
        .filter(any_contains(["title", "summary", "patent_no"], query))
        .select_related("studio")
        .annotate(rank=rank_by("title", query))
        .order_by("-rank", "-achieved_on")[:MAX_PER_KIND]
    )
    return [
        Hit(
            r.title, f"{r.studio} · {r.get_category_display()} · {r.get_status_display()}", r.get_absolute_url(), r.rank
        )
        for r in rows
    ]
