from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliances.choices import AllianceStatus
from alliances.models import Alliance
from core.permissions import can
from core.pickers import PICK_PARAM, pick_response
from core.views import (
    PortalTemplateView,
    ProtectedFileView,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    TransitionView,
    download_refused,
)
from studios.models import Studio
from studios.services import CLOSED_STATES as CLOSED_STUDIO_STATES
from talent.choices import SkillGrade
from talent.models import Person

from . import selectors, services
from .choices import PairingStatus
from .documents import rewards_workbook_response
from .filters import PairingFilterSet
from .forms import (
    AssessForm,
    EndForm,
    GradeChangeForm,
    PairingForm,
    PairingTargetForm,
    PlacementForm,
    ProgressForm,
    RewardRuleForm,
    RewardYearForm,
)
from .models import Pairing, RewardRule
from .tables import PairingTable, assessment_of

PAIRINGS = (_("Mentor pairings"), reverse_lazy("mentoring:pairing_list"))
REWARDS = (_("Mentor rewards"), reverse_lazy("mentoring:reward_list"))
RULE = (_("Mentor reward rule"), reverse_lazy("mentoring:reward_rule"))


class PairingListView(ScopedListView):
    model = Pairing
    keep_page = True
    table_class = PairingTable
    filterset_class = PairingFilterSet
    create_url_name = "mentoring:pairing_create"
    title = _("Mentor pairings")

    def get_queryset(self):
        return selectors.pairing_list(self.request.user)

    def get_breadcrumbs(self):
        return [(PAIRINGS[0], None)]


def target_choices(user):
    """The studios and alliances in which the user may set up a pairing."""
    studios = (
        Studio.objects.visible_to(user)
        .exclude(status__in=CLOSED_STUDIO_STATES)
        .select_related("unit")
        .order_by("unit__path", "name")
    )
    alliances = Alliance.objects.exclude(status=AllianceStatus.DISSOLVED).order_by("name")
    if user.is_hq:
        pass
    elif user.is_unit_cadre:
        alliances = alliances.filter(lead_unit__path__startswith=user.unit.path)
    else:
        alliances = alliances.none()
    return studios, alliances


class PairingCreateView(ScopedCreateView):
    """A new pairing, in a studio (?studio=) or an alliance (?alliance=). Without one, the page
    first asks which: the people offered depend on it."""

    model = Pairing
    form_class = PairingForm
    title = _("New mentor pairing")
    success_message = _("The pairing was recorded. Log its progress here as the term goes on.")

    def dispatch(self, request, *args, **kwargs):
        self._target_form = None
        return super().dispatch(request, *args, **kwargs)

    def target_form(self):
        if self._target_form is None:
            studios, alliances = target_choices(self.request.user)
            chosen = {k: v for k, v in self.request.GET.items() if k in ("studio", "alliance") and v}
            self._target_form = PairingTargetForm(
                chosen or None, user=self.request.user, studios=studios, alliances=alliances
            )
            if chosen and self._target_form.is_valid():
                data = self._target_form.cleaned_data
                if (data["studio"] is None) == (data["alliance"] is None):
                    self._target_form.add_error(None, _("Choose either a studio or an alliance."))
        return self._target_form

    def target(self):
        form = self.target_form()
        if not form.is_bound or not form.is_valid():
            return None, None
        return form.cleaned_data["studio"], form.cleaned_data["alliance"]

    def choose(self, status=200):
        from django.shortcuts import render

        form = self.target_form()
        context = {
            "form": form,
            "title": self.title,
            "breadcrumbs": [PAIRINGS, (self.title, None)],
        }
        return render(self.request, "mentoring/pairing_choose.html", context, status=status)

    def get(self, request, *args, **kwargs):
        studio, alliance = self.target()
        if studio is None and alliance is None and PICK_PARAM in request.GET:
            return pick_response(self.target_form(), request)  # the studio or alliance picker's search
        if studio is None and alliance is None:
            return self.choose(status=400 if self.target_form().is_bound else 200)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        studio, alliance = self.target()
        if studio is None and alliance is None:
            return self.choose(status=400)
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["studio"], kwargs["alliance"] = self.target()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        studio, alliance = self.target()
        context["object"] = studio or alliance
        return context

    def perform(self, form):
        studio, alliance = self.target()
        return services.pairing_create(actor=self.request.user, studio=studio, alliance=alliance, **form.cleaned_data)

    def get_breadcrumbs(self):
        return [PAIRINGS, (self.title, None)]


