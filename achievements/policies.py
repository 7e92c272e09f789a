"""Projects and results are seen with their studio (a joint project also with its partner studios),
logged by whoever keeps the studio (its lead, the unit cadre, HQ) and verified by the unit."""

from core.permissions import ParentPolicy, Policy, can, register, scope
from studios.models import Studio

from .models import Adoption, Attachment, Award, Contributor, Milestone, Project, ProjectKind, Result, ResultImage


@register(Project)
class ProjectPolicy(Policy):
    def scope(self, user, queryset):
        if user.sees_everything:
            return queryset
        studios = scope(user, Studio.objects.all()).values("pk")
        # Own projects and partnerships as a UNION of two indexed lookups: an OR across the partner
        # join read every project of the tree (3 s for a studio lead at national scale).
        own = Project.objects.filter(studio__in=studios).order_by().values("pk")
        partnered = Project.partner_studios.through.objects.filter(studio__in=studios).order_by().values("project_id")
        return queryset.filter(pk__in=own.union(partnered))

    def can(self, user, action, obj=None):
        if obj is None:
            return {
                "view": can(user, "view", Studio),
                "export": can(user, "export", Studio),
                "add": can(user, "view", Studio) and not user.is_viewer,
            }.get(action, False)
        if action == "view":
            return True
        if action == "export":
            return can(user, "export", obj.studio)
        if action in {"change", "start", "close", "terminate", "manage_milestones"}:
            return can(user, "manage_achievements", obj.studio)
        return False


@register(Result)
class ResultPolicy(Policy):
    def scope(self, user, queryset):
        if user.sees_everything:
            return queryset
        return queryset.filter(studio__in=scope(user, Studio.objects.all()).values("pk"))

    def can(self, user, action, obj=None):
        if obj is None:
            return {
                "view": can(user, "view", Studio),
                "export": can(user, "export", Studio),
                "add": can(user, "view", Studio) and not user.is_viewer,
            }.get(action, False)
        if action == "view":
            return True
        if action == "export":
            return can(user, "export", obj.studio)
        if action in {"change", "submit", "add_adoption", "propose_case", "upload_image", "add_award", "attach"}:
            return can(user, "manage_achievements", obj.studio)
        if action in {"approve_case", "withdraw_case"}:
            return user.is_hq
        if action in {"verify", "return"}:
            return can(user, "review_unit", obj.studio)
        return False


@register(Contributor)
class ContributorPolicy(ParentPolicy):
    parent = "result"
    actions = {"view": "view"}


@register(Adoption)
class AdoptionPolicy(ParentPolicy):
    parent = "result"
    actions = {"view": "view", "add": "add_adoption"}


@register(ResultImage)
class ResultImagePolicy(ParentPolicy):
    parent = "result"
    actions = {"view": "view", "add": "upload_image", "delete": "upload_image"}


@register(Milestone)
class MilestonePolicy(ParentPolicy):
    parent = "project"
    actions = {"view": "view", "add": "manage_milestones", "change": "manage_milestones"}


@register(Award)
class AwardPolicy(ParentPolicy):
    parent = "result"
    actions = {"view": "view", "add": "add_award"}


@register(Attachment)
class AttachmentPolicy(ParentPolicy):
    parent = "result"
    actions = {"view": "view", "add": "attach"}


@register(ProjectKind)
class ProjectKindPolicy(Policy):
    def scope(self, user, queryset):
        return queryset

    def can(self, user, action, obj=None):
        return user.is_hq if action in {"view", "add", "change"} else False
