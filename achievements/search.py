from django.utils.translation import gettext_lazy as _

from core.search import Hit, ranked, register

from .models import Project, Result


@register(_("Projects"), "kanban", list_url_name="achievements:project_list")
def search_projects(user, query):
    rows = ranked(
        Project.objects.visible_to(user).select_related("studio"), query, ["title", "goals"], ["-started_on", "-id"]
    )
    return [Hit(p.title, f"{p.studio} · {p.get_status_display()}", p.get_absolute_url(), rank) for p, rank in rows]


@register(_("Innovation results"), "trophy", list_url_name="achievements:result_list")
def search_results(user, query):
    rows = ranked(
        Result.objects.visible_to(user).select_related("studio"),
        query,
        ["title", "summary", "patent_no"],
        ["-achieved_on", "-id"],
    )
    return [
        Hit(r.title, f"{r.studio} · {r.get_category_display()} · {r.get_status_display()}", r.get_absolute_url(), rank)
        for r, rank in rows
    ]
