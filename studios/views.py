from django.db.models import Count
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from core.forms import PictureForm, kind_form
from core.permissions import can
from core.selectors import audit_events_for
from core.views import (
    BreadcrumbMixin,
    KindCreateView,
    KindListView,
    KindUpdateView,
    ObjectDocumentView,
    PortalMixin,
    ProtectedFileView,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    TransitionView,
)

from . import selectors, services
from .assessment import assessment_figures, figure_rows
from .choices import AssessmentStatus, BatchStatus, RoundStatus, StudioStatus
from .documents import batch_pdf, batch_workbook
from .eligibility import all_passed, shown_criteria, studio_eligibility
from .filters import StudioFilterSet
from .forms import (
    ApproveForm,
    BatchForm,
    BatchNameForm,
    ChangeLeadForm,
    FundingForm,
    GradeForm,
    LevelRecordForm,
    MembershipEndForm,
    MembershipForm,
    RectifyForm,
    RevokeForm,
    RoundForm,
    RulesForm,
    SelfAssessmentForm,
    StudioForm,
    SubmitForm,
    UnitScoreForm,
)
from .models import (
    Assessment,
    AssessmentRound,
    EligibilityRules,
    FundingEntry,
    LevelRecord,
    Membership,
    NamingBatch,
    Studio,
    StudioKind,
    StudioPhoto,
)
from .tables import BatchTable, StudioTable

STUDIOS = (_("Studios"), reverse_lazy("studios:studio_list"))
BATCHES = (_("Naming batches"), reverse_lazy("studios:batch_list"))
ROUNDS = (_("Annual assessment"), reverse_lazy("studios:round_list"))

# The transitions offered on a studio page: (url name, service transition, button label, style).
STUDIO_ACTIONS = [
    ("studios:studio_submit", "submit", _("Submit application"), "btn-primary"),
    ("studios:studio_recommend", "recommend", _("Recommend"), "btn-success"),
    ("studios:studio_approve", "approve", _("Approve for public notice"), "btn-success"),
    ("studios:studio_return", "return", _("Return"), "btn-outline-warning"),
    ("studios:studio_reject", "reject", _("Reject"), "btn-outline-danger"),
    ("studios:studio_rectify", "rectify", _("Send to rectification"), "btn-outline-warning"),
    ("studios:studio_rectified", "rectified", _("Accept rectification"), "btn-outline-success"),
    ("studios:studio_revoke", "revoke", _("Revoke"), "btn-outline-danger"),
]


def available_actions(user, studio) -> list[dict]:
    """The transitions this user may take on this studio now (the services check again)."""
    actions = []
    for url_name, name, label, style in STUDIO_ACTIONS:
        if name == "return":
            options = [services.TRANSITIONS["return_unit"], services.TRANSITIONS["return_hq"]]
        else:
            options = [services.TRANSITIONS[name]]
        if any(studio.status in t.sources and can(user, t.permission, studio) for t in options):
            actions.append({"url": reverse(url_name, args=[studio.pk]), "label": label, "style": style})
    return actions


# Studios ------------------------------------------------------------------------------------------


