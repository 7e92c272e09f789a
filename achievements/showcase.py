"""The public showcase (案例分享): named studios and approved typical cases, for anyone.

Everything here is read through `public_*` selectors that return only what has been approved:
studios in the named state, and verified results approved by HQ as typical cases whose
intellectual property is not in dispute. No personal data (phones, ID numbers, contributors)
is ever passed to these templates.
"""

from itertools import groupby
from operator import attrgetter

from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from core.views import PublicView
from studios.choices import StudioLevel, StudioStatus
from studios.models import Studio

from .choices import CaseStatus, ResultStatus
from .models import Adoption, Result, ResultImage

PUBLIC_STUDIO_STATES = (StudioStatus.NAMED,)


def public_studios():
    return Studio.objects.filter(status__in=PUBLIC_STUDIO_STATES).select_related("unit", "kind", "lead")


def public_cases():
    places = (
        Adoption.objects.filter(result=OuterRef("pk")).order_by().values("result").annotate(n=Count("pk")).values("n")
    )
    return (
        Result.objects.filter(
            case_status=CaseStatus.APPROVED,
            status=ResultStatus.VERIFIED,
            ip_disputed=False,
            studio__status__in=PUBLIC_STUDIO_STATES,
        )
        .select_related("studio", "studio__unit")
        .prefetch_related(Prefetch("images", queryset=ResultImage.objects.order_by("id")))
        # A subquery per case shown, not a COUNT over a join: that grouped every approved case of
        # the tree before the newest twelve were cut out.
        .annotate(places=Coalesce(Subquery(places), 0))
        .order_by("-case_decided_on", "-id")
    )


# The directory of named studios comes a page at a time: a province has thousands of them and the
# nation a hundred thousand (the whole list made the public home page 0.7 MB and 0.25 s of CPU at
# province scale, issue #7's benchmark).
STUDIOS_PER_PAGE = 60


class ShowcaseHomeView(PublicView):
    def get(self, request):
        levels = list(reversed(StudioLevel.choices))  # national first
        rank = Case(
            *(When(level=value, then=Value(index)) for index, (value, _label) in enumerate(levels)),
            output_field=IntegerField(),
        )
        directory = (
            public_studios()
            .filter(level__in=[value for value, _label in levels])
            .alias(level_rank=rank)
            .order_by("level_rank", "unit__path", "name", "pk")
        )
        page = Paginator(directory, STUDIOS_PER_PAGE).get_page(request.GET.get("page"))
        labels = dict(levels)
        by_level = [(labels[level], list(group)) for level, group in groupby(page, key=attrgetter("level"))]
        return render(
            request,
            "showcase/home.html",
            {
                "by_level": by_level,
                "page": page,
                "cases": list(public_cases()[:12]),
                "studio_total": public_studios().count(),
            },
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
