"""To-do items of the studios app for the home page (what waits for me)."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.home import TodoItem, todo_provider

from .choices import AssessmentStatus, BatchStatus, RoundStatus, StudioStatus
from .models import Assessment, NamingBatch, Studio
from .selectors import review_queue


@todo_provider
def studio_reviews(user) -> list[TodoItem]:
    count = review_queue(user).count() if (user.is_hq or user.is_unit_cadre or user.is_studio_lead) else 0
    if user.is_hq:
        title = _("Studio applications recommended for HQ review")
    elif user.is_unit_cadre:
        title = _("Studio applications to review")
    else:
        title = _("Studio applications to complete and submit")
    return [TodoItem(title=title, count=count, url=reverse("studios:review_queue"), icon="clipboard-check")]


@todo_provider
def batches_ready(user) -> list[TodoItem]:
    if not user.is_hq:
        return []
    ready = NamingBatch.objects.filter(
        status=BatchStatus.OPEN, publicity_end__lt=timezone.localdate(), studios__status=StudioStatus.PUBLICISED
    ).distinct()
    return [
        TodoItem(
            title=_("Naming batches whose public notice has ended"),
            count=ready.count(),
            url=reverse("studios:batch_list"),
            icon="award",
        )
    ]


@todo_provider
def assessments_waiting(user) -> list[TodoItem]:
    waiting = Assessment.objects.visible_to(user).filter(round__status=RoundStatus.OPEN)
    if user.is_hq:
        waiting, title = waiting.filter(status=AssessmentStatus.UNIT_SCORED), _("Assessments to grade")
    elif user.is_unit_cadre:
        waiting, title = waiting.filter(status=AssessmentStatus.SELF_SUBMITTED), _("Self-assessments to score")
    elif user.is_studio_lead:
        waiting, title = waiting.filter(status=AssessmentStatus.PENDING), _("Self-assessments to fill in")
    else:
        return []
    return [TodoItem(title=title, count=waiting.count(), url=reverse("studios:round_list"), icon="clipboard-data")]


@todo_provider
def rectification_due(user) -> list[TodoItem]:
    if not (user.is_hq or user.is_unit_cadre or user.is_studio_lead):
        return []
    rectifying = Studio.objects.visible_to(user).filter(status=StudioStatus.RECTIFYING)
    counts = rectifying.aggregate(
        all=Count("pk"), overdue=Count("pk", filter=Q(rectification_deadline__lt=timezone.localdate()))
    )
    items = [
        TodoItem(
            title=_("Studios in rectification"),
            count=counts["all"],
            url=reverse("studios:studio_list") + "?status=rectifying",
            icon="exclamation-triangle",
        )
    ]
    if counts["overdue"] and not user.is_studio_lead:
        # Past the deadline: HQ accepts the rectification or revokes; the unit follows it up.
        items.append(
            TodoItem(
                title=_("Rectifications past their deadline"),
                count=counts["overdue"],
                url=reverse("studios:studio_list") + "?status=rectifying",
                icon="alarm",
            )
        )
    return items