class StudioListView(ScopedListView):
    model = Studio
    keep_page = True
    # A cadre sees its subtree's studios; kinds, units, people and teams change by global writes.
    kept_subtree_for_cadres = True
    table_class = StudioTable
    filterset_class = StudioFilterSet
    create_url_name = "studios:studio_create"
    template_name = "studios/studio_list.html"

    def get_queryset(self):
        return selectors.studio_list(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_import"] = can(self.request.user, "import", Studio)
        return context

    def get_breadcrumbs(self):
        return [(STUDIOS[0], None)]


class ReviewQueueView(PortalMixin, BreadcrumbMixin, ListView):
    model = Studio
    permission_action = "queue"
    template_name = "studios/review_queue.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.review_queue(self.request.user).order_by("updated_at")

    def get_breadcrumbs(self):
        return [STUDIOS, (_("Waiting for me"), None)]


class StudioDetailView(ScopedDetailView):
    model = Studio
    template_name = "studios/studio_detail.html"
    list_select_related = ("unit", "kind", "lead", "lead__unit", "batch")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        studio, user = self.object, self.request.user
        from achievements.selectors import studio_achievements
        from alliances.selectors import studio_alliances
        from mentoring.selectors import studio_pairing_context

        members = list(selectors.studio_team(studio))
        context["projects"], context["results"] = studio_achievements(studio, user)
        criteria = studio_eligibility(studio) if studio.status in services.EDITABLE_STATES else None
        context.update(
            members=[m for m in members if m.left_on is None],
            past_members=[m for m in members if m.left_on is not None],
            level_records=list(studio.level_records.select_related("batch")),
            photos=list(studio.photos.all()),
            ledger=list(selectors.funding_ledger(studio)),
            funding=selectors.funding_totals(studio),
            rectification_overdue=studio.status == StudioStatus.RECTIFYING
            and studio.rectification_deadline is not None
            and studio.rectification_deadline < timezone.localdate(),
            criteria=criteria,
            stored_criteria=shown_criteria(studio.eligibility),
            criteria_passed=all_passed(criteria) if criteria is not None else all_passed(studio.eligibility),
            actions=available_actions(user, studio),
            assessments=list(studio.assessments.select_related("round").order_by("-round__year")),
            alliance_memberships=list(studio_alliances(studio)),
            **studio_pairing_context(user, studio),
            can_join_alliance=user.is_studio_lead
            and studio.status in (StudioStatus.NAMED, StudioStatus.RECTIFYING)
            and can(user, "manage_team", studio),
            can_log_achievements=can(user, "manage_achievements", studio)
            and studio.status not in services.CLOSED_STATES,
            can_change=can(user, "change", studio) and studio.status not in services.CLOSED_STATES,
            can_manage_team=can(user, "manage_team", studio) and studio.status not in services.CLOSED_STATES,
            can_change_lead=can(user, "change_lead", studio) and studio.status not in services.CLOSED_STATES,
            can_manage_funding=can(user, "manage_funding", studio),
            can_upload_photo=can(user, "upload_photo", studio),
            can_add_level=can(user, "add_level", studio)
            and studio.status in (StudioStatus.NAMED, StudioStatus.RECTIFYING),
        )
        return context

    def get_breadcrumbs(self):
        return [STUDIOS, (self.object.name, None)]


class StudioCreateView(ScopedCreateView):
    model = Studio
    form_class = StudioForm
    title = _("Register a studio")
    success_message = _("The studio was registered as a draft. Its lead has been asked to complete the application.")

    def perform(self, form):
        data = dict(form.cleaned_data)
        return services.studio_create(
            actor=self.request.user,
            name=data.pop("name"),
            kind=data.pop("kind"),
            unit=data.pop("unit"),
            lead=data.pop("lead"),
            **data,
        )

    def get_breadcrumbs(self):
        return [STUDIOS, (self.title, None)]


class StudioChildMixin:
    """Pages that act on one studio: breadcrumbs back to it."""

    model = Studio
    list_select_related = ("unit", "lead")

    def get_breadcrumbs(self):
        studio = self.get_object()
        return [STUDIOS, (studio.name, studio.get_absolute_url()), (self.title, None)]


class StudioUpdateView(StudioChildMixin, ScopedUpdateView):
    form_class = StudioForm
    title = _("Edit studio")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["form"].locked:
            context["form_intro"] = _(
                "The application has been submitted: the greyed-out fields can no longer be changed here; "
                "the reason is under each."
            )
        return context

    def perform(self, form):
        return services.studio_update(actor=self.request.user, studio=self.get_object(), **form.cleaned_data)


class StudioTransitionView(StudioChildMixin, TransitionView):
    """Reviewers see the eligibility check stored with the application on every review page."""

    template_name = "studios/studio_transition.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("criteria_passed", all_passed(self.get_object().eligibility))
        context["stored_criteria"] = shown_criteria(self.get_object().eligibility)
        return context


class StudioSubmitView(StudioTransitionView):
    permission_action = "submit"
    form_class = SubmitForm
    title = _("Submit application")
    button_label = _("Submit")
    success_message = _("The application was submitted for review.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("comment_required", None)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["criteria"] = studio_eligibility(self.get_object())
        context["criteria_passed"] = all_passed(context["criteria"])
        return context

    def perform(self, form):
        return services.studio_submit(
            actor=self.request.user, studio=self.get_object(), explanation=form.cleaned_data["explanation"]
        )


class StudioRecommendView(StudioTransitionView):
    permission_action = "review_unit"
    title = _("Recommend to HQ")
    button_label = _("Recommend")
    button_class = "btn-success"
    success_message = _("The studio was recommended to HQ.")

    def perform(self, form):
        return services.studio_recommend(
            actor=self.request.user, studio=self.get_object(), comment=form.cleaned_data["comment"]
        )


class StudioReturnView(StudioTransitionView):
    """Return to the applicant. The unit returns submitted applications, HQ recommended ones."""

    permission_action = "view"
    title = _("Return the application")
    comment_required = True
    button_label = _("Return")
    button_class = "btn-warning"
    success_message = _("The application was returned to the applicant.")

    def get_object(self, queryset=None):
        studio = super().get_object(queryset)
        needed = "review_hq" if studio.status == StudioStatus.RECOMMENDED else "review_unit"
        if not can(self.request.user, needed, studio):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        return studio

    def perform(self, form):
        return services.studio_return(
            actor=self.request.user, studio=self.get_object(), reason=form.cleaned_data["comment"]
        )


class StudioRejectView(StudioTransitionView):
    permission_action = "review_hq"
    title = _("Reject the application")
    comment_required = True
    button_label = _("Reject")
    button_class = "btn-danger"
    confirm_message = _("A rejected application is closed for good.")
    success_message = _("The application was rejected.")

    def perform(self, form):
        return services.studio_reject(
            actor=self.request.user, studio=self.get_object(), reason=form.cleaned_data["comment"]
        )


class StudioApproveView(StudioTransitionView):
    permission_action = "review_hq"
    form_class = ApproveForm
    title = _("Approve for public notice")
    button_label = _("Approve")
    button_class = "btn-success"
    confirm_message = _("The studio enters the chosen batch's public notice; it is named with the batch.")
    success_message = _("The studio was approved and is in public notice.")

    def perform(self, form):
        data = form.cleaned_data
        return services.studio_approve(
            actor=self.request.user, studio=self.get_object(), batch=data["batch"], comment=data["comment"]
        )


class StudioRectifyView(StudioTransitionView):
    permission_action = "rectify"
    form_class = RectifyForm
    title = _("Send to rectification")
    button_label = _("Send to rectification")
    button_class = "btn-warning"
    success_message = _("The studio must now rectify by the deadline.")

    def perform(self, form):
        data = form.cleaned_data
        return services.studio_rectify(
            actor=self.request.user, studio=self.get_object(), deadline=data["deadline"], reason=data["comment"]
        )


class StudioRectifiedView(StudioTransitionView):
    permission_action = "rectify"
    title = _("Accept rectification")
    button_label = _("Accept")
    button_class = "btn-success"
    success_message = _("The rectification was accepted; the studio is named again.")

    def perform(self, form):
        return services.studio_rectified(
            actor=self.request.user, studio=self.get_object(), comment=form.cleaned_data["comment"]
        )


class StudioRevokeView(StudioTransitionView):
    permission_action = "revoke"
    form_class = RevokeForm
    title = _("Revoke the studio's name")
    button_label = _("Revoke")
    button_class = "btn-danger"
    confirm_message = _("The studio loses its name (摘牌). Its history is kept.")
    success_message = _("The studio's name was revoked.")

    def perform(self, form):
        data = form.cleaned_data
        return services.studio_revoke(
            actor=self.request.user, studio=self.get_object(), reason_code=data["reason_code"], comment=data["comment"]
        )


class StudioChangeLeadView(StudioTransitionView):
    permission_action = "change_lead"
    form_class = ChangeLeadForm
    title = _("Change lead")
    button_label = _("Change lead")
    success_message = _("The studio has a new lead.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("comment_required", None)
        return kwargs

    def perform(self, form):
        data = form.cleaned_data
        return services.studio_change_lead(
            actor=self.request.user,
            studio=self.get_object(),
            new_lead=data["new_lead"],
            changed_on=data["changed_on"],
            comment=data["comment"],
        )


class MembershipCreateView(StudioChildMixin, ScopedUpdateView):
    permission_action = "manage_team"
    form_class = MembershipForm
    title = _("Add a team member")
    success_message = _("The team member was added.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Membership(studio=self.get_object())
        return kwargs

    def get_success_url(self):
        return self.get_object().get_absolute_url() + "#team"

    def perform(self, form):
        services.membership_add(actor=self.request.user, studio=self.get_object(), **form.cleaned_data)
        return self.get_object()


class MembershipEndView(TransitionView):
    model = Membership
    permission_action = "change"
    form_class = MembershipEndForm
    title = _("Member leaves the team")
    button_label = _("Confirm")
    success_message = _("The member's leaving date was recorded.")
    list_select_related = ("studio", "person")

    def perform(self, form):
        membership = self.get_object()
        services.membership_end(actor=self.request.user, membership=membership, left_on=form.cleaned_data["left_on"])
        return membership.studio


class LevelRecordCreateView(StudioChildMixin, ScopedUpdateView):
    permission_action = "add_level"
    form_class = LevelRecordForm
    title = _("Record a level")
    success_message = _("The level was recorded.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = LevelRecord(studio=self.get_object())
        return kwargs

    def perform(self, form):
        services.level_record_add(actor=self.request.user, studio=self.get_object(), **form.cleaned_data)
        return self.get_object()


class PhotoCreateView(StudioChildMixin, ScopedUpdateView):
    permission_action = "upload_photo"
    form_class = PictureForm
    title = _("Add a photo")
    success_message = _("The photo was added.")

    def perform(self, form):
        data = form.cleaned_data
        services.photo_add(
            actor=self.request.user, studio=self.get_object(), image=data["image"], caption=data["caption"]
        )
        return self.get_object()


class PhotoDeleteView(TransitionView):
    model = StudioPhoto
    permission_action = "delete"
    title = _("Remove photo")
    button_label = _("Remove")
    button_class = "btn-danger"
    success_message = _("The photo was removed.")
    list_select_related = ("studio",)

    def perform(self, form):
        photo = self.get_object()
        services.photo_delete(actor=self.request.user, photo=photo)
        return photo.studio


class PhotoImageView(ProtectedFileView):
    model = StudioPhoto
    file_field = "image"
    as_attachment = False


class PhotoThumbnailView(ProtectedFileView):
    model = StudioPhoto
    file_field = "thumbnail"
    as_attachment = False


class FundingCreateView(StudioChildMixin, ScopedUpdateView):
    permission_action = "manage_funding"
    form_class = FundingForm
    title = _("Record funding")
    success_message = _("The funding entry was recorded.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = FundingEntry(studio=self.get_object())
        return kwargs

    def get_success_url(self):
        return self.get_object().get_absolute_url() + "#funding"

    def perform(self, form):
        services.funding_add(actor=self.request.user, studio=self.get_object(), **form.cleaned_data)
        return self.get_object()


class FundingVoucherView(ProtectedFileView):
    model = FundingEntry
    file_field = "voucher"


def reversal_notice(entry) -> str:
    """What reversing the line does, on the confirmation page."""
    return _(
        "The line “%(line)s” of %(date)s is cancelled by a reversing line of the opposite amount, dated "
        "the same day: the ledger's balance and the year's funding figures no longer count it. The "
        "line stays in the ledger, struck through, and the reason is kept as the reversal's description."
    ) % {"line": services.funding_summary(entry), "date": entry.entry_date.isoformat()}


class FundingReverseView(TransitionView):
    """Cancel a wrong line of a funding ledger (a studio's; the alliances' subclass it) with a
    reversing line (冲销), the reason required."""

    model = FundingEntry
    owner = "studio"
    owner_crumb = STUDIOS
    permission_action = "reverse"
    comment_required = True
    title = _("Reverse a funding line")
    button_label = _("Reverse")
    button_class = "btn-warning"
    success_message = _("The line was reversed; record the right amount as a new line if there is one.")
    list_select_related = ("studio",)

    def get_success_url(self):
        return getattr(self.get_object(), self.owner).get_absolute_url() + "#funding"

    def get_breadcrumbs(self):
        owner = getattr(self.get_object(), self.owner)
        return [self.owner_crumb, (owner.name, owner.get_absolute_url()), (self.title, None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["confirm_message"] = reversal_notice(self.get_object())
        return context

    def reverse_line(self, **kwargs):
        return services.funding_reverse(**kwargs)

    def perform(self, form):
        entry = self.get_object()
        self.reverse_line(actor=self.request.user, entry=entry, reason=form.cleaned_data["comment"])
        return getattr(entry, self.owner)


# Settings -----------------------------------------------------------------------------------------


class RulesView(PortalMixin, BreadcrumbMixin, ListView):
    model = EligibilityRules
    template_name = "studios/rules.html"

    def get_queryset(self):
        return EligibilityRules.objects.none()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rules = EligibilityRules.current()
        context.update(
            rules=rules,
            rows=[
                (
                    rules._meta.get_field(f).verbose_name,
                    getattr(rules, f"get_{f}_display", lambda f=f: getattr(rules, f))(),
                )
                for f in services.RULE_FIELDS
            ],
            can_change=can(self.request.user, "change", rules),
        )
        return context

    def get_breadcrumbs(self):
        return [STUDIOS, (_("Eligibility rules"), None)]


class RulesUpdateView(ScopedUpdateView):
    model = EligibilityRules
    form_class = RulesForm
    title = _("Edit eligibility rules")
    success_message = _("The eligibility rules were saved. They apply to applications submitted from now on.")

    def get_object(self, queryset=None):
        rules = EligibilityRules.current()
        if not can(self.request.user, "change", rules):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        return rules

    def perform(self, form):
        return services.rules_update(actor=self.request.user, **form.cleaned_data)

    def get_breadcrumbs(self):
        return [STUDIOS, (_("Eligibility rules"), reverse("studios:rules")), (self.title, None)]


class StudioKindListView(KindListView):
    model = StudioKind
    usage_relation = "studios"
    usage_label = _("Studios")
    create_url_name = "studios:kind_create"
    update_url_name = "studios:kind_update"
    title = _("Studio kinds")


class StudioKindCreateView(KindCreateView):
    model = StudioKind
    form_class = kind_form(StudioKind)
    title = _("New studio kind")


class StudioKindUpdateView(KindUpdateView):
    model = StudioKind
    form_class = kind_form(StudioKind)
    title = _("Edit studio kind")


# Naming batches -----------------------------------------------------------------------------------


class BatchListView(ScopedListView):
    model = NamingBatch
    table_class = BatchTable
    filterset_class = None
    create_url_name = "studios:batch_create"
    title = _("Naming batches")

    def get_queryset(self):
        return (
            NamingBatch.objects.visible_to(self.request.user)
            .annotate(studio_count=Count("studios"))
            .order_by("-year", "-publicity_start", "-id")
        )

    def get_filterset_class(self):
        import django_filters

        class BatchFilterSet(django_filters.FilterSet):
            class Meta:
                model = NamingBatch
                fields = ["year", "level", "status"]

        return BatchFilterSet

    def get_breadcrumbs(self):
        return [(BATCHES[0], None)]


class BatchDetailView(ScopedDetailView):
    model = NamingBatch
    template_name = "studios/batch_detail.html"

    def get_context_data(self, **kwargs):
        from django.utils import timezone

        context = super().get_context_data(**kwargs)
        batch, user = self.object, self.request.user
        context.update(
            studios=list(
                Studio.objects.visible_to(user)
                .filter(batch=batch)
                .select_related("unit", "kind", "lead")
                .order_by("unit__path", "name")
            ),
            can_change=can(user, "change", batch) and batch.status == BatchStatus.OPEN,
            can_name=can(user, "name", batch) and batch.status == BatchStatus.OPEN,
            notice_over=timezone.localdate() > batch.publicity_end,
        )
        return context

    def get_breadcrumbs(self):
        return [BATCHES, (str(self.object), None)]


class BatchCreateView(ScopedCreateView):
    model = NamingBatch
    form_class = BatchForm
    title = _("New naming batch")

    def perform(self, form):
        return services.batch_create(actor=self.request.user, **form.cleaned_data)

    def get_breadcrumbs(self):
        return [BATCHES, (self.title, None)]


class BatchUpdateView(ScopedUpdateView):
    model = NamingBatch
    form_class = BatchForm
    title = _("Edit naming batch")

    def perform(self, form):
        return services.batch_update(actor=self.request.user, batch=self.get_object(), **form.cleaned_data)

    def get_breadcrumbs(self):
        batch = self.get_object()
        return [BATCHES, (str(batch), batch.get_absolute_url()), (self.title, None)]


class BatchNameView(TransitionView):
    model = NamingBatch
    permission_action = "name"
    form_class = BatchNameForm
    title = _("Name the batch")
    button_label = _("Name the studios")
    button_class = "btn-success"
    confirm_message = _("Every studio of this batch in public notice is named now, at the batch's level.")
    success_message = _("The batch was named.")

    def perform(self, form):
        return services.batch_name(actor=self.request.user, batch=self.get_object())

    def get_breadcrumbs(self):
        batch = self.get_object()
        return [BATCHES, (str(batch), batch.get_absolute_url()), (self.title, None)]


class BatchExportView(ObjectDocumentView):
    """The naming list of a batch as Excel or PDF (Chinese fonts)."""

    model = NamingBatch

    def studios(self, batch):
        return list(
            Studio.objects.visible_to(self.request.user)
            .filter(batch=batch)
            .select_related("unit", "kind", "lead")
            .order_by("unit__path", "name")
        )

    def workbook(self, batch):
        return batch_workbook(batch, self.studios(batch))

    def pdf(self, batch):
        return batch_pdf(batch, self.studios(batch))


# Annual assessment --------------------------------------------------------------------------------


class RoundListView(PortalMixin, BreadcrumbMixin, ListView):
    model = AssessmentRound
    template_name = "studios/round_list.html"

    def get_queryset(self):
        return (
            AssessmentRound.objects.visible_to(self.request.user).annotate(total=Count("assessments")).order_by("-year")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = can(self.request.user, "add", AssessmentRound)
        return context

    def get_breadcrumbs(self):
        return [(ROUNDS[0], None)]


class RoundCreateView(ScopedCreateView):
    model = AssessmentRound
    form_class = RoundForm
    title = _("Open an annual assessment")
    success_message = _("The assessment is open; the leads were asked for their self-assessments.")

    def perform(self, form):
        return services.round_open(actor=self.request.user, year=form.cleaned_data["year"])

    def get_breadcrumbs(self):
        return [ROUNDS, (self.title, None)]


class RoundDetailView(ScopedDetailView):
    model = AssessmentRound
    template_name = "studios/round_detail.html"

    def get_context_data(self, **kwargs):
        """The round's studios a page at a time, filtered, with how many are at each step: a
        national round assesses every named studio (tens of thousands), once listed whole."""
        from django.conf import settings
        from django.db.models import Count
        from django_tables2 import RequestConfig

        from .filters import AssessmentFilterSet
        from .tables import AssessmentTable

        context = super().get_context_data(**kwargs)
        assessment_round, user = self.object, self.request.user
        assessments = Assessment.objects.visible_to(user).filter(round=assessment_round)
        counts = dict(assessments.order_by().values_list("status").annotate(n=Count("pk")))
        filterset = AssessmentFilterSet(
            self.request.GET or None,
            queryset=assessments.select_related("studio", "studio__unit").order_by(
                "studio__unit__path", "studio__name", "pk"
            ),
            request=self.request,
        )
        rows = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
        if filterset.is_bound and not filterset.is_valid():
            rows = rows.none()
        table = AssessmentTable(rows)
        RequestConfig(self.request, paginate={"per_page": settings.PORTAL_PAGE_SIZE}).configure(table)
        context.update(
            table=table,
            filter=filterset,
            step_counts=[(label, counts.get(value, 0)) for value, label in AssessmentStatus.choices],
            assessed=sum(counts.values()),
            can_close=can(user, "close", assessment_round) and assessment_round.status == RoundStatus.OPEN,
        )
        return context

    def get_breadcrumbs(self):
        return [ROUNDS, (str(self.object), None)]


class RoundCloseView(TransitionView):
    model = AssessmentRound
    permission_action = "close"
    title = _("Close the assessment")
    button_label = _("Close")
    success_message = _("The assessment round was closed.")

    def perform(self, form):
        return services.round_close(actor=self.request.user, assessment_round=self.get_object())


# What the figures table says of the figures shown, and of those last recorded, by the step reached.
FIGURES_NOTE = {
    AssessmentStatus.PENDING: _("As they stand today; they are recorded when the self-assessment is submitted."),
    AssessmentStatus.SELF_SUBMITTED: _(
        "As they stand today: the unit scores on them, and they are recorded again with its score."
    ),
    AssessmentStatus.UNIT_SCORED: _(
        "As they stand today: HQ grades on them, and they are recorded again with its grade."
    ),
    AssessmentStatus.GRADED: _("As they stood when HQ graded."),
}
RECORDED_HEADING = {
    AssessmentStatus.SELF_SUBMITTED: _("At the self-assessment"),
    AssessmentStatus.UNIT_SCORED: _("At the unit's score"),
}


def assessment_figures_context(assessment) -> dict:
    """The figures of an assessment still to be decided are the year's as they stand today (each
    step records them again, and its audit event keeps them); a graded one shows what HQ graded on."""
    if assessment.round.status == RoundStatus.OPEN and assessment.status != AssessmentStatus.GRADED:
        figures = assessment_figures(assessment.studio, assessment.round.year)
        recorded = assessment.figures if assessment.status in RECORDED_HEADING else None
        rows = figure_rows(figures, recorded)
        no_verified_result = not figures.get("verified_results")
        note = FIGURES_NOTE[assessment.status]
    else:
        rows, no_verified_result = figure_rows(assessment.figures), assessment.no_verified_result
        note = FIGURES_NOTE[AssessmentStatus.GRADED] if assessment.status == AssessmentStatus.GRADED else ""
    return {
        "figure_rows": rows,
        "figures_note": note,
        "recorded_heading": RECORDED_HEADING.get(assessment.status) if any("recorded" in r for r in rows) else None,
        "figures_changed": any(r.get("changed") for r in rows),
        "no_verified_result": no_verified_result,
    }


class AssessmentDetailView(ScopedDetailView):
    model = Assessment
    template_name = "studios/assessment_detail.html"
    list_select_related = ("round", "studio", "studio__unit")
    show_history = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assessment, user = self.object, self.request.user
        is_open = assessment.round.status == RoundStatus.OPEN
        context.update(
            **assessment_figures_context(assessment),
            can_self=is_open
            and assessment.status in (AssessmentStatus.PENDING, AssessmentStatus.SELF_SUBMITTED)
            and can(user, "self_assess", assessment),
            can_score=is_open
            and assessment.status == AssessmentStatus.SELF_SUBMITTED
            and can(user, "unit_score", assessment),
            can_grade=is_open and assessment.status == AssessmentStatus.UNIT_SCORED and can(user, "grade", assessment),
            history=audit_events_for(assessment.studio)[:10],
        )
        return context

    def get_breadcrumbs(self):
        return [ROUNDS, (str(self.object.round), self.object.round.get_absolute_url()), (self.object.studio.name, None)]


class AssessmentStepMixin:
    """The step's page shows the figures the step is taken on."""

    model = Assessment
    list_select_related = ("round", "studio", "studio__unit")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(assessment_figures_context(self.get_object()))
        return context

    def get_breadcrumbs(self):
        assessment = self.get_object()
        return [ROUNDS, (str(assessment.round), assessment.round.get_absolute_url()), (self.title, None)]


class AssessmentSelfView(AssessmentStepMixin, ScopedUpdateView):
    permission_action = "self_assess"
    form_class = SelfAssessmentForm
    title = _("Self-assessment")
    template_name = "studios/assessment_form.html"
    success_message = _("The self-assessment was submitted to the unit.")

    def perform(self, form):
        return services.assessment_self_submit(
            actor=self.request.user, assessment=self.get_object(), summary=form.cleaned_data["self_summary"]
        )


class AssessmentScoreView(AssessmentStepMixin, ScopedUpdateView):
    permission_action = "unit_score"
    form_class = UnitScoreForm
    title = _("Unit score")
    template_name = "studios/assessment_form.html"
    success_message = _("The score was recorded.")

    def perform(self, form):
        data = form.cleaned_data
        return services.assessment_unit_score(
            actor=self.request.user,
            assessment=self.get_object(),
            score=data["unit_score"],
            comment=data["unit_comment"],
        )


class AssessmentGradeView(AssessmentStepMixin, ScopedUpdateView):
    permission_action = "grade"
    form_class = GradeForm
    title = _("HQ grade")
    template_name = "studios/assessment_form.html"
    success_message = _("The grade was recorded.")

    def perform(self, form):
        data = form.cleaned_data
        return services.assessment_grade(
            actor=self.request.user,
            assessment=self.get_object(),
            grade=data["grade"],
            comment=data["comment"],
            deadline=data["deadline"],
        )
