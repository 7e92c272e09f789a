"""To-do items of projects and results for the home page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.home import TodoItem, todo_provider

from .choices import CaseStatus, ResultStatus
from .models import Result


@todo_provider
def results_waiting(user) -> list[TodoItem]:
    results = Result.objects.visible_to(user)
    items = []
    if user.is_unit_cadre or user.is_hq:
        count = results.filter(status=ResultStatus.SUBMITTED).count()
        items.append(
            TodoItem(
                _("Results to verify"), count, reverse("achievements:result_list") + "?status=submitted", "patch-check"
            )
        )
    if user.is_studio_lead:
        count = results.filter(status=ResultStatus.RETURNED).count()
        items.append(
            TodoItem(
                _("Returned results to correct"),
                count,
                reverse("achievements:result_list") + "?status=returned",
                "arrow-return-left",
            )
        )
    if user.is_hq:
        count = results.filter(case_status=CaseStatus.PROPOSED).count()
        items.append(TodoItem(_("Typical cases to approve"), count, reverse("achievements:result_list"), "trophy"))
    return items
