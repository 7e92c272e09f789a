from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _

from core.permissions import can
from core.views import (
    ObjectDocumentView,
    PortalTemplateView,
    ProtectedFileView,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    StateFormMixin,
    TransitionView,
)

from . import selectors, services
from .choices import PANEL_CAMPAIGN_STATES, CampaignStatus, NominationStatus, RecusalRelation
from .filters import CampaignFilterSet, PersonFilterSet
from .forms import (
    CampaignForm,
    CriterionForm,
    GradeChangeForm,
    HonourForm,
    NominationForm,
    PanelForm,
    PersonForm,
    PersonLinkForm,
    PublicityForm,
    RecusalForm,
    ScoreForm,
)
from .models import Campaign, Criterion, Honour, Nomination, PanelMember, Person, Scorecard, SkillGradeChange
from .tables import STATUS_BADGES, CampaignTable, PersonTable

PEOPLE = (_("People"), reverse_lazy("talent:person_list"))


class PersonListView(ScopedListView):
    model = Person
    keep_page = True
    # People change by global writes only; a cadre sees its subtree's.
    kept_subtree_for_cadres = True
    table_class = PersonTable
    filterset_class = PersonFilterSet
    create_url_name = "talent:person_create"
    title = _("Talent registry")
    template_name = "talent/person_list.html"

    def get_queryset(self):
        return selectors.person_list(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_import"] = can(self.request.user, "import", Person)  # the rule of PersonImportView
        return context

    def get_breadcrumbs(self):
        return [(PEOPLE[0], None)]


class PersonDetailView(ScopedDetailView):
    model = Person
    template_name = "talent/person_detail.html"
    list_select_related = ("unit", "user")

    def get_context_data(self, **kwargs):
        from achievements.selectors import person_contributions
        from mentoring.selectors import pairings_of_person
        from studios.models import Membership, Studio
        from training.selectors import person_classes

        context = super().get_context_data(**kwargs)
        person, user = self.object, self.request.user
        context.update(
            honours=list(person.honours.select_related("campaign")),
            grade_changes=list(person.grade_changes.all()),
            memberships=list(
                Membership.objects.filter(person=person, studio__in=Studio.objects.visible_to(user).values("pk"))
                .select_related("studio")
                .order_by("left_on", "-joined_on")
            ),
            classes=person_classes(user, person),
            pairings=list(pairings_of_person(user, person)),
            contributions=person_contributions(user, person),
            can_change=can(user, "change", person),
            can_view_personal=can(user, "view_personal", person),
            can_link=can(user, "link_user", person),
        )
        return context

    def get_breadcrumbs(self):
        return [PEOPLE, (self.object.name, None)]


class PersonCreateView(ScopedCreateView):
    model = Person
    form_class = PersonForm
    title = _("New person")
    success_message = _("The person was added to the registry.")

    def perform(self, form):
        data = dict(form.cleaned_data)
        return services.person_create(actor=self.request.user, name=data.pop("name"), unit=data.pop("unit"), **data)

    def get_breadcrumbs(self):
        return [PEOPLE, (self.title, None)]


class PersonChildMixin:
    def get_breadcrumbs(self):
        person = self.get_object()
        return [PEOPLE, (person.name, person.get_absolute_url()), (self.title, None)]


class PersonUpdateView(PersonChildMixin, ScopedUpdateView):
    model = Person
    form_class = PersonForm
    title = _("Edit person")

    def perform(self, form):
        return services.person_update(actor=self.request.user, person=self.get_object(), **form.cleaned_data)


class PersonGradeCreateView(PersonChildMixin, ScopedUpdateView):
    """Record a skill-grade change (the form is a new SkillGradeChange of this person)."""

    model = Person
    form_class = GradeChangeForm
    title = _("Record a skill-grade change")
    success_message = _("The skill-grade change was recorded.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = SkillGradeChange(person=self.get_object())
        return kwargs

    def perform(self, form):
        services.person_grade_change(actor=self.request.user, person=self.get_object(), **form.cleaned_data)
        return self.get_object()


class HonourCreateView(PersonChildMixin, ScopedUpdateView):
    model = Person
    form_class = HonourForm
    title = _("Record an honour")
    success_message = _("The honour was recorded.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Honour(person=self.get_object())
        return kwargs

    def perform(self, form):
        services.honour_add(actor=self.request.user, person=self.get_object(), **form.cleaned_data)
        return self.get_object()


class HonourDeleteView(TransitionView):
    model = Honour
    permission_action = "delete"
    title = _("Remove honour")
    button_label = _("Remove")
    button_class = "btn-danger"
    success_message = _("The honour was removed.")
    list_select_related = ("person",)

    def perform(self, form):
        honour = self.get_object()
        services.honour_remove(actor=self.request.user, honour=honour)
        return honour.person


class PersonLinkView(PersonChildMixin, ScopedUpdateView):
    model = Person
    form_class = PersonLinkForm
    permission_action = "link_user"
    title = _("Link to a login")

    def perform(self, form):
        return services.person_link_user(
            actor=self.request.user, person=self.get_object(), user=form.cleaned_data["user"]
        )


class PersonPhotoView(ProtectedFileView):
    model = Person
    file_field = "photo"
    as_attachment = False


class GradeProofView(ProtectedFileView):
    model = SkillGradeChange
    file_field = "proof"


# Selection campaigns ------------------------------------------------------------------------------

CAMPAIGNS = (_("Selection campaigns"), reverse_lazy("talent:campaign_list"))
# Who sits on a panel is seen by those who see the panel (HQ, leadership); nobody else reads it in
# the campaign's history either.
PANEL_ACTIONS = {"panel_add", "panel_remove"}


class CampaignListView(ScopedListView):
    model = Campaign
    table_class = CampaignTable
    filterset_class = CampaignFilterSet
    create_url_name = "talent:campaign_create"
    title = _("Selection campaigns")

    def get_queryset(self):
        return selectors.campaign_list(self.request.user)

    def get_breadcrumbs(self):
        return [(CAMPAIGNS[0], None)]


class CampaignDetailView(ScopedDetailView):
    """A campaign: its dates, criteria, panel (HQ and leadership), the nominations the user may
    see with their status and, where the user may see it, their score; and its history."""

    model = Campaign
    template_name = "talent/campaign_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign, user = self.object, self.request.user
        criteria = selectors.criteria_of(campaign)
        view_panel = can(user, "view_panel", campaign)
        nominations = list(selectors.campaign_nominations(user, campaign, declared_by=user))
        show_totals = can(user, "view_totals", campaign)
        for nomination in nominations:
            nomination.mean = selectors.mean_score(nomination) if show_totals else None
        state = campaign.status
        is_open = state == CampaignStatus.OPEN
        context.update(
            criteria=criteria,
            weight_total=sum(c.weight for c in criteria),
            panel=list(selectors.panel_of(campaign)) if view_panel else None,
            nominations=nominations,
            live_count=sum(1 for n in nominations if n.status != NominationStatus.WITHDRAWN),
            show_totals=show_totals,
            show_cards=can(user, "view_scores", campaign),
            status_badge=STATUS_BADGES.get(state, "bg-secondary"),
            is_expert=user.is_expert,
            can_change=is_open and can(user, "change", campaign),
            can_manage_panel=state in (CampaignStatus.OPEN, CampaignStatus.SCORING)
            and can(user, "manage_panel", campaign),
            can_nominate=is_open and can(user, "nominate", campaign),
            can_start=is_open and can(user, "start_scoring", campaign),
            can_rank=state != CampaignStatus.OPEN and can(user, "rank", campaign),
            can_publicise=state == CampaignStatus.SCORING and can(user, "publicise", campaign),
            can_close=state == CampaignStatus.PUBLICISED and can(user, "close", campaign),
        )
        if not view_panel:
            context["history"] = [event for event in context["history"] if event.action not in PANEL_ACTIONS]
        return context

    def get_breadcrumbs(self):
        return [CAMPAIGNS, (self.object.name, None)]


class CampaignCreateView(ScopedCreateView):
    model = Campaign
    form_class = CampaignForm
    title = _("New selection campaign")
    success_message = _("The campaign is open. Add its criteria and experts.")

    def perform(self, form):
        return services.campaign_create(actor=self.request.user, **form.cleaned_data)

    def get_breadcrumbs(self):
        return [CAMPAIGNS, (self.title, None)]


class CampaignChildMixin:
    model = Campaign

    def get_breadcrumbs(self):
        campaign = self.get_object()
        return [CAMPAIGNS, (campaign.name, campaign.get_absolute_url()), (self.title, None)]


class CampaignUpdateView(StateFormMixin, CampaignChildMixin, ScopedUpdateView):
    form_class = CampaignForm
    title = _("Edit selection campaign")

    def perform(self, form):
        return services.campaign_update(actor=self.request.user, campaign=self.get_object(), **form.cleaned_data)


class CriterionCreateView(StateFormMixin, CampaignChildMixin, ScopedUpdateView):
    permission_action = "manage_criteria"
    form_class = CriterionForm
    title = _("Add a criterion")
    success_message = _("The criterion was added.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Criterion(campaign=self.get_object())
        return kwargs

    def perform(self, form):
        services.criterion_add(actor=self.request.user, campaign=self.get_object(), **form.cleaned_data)
        return self.get_object()

    def get_success_url(self):
        return self.get_object().get_absolute_url() + "#criteria"


class CriterionChildMixin:
    model = Criterion
    list_select_related = ("campaign",)

    def get_breadcrumbs(self):
        campaign = self.get_object().campaign
        return [CAMPAIGNS, (campaign.name, campaign.get_absolute_url()), (self.title, None)]

    def get_success_url(self):
        return self.get_object().campaign.get_absolute_url() + "#criteria"


class CriterionUpdateView(StateFormMixin, CriterionChildMixin, ScopedUpdateView):
    form_class = CriterionForm
    title = _("Edit criterion")

    def perform(self, form):
        return services.criterion_update(actor=self.request.user, criterion=self.get_object(), **form.cleaned_data)


class CriterionDeleteView(CriterionChildMixin, TransitionView):
    permission_action = "delete"
    title = _("Remove criterion")
    button_label = _("Remove")
    button_class = "btn-danger"
    success_message = _("The criterion was removed.")

    def perform(self, form):
        return services.criterion_delete(actor=self.request.user, criterion=self.get_object())


class PanelAddView(StateFormMixin, CampaignChildMixin, ScopedUpdateView):
    permission_action = "manage_panel"
    form_class = PanelForm
    title = _("Assign an expert")
    success_message = _("The expert was assigned to the campaign.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance")
        kwargs["campaign"] = self.get_object()
        return kwargs

    def perform(self, form):
        services.panel_add(actor=self.request.user, campaign=self.get_object(), **form.cleaned_data)
        return self.get_object()

    def get_success_url(self):
        return self.get_object().get_absolute_url() + "#panel"


class PanelRemoveView(TransitionView):
    model = PanelMember
    permission_action = "delete"
    list_select_related = ("campaign", "expert")
    title = _("Remove the expert from the panel")
    button_label = _("Remove")
    button_class = "btn-danger"
    success_message = _("The expert was removed from the panel.")

    def perform(self, form):
        return services.panel_remove(actor=self.request.user, member=self.get_object())

    def get_success_url(self):
        return self.object.get_absolute_url() + "#panel"

    def get_breadcrumbs(self):
        campaign = self.get_object().campaign
        return [CAMPAIGNS, (campaign.name, campaign.get_absolute_url()), (self.title, None)]


class NominationCreateView(StateFormMixin, CampaignChildMixin, ScopedUpdateView):
    """Nominate a person or a result. The nominee is picked from a bounded search (by name or
    employee number, or by title or patent number), never from a list of everyone."""

    permission_action = "nominate"
    form_class = NominationForm
    template_name = "talent/nomination_form.html"
    title = _("Nominate")
    success_message = _("The nomination was recorded.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance")
        kwargs["campaign"] = self.get_object()
        kwargs["query"] = self.request.GET.get("find", "")
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context.update(query=self.request.GET.get("find", "").strip()[:50], offered=form.fields[form.nominee_field])
        return context

    def perform(self, form):
        data = dict(form.cleaned_data)
        return services.nomination_create(actor=self.request.user, campaign=self.get_object(), **data)


def nominee_link(user, nomination) -> str:
    """The nominee's own page, when the user may open it."""
    if nomination.person_id:
        return nomination.person.get_absolute_url() if can(user, "view", nomination.person) else ""
    from achievements.models import Result

    visible = Result.objects.visible_to(user).filter(pk=nomination.result_id).exists()
    return nomination.result.get_absolute_url() if visible else ""


# A declaration names an expert of the panel and may carry the total of its withdrawn scorecard:
# in the nomination's history for HQ only, who sees each expert's scores (leadership reads the
# declarations, without scores, on the nomination).
RECUSAL_ACTIONS = {"nomination_recuse"}


class NominationDetailView(ScopedDetailView):
    """A nomination: its nominee, statement and material; for a panel expert the nominee's record
    the criteria refer to (read-only) and its own scorecard or declared recusal; for HQ every
    scorecard and who declared a conflict of interest, and why."""

    model = Nomination
    template_name = "talent/nomination_detail.html"
    list_select_related = ("campaign", "person", "person__unit", "result", "result__studio", "unit", "nominated_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        nomination, user = self.object, self.request.user
        campaign = nomination.campaign
        show_cards = can(user, "view_scores", campaign)
        cards = []
        if show_cards:
            cards = list(selectors.scorecards_of(nomination))
        elif user.is_expert:
            cards = list(selectors.scorecards_of(nomination).filter(expert=user))
        for card in cards:
            card.total = selectors.scorecard_total(card)
        mean = None
        if can(user, "view_totals", campaign):
            row = selectors.with_scores(Nomination.objects.filter(pk=nomination.pk)).get()
            mean = selectors.mean_score(row)
        may_score = user.is_expert and can(user, "score", nomination)
        recusal = selectors.recusal_of(nomination, user) if may_score else None
        view_panel = can(user, "view_panel", campaign)
        context.update(
            campaign=campaign,
            criteria=selectors.criteria_of(campaign),
            scorecards=cards,
            mean=mean,
            show_cards=show_cards,
            nominee_url=nominee_link(user, nomination),
            status_badge=STATUS_BADGES.get(campaign.status, "bg-secondary"),
            can_download=bool(nomination.material) and can(user, "view_material", nomination),
            can_withdraw=campaign.status == CampaignStatus.OPEN
            and nomination.status == NominationStatus.NOMINATED
            and can(user, "withdraw", nomination),
            can_score=campaign.status == CampaignStatus.SCORING
            and nomination.status == NominationStatus.NOMINATED
            and may_score
            and recusal is None,
            can_recuse=may_score
            and recusal is None
            and campaign.status in PANEL_CAMPAIGN_STATES
            and nomination.status == NominationStatus.NOMINATED,
            my_recusal=recusal,
            recusals=list(selectors.recusals_of(nomination)) if view_panel else None,
            # The nominee's record the criteria refer to, read-only, for those who score it.
            record=selectors.nominee_record(nomination) if may_score else None,
        )
        if not show_cards:
            context["history"] = [event for event in context["history"] if event.action not in RECUSAL_ACTIONS]
        return context

    def get_breadcrumbs(self):
        campaign = self.object.campaign
        return [CAMPAIGNS, (campaign.name, campaign.get_absolute_url()), (str(self.object), None)]


class NominationChildMixin:
    model = Nomination
    list_select_related = ("campaign", "person", "result", "unit")

    def get_breadcrumbs(self):
        nomination = self.get_object()
        campaign = nomination.campaign
        return [
            CAMPAIGNS,
            (campaign.name, campaign.get_absolute_url()),
            (str(nomination), nomination.get_absolute_url()),
            (self.title, None),
        ]


class NominationWithdrawView(NominationChildMixin, TransitionView):
    permission_action = "withdraw"
    comment_required = True
    title = _("Withdraw the nomination")
    button_label = _("Withdraw")
    button_class = "btn-warning"
    confirm_message = _("The nominee leaves the campaign. It can be nominated again while the campaign is open.")
    success_message = _("The nomination was withdrawn.")

    def perform(self, form):
        return services.nomination_withdraw(
            actor=self.request.user, nomination=self.get_object(), reason=form.cleaned_data["comment"]
        )


class NominationMaterialView(ProtectedFileView):
    model = Nomination
    permission_action = "view_material"
    file_field = "material"
    list_select_related = ("person", "result")

    def get_download_name(self, obj, field_file):
        extension = field_file.name.rsplit(".", 1)[-1]
        return f"{obj.nominee}.{extension}"


class CampaignStartScoringView(CampaignChildMixin, TransitionView):
    permission_action = "start_scoring"
    template_name = "talent/campaign_transition.html"
    title = _("Start expert scoring")
    button_label = _("Start scoring")
    button_class = "btn-warning"
    confirm_message = _(
        "Nominations close and the criteria are frozen; the assigned experts are asked to score every "
        "nominee they are not conflicted with."
    )
    success_message = _("Expert scoring has started.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.get_object().status == CampaignStatus.OPEN and "refused" not in context:
            context["problems"] = services.scoring_problems(self.get_object())
        return context

    def perform(self, form):
        return services.campaign_start_scoring(
            actor=self.request.user, campaign=self.get_object(), comment=form.cleaned_data["comment"]
        )


class ScoringQueueView(PortalTemplateView):
    """The expert's queue: the nominations of its campaigns in scoring, to score, scored, or
    recused from (回避: of its own unit, or declared by the expert; no form is offered)."""

    model = Campaign
    permission_action = "score"
    template_name = "talent/scoring_queue.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = list(selectors.scoring_queue(self.request.user))
        for row in rows:
            row.declared_relation_label = RecusalRelation(row.declared_relation).label if row.declared_relation else ""
        context.update(
            to_score=[n for n in rows if not n.recused and not n.mine],
            scored=[n for n in rows if not n.recused and n.mine],
            recused=[n for n in rows if n.recused],
        )
        return context

    def get_breadcrumbs(self):
        return [(_("Scoring queue"), None)]


class ScoreView(NominationChildMixin, TransitionView):
    """An expert's weighted scorecard of one nomination (submitted, then revisable while the
    campaign is in scoring), the nominee's record beside it, and the way to declare a conflict
    of interest (回避) instead."""

    permission_action = "score"
    form_class = ScoreForm
    template_name = "talent/score_form.html"
    title = _("Score the nominee")
    button_label = _("Submit the scores")
    success_message = _("Your scores were recorded.")

    def get_scorecard(self):
        if not hasattr(self, "_scorecard"):
            self._scorecard = (
                Scorecard.objects.filter(nomination=self.get_object(), expert=self.request.user)
                .prefetch_related("items")
                .first()
            )
        return self._scorecard

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["criteria"] = selectors.criteria_of(self.get_object().campaign)
        kwargs["scorecard"] = self.get_scorecard()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        nomination = self.get_object()
        scorecard = self.get_scorecard()
        recusal = selectors.recusal_of(nomination, self.request.user)
        state = nomination.campaign.status
        context.update(
            campaign=nomination.campaign,
            scorecard=scorecard,
            scorecard_total=selectors.items_total(scorecard.items.all(), context["form"].criteria)
            if scorecard
            else None,
            scoring=state == CampaignStatus.SCORING,
            can_download=bool(nomination.material),
            my_recusal=recusal,
            recusal_form=RecusalForm(user=self.request.user)
            if recusal is None and state in PANEL_CAMPAIGN_STATES and nomination.status == NominationStatus.NOMINATED
            else None,
            record=selectors.nominee_record(nomination),
        )
        return context

    def perform(self, form):
        services.scorecard_submit(
            actor=self.request.user,
            nomination=self.get_object(),
            scores=form.scores(),
            comment=form.cleaned_data["comment"],
        )
        return self.get_object()

    def get_success_url(self):
        return reverse("talent:scoring_queue")


class NominationRecuseView(NominationChildMixin, TransitionView):
    """An expert declares a conflict of interest (回避) with the nominee — its mentor, colleague,
    relative… — with the reason; declared after scoring, its scorecard is withdrawn with it."""

    permission_action = "recuse"
    form_class = RecusalForm
    template_name = "talent/recusal_form.html"
    title = _("Declare a conflict of interest (回避)")
    button_label = _("Declare and recuse myself")
    button_class = "btn-warning"
    confirm_message = _(
        "You no longer score this nominee: its result is the mean of the other experts' scorecards. "
        "HQ sees your declaration and its reason. It cannot be undone."
    )
    success_message = _("Your conflict of interest was recorded: you do not score this nominee.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        nomination, user = self.get_object(), self.request.user
        scorecard = selectors.scorecards_of(nomination).filter(expert=user).first()
        context.update(
            campaign=nomination.campaign,
            my_recusal=selectors.recusal_of(nomination, user),
            scorecard_total=selectors.scorecard_total(scorecard) if scorecard else None,
        )
        return context

    def perform(self, form):
        data = form.cleaned_data
        return services.nomination_recuse(
            actor=self.request.user, nomination=self.get_object(), relation=data["relation"], reason=data["reason"]
        )

    def get_success_url(self):
        return reverse("talent:scoring_queue")


def ranking_columns(campaign):
    """The ranking's rows and the experts' columns: each expert's total per nominee, the mean, the
    rank; `recusal_marks` beside `totals` marks where an expert recused itself ("unit" or "declared")."""
    rows = selectors.ranking(campaign)
    experts = [member.expert for member in selectors.panel_of(campaign)]
    totals = selectors.expert_totals(campaign)
    marks = selectors.recusal_marks(campaign, experts, rows)
    for row in rows:
        row.totals = [totals.get((row.pk, expert.pk)) for expert in experts]
        row.recusal_marks = [marks.get((row.pk, expert.pk)) for expert in experts]
        row.cells = list(zip(row.totals, row.recusal_marks, strict=True))
    return rows, experts


class CampaignRankingView(ScopedDetailView):
    """HQ's ranking: every expert's total per nominee in columns, the mean and the rank."""

    model = Campaign
    permission_action = "rank"
    template_name = "talent/campaign_ranking.html"
    show_history = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows, experts = ranking_columns(self.object)
        context.update(rows=rows, experts=experts, criteria=selectors.criteria_of(self.object))
        return context

    def get_breadcrumbs(self):
        return [CAMPAIGNS, (self.object.name, self.object.get_absolute_url()), (_("Ranking"), None)]


class CampaignRankingExportView(ObjectDocumentView):
    model = Campaign
    permission_action = "rank"

    def workbook(self, campaign):
        from core.exports import rows_to_workbook

        rows, experts = ranking_columns(campaign)
        header = [_("Rank"), _("Nominee"), _("Unit"), *[e.display_name for e in experts], _("Mean score"), _("Status")]
        body = [
            [
                row.rank or "",
                str(row.nominee),
                str(row.unit),
                *[
                    float(t) if t is not None else (_("Recused (回避)") if mark else "")
                    for t, mark in zip(row.totals, row.recusal_marks, strict=True)
                ],
                float(row.mean) if row.mean is not None else "",
                (_("Proposed") + " · " if row.proposed else "") + str(row.get_status_display()),
            ]
            for row in rows
        ]
        return rows_to_workbook(_("Ranking"), [header, *body])


class CampaignPubliciseView(CampaignChildMixin, TransitionView):
    permission_action = "publicise"
    form_class = PublicityForm
    template_name = "talent/campaign_transition.html"
    title = _("Put the selection to public notice")
    button_label = _("Publicise")
    button_class = "btn-info"
    confirm_message = _(
        "The chosen nominees are published as the proposed selection (公示) for the days below; "
        "the scores can no longer change."
    )
    success_message = _("The proposed selection is in public notice.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["campaign"] = self.get_object()
        kwargs["ranked"] = selectors.ranking(self.get_object())
        return kwargs

    def perform(self, form):
        data = form.cleaned_data
        return services.campaign_publicise(
            actor=self.request.user,
            campaign=self.get_object(),
            selected=list(data["selected"]),
            publicity_from=data["publicity_from"],
            publicity_until=data["publicity_until"],
            comment=data["comment"],
        )


class CampaignCloseView(CampaignChildMixin, TransitionView):
    permission_action = "close"
    template_name = "talent/campaign_transition.html"
    title = _("Close the campaign")
    button_label = _("Close and award")
    button_class = "btn-success"
    confirm_message = _(
        "The proposed nominees are selected and receive the honour or award; the others are not selected. "
        "This cannot be undone."
    )
    success_message = _("The campaign was closed and its honours awarded.")

    def perform(self, form):
        return services.campaign_close(
            actor=self.request.user, campaign=self.get_object(), comment=form.cleaned_data["comment"]
        )
