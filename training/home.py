"""To-do items of the training app for the home page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.home import TodoItem, todo_provider

from .choices import ClassStatus
from .models import TrainingClass


@todo_provider
def classes_open_for_enrolment(user) -> list[TodoItem]:
    """Classes the user may enrol people in now (cadres their subtree, leads their team)."""
    if not (user.is_hq or user.is_unit_cadre or user.is_studio_lead):
        return []
    count = TrainingClass.objects.visible_to(user).filter(status=ClassStatus.ENROLLING).count()
    url = reverse("training:class_list") + f"?status={ClassStatus.ENROLLING}"
    return [TodoItem(title=_("Training classes open for enrolment"), count=count, url=url, icon="mortarboard")]
