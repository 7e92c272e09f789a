"""Who sees and acts on training classes (registered with core.permissions).

- A class belongs to its organiser unit. HQ and the cadres of the organiser's subtree organise it:
  edit it, open enrolment, start and finish it, keep its sessions and materials, show the sign-in
  QR code, record attendance by hand, read the feedback and print every certificate.
- A class is for the organiser's whole subtree: once it opens for enrolment, the cadres and studio
  leads of the units under the organiser see it. Before that only its organisers (and HQ and
  leadership, who see everything) do. Experts see no class.
- Enrolment: a unit cadre enrols the people of its own subtree; a studio lead enrols its team (the
  current members of the studios it leads, and itself). Each sees the enrolments it could have made,
  and the organisers see all of them. Whoever could enrol a person may cancel the place.
- Trainees themselves need no login: they sign in to a session with the QR code shown in the room
  and give feedback through the signed link they get on signing in (training.tokens).
"""

from django.db.models import Q

from core.permissions import ParentPolicy, Policy, in_user_subtree, register, unit_subtree_q

from .choices import PUBLISHED_STATES, ClassStatus
from .models import Attendance, Enrolment, Feedback, Material, Session, TrainingClass


def organises(user, training_class) -> bool:
    return user.is_hq or (user.is_unit_cadre and in_user_subtree(user, training_class.organiser))


def ancestor_paths(unit) -> list[str]:
    """The materialized paths of `unit` and every unit above it."""
    step = unit.steplen
    return [unit.path[:end] for end in range(step, len(unit.path) + 1, step)]


def class_is_for_q(user, prefix: str = "") -> Q:
    """Published classes organised by the user's unit or a unit above it."""
    if user.unit_id is None:
        return Q(pk__in=[])
    return Q(**{f"{prefix}organiser__path__in": ancestor_paths(user.unit), f"{prefix}status__in": PUBLISHED_STATES})


def team_people(user):
    """Person ids a studio lead enrols: the current members of the studios it leads, and itself."""
    from studios.models import Membership
    from studios.selectors import studios_led_by
    from talent.models import Person

    team = Membership.objects.filter(studio__in=studios_led_by(user).values("pk"), left_on__isnull=True)
    return Person.objects.filter(Q(pk__in=team.values("person")) | Q(user=user)).values("pk")


def enrollable_people_q(user, prefix: str = "") -> Q:
    """Q on Person (reached through `prefix`) for the people `user` may enrol."""
    if user.is_hq:
        return Q()
    if user.is_unit_cadre:
        return unit_subtree_q(user, f"{prefix}unit")
    if user.is_studio_lead:
        return Q(**{f"{prefix}pk__in": team_people(user)})
    return Q(pk__in=[])


def may_enrol_person(user, person) -> bool:
    from talent.models import Person

    if user.is_hq:
        return True
    return Person.objects.filter(enrollable_people_q(user), pk=person.pk).exists()


def sees_training(user) -> bool:
    return user.sees_everything or user.is_unit_cadre or user.is_studio_lead


@register(TrainingClass)
class TrainingClassPolicy(Policy):
    def scope(self, user, queryset):
        if user.sees_everything:
            return queryset
        if user.is_unit_cadre:
            return queryset.filter(unit_subtree_q(user, "organiser") | class_is_for_q(user))
        if user.is_studio_lead:
            return queryset.filter(class_is_for_q(user))
        return queryset.none()

    def can(self, user, action, obj=None):
        if obj is None:
            return {
                "view": sees_training(user),
                "add": user.is_hq or user.is_unit_cadre,
                "export": user.sees_everything or user.is_unit_cadre,
            }.get(action, False)
        if action == "view":
            return True  # the scope already decided
        if action == "export":
            # The attendance list: organisers and leadership see every row, other cadres their subtree's.
            return user.sees_everything or user.is_unit_cadre
        if action == "enrol":
            return obj.status == ClassStatus.ENROLLING and (user.is_hq or user.is_unit_cadre or user.is_studio_lead)
        if action in {"change", "manage", "read_feedback"}:
            return organises(user, obj) or (action == "read_feedback" and user.is_viewer)
        return False


def enrolment_scope_q(user) -> Q:
    if user.unit_id is None:
        return Q(pk__in=[])
    organised = unit_subtree_q(user, "training_class__organiser") if user.is_unit_cadre else Q(pk__in=[])
    return organised | enrollable_people_q(user, "person__")


@register(Enrolment)
class EnrolmentPolicy(Policy):
    def scope(self, user, queryset):
        if user.sees_everything:
            return queryset
        if user.is_unit_cadre or user.is_studio_lead:
            visible = TrainingClass.objects.visible_to(user).values("pk")
            return queryset.filter(enrolment_scope_q(user), training_class__in=visible)
        return queryset.none()

    def can(self, user, action, obj=None):
        if obj is None:
            return sees_training(user) and action == "view"
        if action in {"view", "certificate"}:
            return True  # the scope already decided
        if action == "cancel":
            return organises(user, obj.training_class) or (not user.is_viewer and may_enrol_person(user, obj.person))
        return False


@register(Session)
class SessionPolicy(ParentPolicy):
    parent = "training_class"
    actions = {"view": "view", "add": "manage", "change": "manage", "delete": "manage", "sign_in_code": "manage"}


@register(Material)
class MaterialPolicy(ParentPolicy):
    parent = "training_class"
    actions = {"view": "view", "add": "manage", "delete": "manage"}


@register(Attendance)
class AttendancePolicy(ParentPolicy):
    parent = "enrolment"
    actions = {"view": "view"}


@register(Feedback)
class FeedbackPolicy(Policy):
    """Feedback is read (as a summary, without names) by those who organise the class and leadership."""

    def scope(self, user, queryset):
        if user.sees_everything:
            return queryset
        if user.is_unit_cadre:
            return queryset.filter(unit_subtree_q(user, "enrolment__training_class__organiser"))
        return queryset.none()

    def can(self, user, action, obj=None):
        return action == "view" and (user.sees_everything or user.is_unit_cadre)
