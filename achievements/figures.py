"""The achievements figures of a studio's annual self-assessment (see studios.assessment)."""

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from studios.assessment import figure_provider

from .choices import ResultStatus
from .models import Project, Result


@figure_provider(
    {
        "projects_started": _("Projects started in the year"),
        "projects_closed": _("Projects closed in the year"),
        "verified_results": _("Verified results in the year"),
        "benefit": _("Economic benefit of verified results"),
    },
    money=("benefit",),
)
def achievement_figures(studio, year) -> dict:
    projects = Project.objects.filter(Q(studio=studio) | Q(partner_studios=studio)).distinct()
    counts = Project.objects.filter(pk__in=projects.values("pk")).aggregate(
        started=Count("pk", filter=Q(started_on__year=year)),
        closed=Count("pk", filter=Q(status="closed", closed_on__year=year)),
    )
    results = Result.objects.filter(studio=studio, status=ResultStatus.VERIFIED, achieved_on__year=year).aggregate(
        verified=Count("pk"), benefit=Coalesce(Sum("benefit"), Decimal("0"))
    )
    return {
        "projects_started": counts["started"],
        "projects_closed": counts["closed"],
        "verified_results": results["verified"],
        "benefit": str(results["benefit"]),
    }
