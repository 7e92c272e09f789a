"""The public showcase (案例分享): named studios and approved typical cases, for anyone.

Everything here is read through `public_*` selectors that return only what has been approved:
studios in the named state, and verified results approved by HQ as typical cases whose
intellectual property is not in dispute. No personal data (phones, ID numbers, contributors)
is ever passed to these templates.
"""

from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from core.views import PublicView
from studios.choices import StudioLevel, StudioStatus
from studios.models import Studio

from .choices import CaseStatus, ResultStatus
from .models import Result, ResultImage

PUBLIC_STUDIO_STATES = (StudioStatus.NAMED,)


def public_studios():
    return Studio.objects.filter(status__in=PUBLIC_STUDIO_STATES).select_related("unit", "kind", "lead")


def public_cases():
    return (
        Result.objects.filter(
            case_status=CaseStatus.APPROVED,
            status=ResultStatus.VERIFIED,
            ip_disputed=False,
            studio__status__in=PUBLIC_STUDIO_STATES,
        )
        .select_related("studio", "studio__unit")
        .prefetch_related(Prefetch("images", queryset=ResultImage.objects.order_by("id")))
        .annotate(places=Count("adoptions", distinct=True))
        .order_by("-case_decided_on", "-id")
    )


class ShowcaseHomeView(PublicView):
    def get(self, request):
        studios = list(public_studios().order_by("unit__path", "name"))
        by_level = []
        for value, label in reversed(StudioLevel.choices):
            group = [s for s in studios if s.level == value]
            if group:
                by_level.append((label, group))
        return render(
            request,
            "showcase/home.html",
            {"by_level": by_level, "cases": list(public_cases()[:12]), "studio_total": len(studios)},
        )


class ShowcaseStudioView(PublicView):
    def get(self, request, pk):
        studio = get_object_or_404(public_studios(), pk=pk)
        honours = studio.lead.honours.filter(Q(kind="model_worker") | Q(kind="craftsman")).order_by("-year")
        return render(
            request,
            "showcase/studio.html",
            {"studio": studio, "honours": list(honours), "cases": list(public_cases().filter(studio=studio))},
        )


class ShowcaseCaseView(PublicView):
    def get(self, request, pk):
        case = get_object_or_404(public_cases(), pk=pk)
        return render(request, "showcase/case.html", {"case": case, "images": list(case.images.all())})


class ShowcaseImageView(PublicView):
    """A picture of an approved case; any other picture is 404 here (it stays private)."""

    thumbnail = False

    def get(self, request, pk):
        picture = get_object_or_404(ResultImage.objects.filter(result__in=public_cases().values("pk")), pk=pk)
        field = picture.thumbnail if self.thumbnail else picture.image
        try:
            response = FileResponse(field.open("rb"), content_type="image/jpeg" if self.thumbnail else None)
        except FileNotFoundError:
            raise Http404 from None
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "public, max-age=3600"
        return response