class PairingDetailView(ScopedDetailView):
    model = Pairing
    template_name = "mentoring/pairing_detail.html"
    list_select_related = (*selectors.DISPLAY_RELATED, "assessment", "assessment__recorded_by", "recorded_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pairing, user = self.object, self.request.user
        manages = can(user, "change", pairing)
        active = pairing.status == PairingStatus.ACTIVE
        people = [pairing.mentor_id, pairing.apprentice_id]
        context.update(
            assessment=assessment_of(pairing),
            progress=list(selectors.progress_of(pairing)),
            placements=list(selectors.placements_of(pairing)),
            grade_changes=list(selectors.grade_changes_in_term(pairing)),
            visible_people=set(Person.objects.visible_to(user).filter(pk__in=people).values_list("pk", flat=True)),
            term_over=pairing.term_over,
            manages=manages,
            can_change=manages and active,
            can_log=manages and active,
            can_assess=manages and active,
            can_end=manages and active,
            can_add_placement=manages,
            can_record_grade=can(user, "record_grade", pairing),
        )
        return context

    def get_breadcrumbs(self):
        return [PAIRINGS, (str(self.object), None)]


class PairingChildMixin:
    model = Pairing
    list_select_related = (
        "studio",
        "alliance",
        "alliance__lead_unit",
        "unit",
        "mentor",
        "apprentice",
        "apprentice__unit",
    )

    def get_breadcrumbs(self):
        pairing = self.get_object()
        return [PAIRINGS, (str(pairing), pairing.get_absolute_url()), (self.title, None)]


class PairingUpdateView(PairingChildMixin, ScopedUpdateView):
    form_class = PairingForm
    title = _("Edit mentor pairing")

    def perform(self, form):
        return services.pairing_update(actor=self.request.user, pairing=self.get_object(), **form.cleaned_data)


class PairingAgreementView(ProtectedFileView):
    model = Pairing
    file_field = "agreement"
    list_select_related = ("mentor", "apprentice")

    def get_download_name(self, obj, field_file):
        extension = field_file.name.rsplit(".", 1)[-1]
        return f"{_('Mentoring agreement')}-{obj.mentor.name}-{obj.apprentice.name}.{extension}"


class ProgressCreateView(PairingChildMixin, ScopedUpdateView):
    permission_action = "log_progress"
    form_class = ProgressForm
    title = _("Log progress")
    success_message = _("The progress was logged.")

    def perform(self, form):
        services.progress_add(actor=self.request.user, pairing=self.get_object(), **form.cleaned_data)
        return self.get_object()

    def get_success_url(self):
        return self.get_object().get_absolute_url() + "#progress"


class PlacementCreateView(PairingChildMixin, ScopedUpdateView):
    permission_action = "add_placement"
    form_class = PlacementForm
    title = _("Record a competition placement")
    success_message = _("The placement was recorded.")

    def perform(self, form):
        services.placement_add(actor=self.request.user, pairing=self.get_object(), **form.cleaned_data)
        return self.get_object()

    def get_success_url(self):
        return self.get_object().get_absolute_url() + "#placements"


class PairingGradeView(PairingChildMixin, ScopedUpdateView):
    """Record a skill-grade change of the apprentice (in the people registry) from the pairing."""

    permission_action = "record_grade"
    form_class = GradeChangeForm
    title = _("Record the apprentice's skill-grade change")
    success_message = _("The skill-grade change was recorded.")

    def perform(self, form):
        services.pairing_grade_change(actor=self.request.user, pairing=self.get_object(), **form.cleaned_data)
        return self.get_object()

    def get_success_url(self):
        return self.get_object().get_absolute_url() + "#grades"


class PairingAssessView(PairingChildMixin, TransitionView):
    permission_action = "assess"
    form_class = AssessForm
    title = _("Graduation assessment")
    button_label = _("Record the assessment")
    button_class = "btn-success"
    confirm_message = _(
        "Recorded once: a pass or an excellent graduates the apprentice, a fail closes the pairing as not graduated."
    )
    success_message = _("The graduation assessment was recorded.")

    def perform(self, form):
        services.pairing_assess(actor=self.request.user, pairing=self.get_object(), **form.cleaned_data)
        return self.get_object()


class PairingEndView(PairingChildMixin, TransitionView):
    permission_action = "end"
    form_class = EndForm
    title = _("End the pairing early")
    button_label = _("End the pairing")
    button_class = "btn-danger"
    confirm_message = _("The pairing stops before its term, without a graduation assessment.")
    success_message = _("The pairing was ended.")

    def perform(self, form):
        return services.pairing_end(actor=self.request.user, pairing=self.get_object(), **form.cleaned_data)


# Reward rule and rewards --------------------------------------------------------------------------


class RewardRuleView(PortalTemplateView):
    model = RewardRule
    template_name = "mentoring/reward_rule.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rule = RewardRule.current()
        context.update(
            rule=rule,
            rates=[(label, rule.rate_for(grade)) for grade, label in SkillGrade.choices],
            can_change=can(self.request.user, "change", rule),
        )
        return context

    def get_breadcrumbs(self):
        return [REWARDS, (RULE[0], None)]


class RewardRuleUpdateView(ScopedUpdateView):
    model = RewardRule
    form_class = RewardRuleForm
    title = _("Edit mentor reward rule")
    success_message = _("The mentor reward rule was saved. The lists of rewards due are computed with it from now on.")

    def get_object(self, queryset=None):
        rule = RewardRule.current()
        if not can(self.request.user, "change", rule):
            raise PermissionDenied
        return rule

    def perform(self, form):
        return services.reward_rule_update(actor=self.request.user, **form.cleaned_data)

    def get_breadcrumbs(self):
        return [REWARDS, RULE, (self.title, None)]


class RewardListView(PortalTemplateView):
    """The rewards due to mentors for a year under the current rule (?year=2025), with totals and
    an Excel export of every line (?export=xlsx). A cadre sees its own unit subtree."""

    model = RewardRule
    permission_action = "view_rewards"
    template_name = "mentoring/reward_list.html"
    page_size = 50

    def get(self, request, *args, **kwargs):
        if PICK_PARAM in request.GET:  # the unit picker's search (core.pickers)
            return pick_response(RewardYearForm(user=request.user), request)
        today = timezone.localdate()
        # This year unless the query names one: the first visit names none, nor may a link to it
        # (?export=xlsx, ?page=2). The page's own links carry the year shown.
        data = request.GET.copy()
        data.setdefault("year", str(today.year))
        form = RewardYearForm(data, user=request.user)
        if not form.is_valid():
            context = self.get_context_data(form=form, lines=None)
            return self.render_to_response(context, status=400)
        year, unit = form.cleaned_data["year"], form.cleaned_data["unit"]
        rule = RewardRule.current()
        pairings = selectors.reward_scope(request.user, unit=unit)
        figures = {"year": year, "rule": rule, "today": today}
        lines = selectors.reward_lines(pairings, **figures)
        if request.GET.get("export") == "xlsx":
            if not can(request.user, "export_rewards", RewardRule):
                raise PermissionDenied
            # One download is bounded: the whole nation's lines (≈ 280,000) would take minutes and
            # outlast the server's request timeout. Payroll is per unit: the user picks one.
            with selectors.jit_off():
                count = selectors.reward_totals(pairings, **figures).pairings
            too_big = download_refused(
                request,
                count=count,
                limit=settings.MENTORING_REWARDS_EXPORT_MAX_LINES,
                message=_(
                    "%(count)s lines are more than one download holds (%(max)s). Choose a unit to download its lines."
                ),
            )
            if too_big:
                return too_big
            return rewards_workbook_response(lines, unit=unit, **figures)
        # The totals in one aggregate query, then one page of lines ordered and sliced in SQL;
        # the months at each rate are spelled out for that page only.
        with selectors.jit_off():
            totals = selectors.reward_totals(pairings, **figures)
            paginator = Paginator(lines, self.page_size)
            paginator.count = totals.pairings  # counted by the totals already
            page = paginator.get_page(request.GET.get("page"))
            page.object_list = selectors.reward_page(page.object_list, **figures)
        query = data.copy()
        query.pop("page", None)
        query.pop("export", None)
        context = self.get_context_data(
            form=form,
            year=year,
            unit=unit,
            rule=rule,
            lines=page,
            totals=totals,
            query=query.urlencode(),
            can_export=can(request.user, "export_rewards", RewardRule),
            can_view_rule=can(request.user, "view", rule),
        )
        return self.render_to_response(context)

    def get_breadcrumbs(self):
        return [(REWARDS[0], None)]
