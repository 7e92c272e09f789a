from decimal import Decimal

from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from .models import Adoption, Project, Result


def _count_of(model, link: str):
    """The number of `model` rows pointing at the outer row through `link`: a correlated subquery,
    evaluated only for the rows of the page shown (a COUNT over a join grouped every row of the
    tree before one page was cut out: 8 s for the results list at national scale)."""
    return Coalesce(
        Subquery(
            model.objects.filter(**{link: OuterRef("pk")}).order_by().values(link).annotate(n=Count("pk")).values("n")
        ),
        0,
    )


def project_list(user):
    return (
        Project.objects.visible_to(user)
        .select_related("studio", "studio__unit", "leader", "kind")
        .annotate(result_count=_count_of(Result, "project"))
        .order_by("-started_on", "-id")
    )


def result_list(user):
    return (
        Result.objects.visible_to(user)
        .select_related("studio", "studio__unit")
        .annotate(adoption_count=_count_of(Adoption, "result"))
        .order_by("-achieved_on", "-id")
    )


def adoption_totals(result) -> dict:
    return Adoption.objects.filter(result=result).aggregate(
        places=Count("pk"), benefit=Coalesce(Sum("yearly_benefit"), Decimal("0"))
    )


def verified_result_count(studio) -> int:
    return Result.objects.filter(studio=studio, status="verified").count()


def studio_achievements(studio, user):
    """Projects and results shown on a studio's page (each with the user's scope applied)."""
    # The studio's own projects and those it is a partner of, as one small set of ids: an OR
    # across the partner join made the database read every project of the tree.
    own_or_partner = (
        Project.objects.filter(studio=studio)
        .order_by()
        .values("pk")
        .union(Project.partner_studios.through.objects.filter(studio=studio).order_by().values("project_id"))
    )
    projects = Project.objects.visible_to(user).filter(pk__in=own_or_partner)
    return (
        list(projects.select_related("leader").order_by("-started_on")),
        list(Result.objects.visible_to(user).filter(studio=studio).order_by("-achieved_on")),
    )


def person_contributions(user, person) -> list:
    """The results a person contributed to (that the user may see), with the person's rank."""
    from .models import Contributor

    return list(
        Contributor.objects.filter(person=person, result__in=Result.objects.visible_to(user).values("pk"))
        .select_related("result", "result__studio")
        .order_by("-result__achieved_on", "-result_id")
    )
