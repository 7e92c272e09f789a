from django.db.models import Count
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from achievements.models import Project
from core.forms import PictureForm
from core.permissions import can
from core.views import (
    ObjectDocumentView,
    ProtectedFileView,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    TransitionView,
)
from studios import views as studio_views

from . import selectors, services
from .choices import AllianceStatus, DesignationBatchStatus
from .documents import designation_pdf, designation_workbook
from .filters import AllianceFilterSet
from .forms import (
    ActivityForm,
    AdmitForm,
    AllianceForm,
    AllianceFundingForm,
    DesignationBatchForm,
    DesignationForm,
    DocumentForm,
    ExitForm,
    JoinRequestForm,
    MemberAddForm,
    RemoveForm,
    TierForm,
)
from .models import (
    Activity,
    ActivityDocument,
    ActivityPhoto,
    Alliance,
    AllianceFundingEntry,
    AllianceMember,
    Designation,
    DesignationBatch,
)
from .tables import AllianceTable, DesignationBatchTable

ALLIANCES = (_("Alliances"), reverse_lazy("alliances:alliance_list"))
BATCHES = (_("Pilot and demonstration units"), reverse_lazy("alliances:batch_list"))


# Alliances ----------------------------------------------------------------------------------------


class AllianceListView(ScopedListView):
    model = Alliance
    keep_page = True
    # Alliances, their members and activities change by global writes only.
    kept_subtree_for_cadres = True
    table_class = AllianceTable
    filterset_class = AllianceFilterSet
    create_url_name = "alliances:alliance_create"

    def get_queryset(self):
        return selectors.alliance_list(self.request.user)

    def get_breadcrumbs(self):
        return [(ALLIANCES[0], None)]


def _year(request) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except (TypeError, ValueError):
        return today.year
    return year if 1950 <= year <= today.year + 1 else today.year


class AllianceDetailView(ScopedDetailView):
    model = Alliance
    template_name = "alliances/alliance_detail.html"
    list_select_related = ("lead_unit",)

    def get_context_data(self, **kwargs):
        from achievements.models import Result

        context = super().get_context_data(**kwargs)
        alliance, user = self.object, self.request.user
        year = _year(self.request)
        members = selectors.current_members(alliance)
        manages = can(user, "manage_members", alliance)
        open_ = alliance.status != AllianceStatus.DISSOLVED
        result_totals, top_results = selectors.member_results(alliance)
        projects = list(selectors.joint_projects(alliance))
        visible_projects = set(
            Project.objects.visible_to(user).filter(pk__in=[p.pk for p in projects]).values_list("pk", flat=True)
        )
        visible_results = set(
            Result.objects.visible_to(user).filter(pk__in=[r.pk for r in top_results]).values_list("pk", flat=True)
        )
        led = selectors.led_studio_ids(user) if user.is_studio_lead else set()
        pending = list(selectors.pending_requests(alliance)) if (manages or led) else []
        if not manages:
            pending = [m for m in pending if m.studio_id in led]
        context.update(
            year=year,
            years=sorted({year, timezone.localdate().year, *selectors.activity_years(alliance)}, reverse=True),
            members=members,
            member_units=len({m.studio.unit_id for m in members}),
            pending=pending,
            past_members=list(selectors.past_members(alliance)) if manages else [],
            activities=list(selectors.activities_in(alliance, year)),
            figures=selectors.year_figures(alliance, year),
            result_totals=result_totals,
            top_results=top_results,
            visible_results=visible_results,
            projects=projects,
            visible_projects=visible_projects,
            ledger=list(selectors.alliance_ledger(alliance)),
            funding=selectors.alliance_funding_totals(alliance),
            designations=list(selectors.designations_of(alliance)),
            led_studios=led,
            manages=manages and open_,
            can_change=can(user, "change", alliance) and open_,
            can_launch=can(user, "launch", alliance) and alliance.status == AllianceStatus.PREPARING,
            can_dissolve=can(user, "dissolve", alliance) and open_,
            can_request=can(user, "request_join", alliance)
            and open_
            and selectors.joinable_studios(user, alliance).exists(),
            can_log=can(user, "log_activity", alliance) and open_,
            can_manage_funding=can(user, "manage_funding", alliance) and open_,
        )
        return context

    def get_breadcrumbs(self):
        return [ALLIANCES, (self.object.name, None)]


class AllianceCreateView(ScopedCreateView):
    model = Alliance
    form_class = AllianceForm
    title = _("New alliance")
    success_message = _("The alliance was created in preparation. Add its members, then launch it.")

    def perform(self, form):
        return services.alliance_create(actor=self.request.user, **form.cleaned_data)

    def get_breadcrumbs(self):
        return [ALLIANCES, (self.title, None)]


class AllianceChildMixin:
    model = Alliance
    list_select_related = ("lead_unit",)

    def get_breadcrumbs(self):
        alliance = self.get_object()
        return [ALLIANCES, (alliance.name, alliance.get_absolute_url()), (self.title, None)]


class AllianceUpdateView(AllianceChildMixin, ScopedUpdateView):
    form_class = AllianceForm
    title = _("Edit alliance")

    def perform(self, form):
        return services.alliance_update(actor=self.request.user, alliance=self.get_object(), **form.cleaned_data)


class AllianceLaunchView(AllianceChildMixin, TransitionView):
    permission_action = "launch"
    title = _("Launch the alliance")
    button_label = _("Launch")
    button_class = "btn-success"
    confirm_message = _("The alliance moves from preparation to running.")
    success_message = _("The alliance is running.")

    def perform(self, form):
        return services.alliance_launch(
            actor=self.request.user, alliance=self.get_object(), comment=form.cleaned_data["comment"]
        )


class AllianceDissolveView(AllianceChildMixin, TransitionView):
    permission_action = "dissolve"
    comment_required = True
    title = _("Dissolve the alliance")
    button_label = _("Dissolve")
    button_class = "btn-danger"
    confirm_message = _("Every member leaves and pending requests are declined. This cannot be undone.")
    success_message = _("The alliance was dissolved.")

    def perform(self, form):
        return services.alliance_dissolve(
            actor=self.request.user, alliance=self.get_object(), reason=form.cleaned_data["comment"]
        )


class AllianceFileView(ProtectedFileView):
    model = Alliance


class JoinRequestView(AllianceChildMixin, ScopedUpdateView):
    permission_action = "request_join"
    form_class = JoinRequestForm
    title = _("Ask to join")
    success_message = _("Your request was sent to the alliance's lead unit.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance")
        kwargs["alliance"] = self.get_object()
        return kwargs

    def perform(self, form):
        services.member_request(actor=self.request.user, alliance=self.get_object(), **form.cleaned_data)
        return self.get_object()


class MemberAddView(AllianceChildMixin, ScopedUpdateView):
    permission_action = "manage_members"
    form_class = MemberAddForm
    title = _("Add a member studio")
    success_message = _("The studio was added to the alliance.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance")
        kwargs["alliance"] = self.get_object()
        return kwargs

    def perform(self, form):
        services.member_add(actor=self.request.user, alliance=self.get_object(), **form.cleaned_data)
        return self.get_object()


class MemberStepView(TransitionView):
    """A decision on one membership (admit, refuse, exit, removal, tier)."""

    model = AllianceMember
    list_select_related = ("alliance", "studio")

    def get_success_url(self):
        return self.get_object().alliance.get_absolute_url() + "#members"

    def get_breadcrumbs(self):
        member = self.get_object()
        return [ALLIANCES, (member.alliance.name, member.alliance.get_absolute_url()), (self.title, None)]


class MemberAdmitView(MemberStepView):
    permission_action = "decide"
    form_class = AdmitForm
    title = _("Admit the studio")
    button_label = _("Admit")
    button_class = "btn-success"
    success_message = _("The studio was admitted.")

    def perform(self, form):
        return services.member_admit(actor=self.request.user, member=self.get_object(), **form.cleaned_data)


class MemberRefuseView(MemberStepView):
    permission_action = "decide"
    comment_required = True
    title = _("Refuse the request")
    button_label = _("Refuse")
    button_class = "btn-warning"
    success_message = _("The request was refused.")

    def perform(self, form):
        return services.member_refuse(
            actor=self.request.user, member=self.get_object(), reason=form.cleaned_data["comment"]
        )


class MemberExitRequestView(MemberStepView):
    permission_action = "request_exit"
    comment_required = True
    title = _("Ask to leave the alliance")
    button_label = _("Ask to leave")
    button_class = "btn-warning"
    success_message = _("Your request to leave was sent to the alliance's lead unit.")

    def perform(self, form):
        return services.member_exit_request(
            actor=self.request.user, member=self.get_object(), reason=form.cleaned_data["comment"]
        )


class MemberExitApproveView(MemberStepView):
    permission_action = "decide"
    form_class = ExitForm
    title = _("Approve leaving")
    button_label = _("Approve")
    button_class = "btn-success"
    success_message = _("The studio has left the alliance.")

    def perform(self, form):
        return services.member_exit_approve(actor=self.request.user, member=self.get_object(), **form.cleaned_data)


class MemberRemoveView(MemberStepView):
    permission_action = "remove"
    form_class = RemoveForm
    title = _("Remove the studio from the alliance")
    button_label = _("Remove")
    button_class = "btn-danger"
    confirm_message = _("A weak member is removed with a reason (退出机制). The studio's leads are told.")
    success_message = _("The studio was removed from the alliance.")

    def perform(self, form):
        return services.member_remove(actor=self.request.user, member=self.get_object(), **form.cleaned_data)


class MemberTierView(MemberStepView):
    permission_action = "change"
    form_class = TierForm
    title = _("Change the tier")
    button_label = _("Save")
    success_message = _("The tier was changed.")

    def get_initial(self):
        return {"tier": self.get_object().tier}

    def perform(self, form):
        return services.member_set_tier(actor=self.request.user, member=self.get_object(), **form.cleaned_data)


# Activities ---------------------------------------------------------------------------------------


class ActivityCreateView(AllianceChildMixin, ScopedUpdateView):
    permission_action = "log_activity"
    form_class = ActivityForm
    title = _("Log an activity")
    success_message = _("The activity was logged. Add its photos and documents here.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Activity(alliance=self.get_object())
        kwargs["alliance"] = self.get_object()
        return kwargs

    def perform(self, form):
        return services.activity_create(actor=self.request.user, alliance=self.get_object(), **form.cleaned_data)


class ActivityDetailView(ScopedDetailView):
    """One activity; its history is on the alliance's timeline."""

    model = Activity
    template_name = "alliances/activity_detail.html"
    list_select_related = ("alliance", "organiser", "organiser__unit", "project", "recorded_by")
    show_history = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        activity, user = self.object, self.request.user
        context.update(
            studios=list(activity.studios.select_related("unit").order_by("unit__path", "name")),
            people=list(activity.people.select_related("unit").order_by("name")),
            photos=list(activity.photos.all()),
            documents=list(activity.documents.all()),
            can_change=can(user, "change", activity) and activity.alliance.status != AllianceStatus.DISSOLVED,
            project_visible=activity.project_id is not None
            and Project.objects.visible_to(user).filter(pk=activity.project_id).exists(),
        )
        return context

    def get_breadcrumbs(self):
        alliance = self.object.alliance
        return [ALLIANCES, (alliance.name, alliance.get_absolute_url()), (self.object.title, None)]


class ActivityChildMixin:
    model = Activity
    list_select_related = ("alliance",)

    def get_breadcrumbs(self):
        activity = self.get_object()
        alliance = activity.alliance
        return [
            ALLIANCES,
            (alliance.name, alliance.get_absolute_url()),
            (activity.title, activity.get_absolute_url()),
            (self.title, None),
        ]


class ActivityUpdateView(ActivityChildMixin, ScopedUpdateView):
    form_class = ActivityForm
    title = _("Edit activity")

    def get_initial(self):
        activity = self.get_object()
        return {"studios": list(activity.studios.all()), "people": list(activity.people.all())}

    def perform(self, form):
        return services.activity_update(actor=self.request.user, activity=self.get_object(), **form.cleaned_data)


class ActivityPhotoCreateView(ActivityChildMixin, ScopedUpdateView):
    form_class = PictureForm
    title = _("Add a photo")
    success_message = _("The photo was added.")

    def perform(self, form):
        services.activity_photo_add(actor=self.request.user, activity=self.get_object(), **form.cleaned_data)
        return self.get_object()


class ActivityPhotoDeleteView(TransitionView):
    model = ActivityPhoto
    permission_action = "delete"
    title = _("Remove photo")
    button_label = _("Remove")
    button_class = "btn-danger"
    success_message = _("The photo was removed.")
    list_select_related = ("activity", "activity__alliance")

    def perform(self, form):
        photo = self.get_object()
        services.activity_photo_delete(actor=self.request.user, photo=photo)
        return photo.activity


class ActivityPhotoView(ProtectedFileView):
    model = ActivityPhoto
    file_field = "image"
    as_attachment = False


class ActivityThumbnailView(ProtectedFileView):
    model = ActivityPhoto
    file_field = "thumbnail"
    as_attachment = False


class ActivityDocumentCreateView(ActivityChildMixin, ScopedUpdateView):
    form_class = DocumentForm
    title = _("Add a document")
    success_message = _("The document was added.")

    def perform(self, form):
        services.activity_document_add(actor=self.request.user, activity=self.get_object(), **form.cleaned_data)
        return self.get_object()


class ActivityDocumentView(ProtectedFileView):
    model = ActivityDocument
    file_field = "file"

    def get_download_name(self, obj, field_file):
        extension = field_file.name.rsplit(".", 1)[-1]
        return f"{obj.title}.{extension}"


# Funding ------------------------------------------------------------------------------------------


class FundingCreateView(AllianceChildMixin, ScopedUpdateView):
    permission_action = "manage_funding"
    form_class = AllianceFundingForm
    title = _("Record funding")
    success_message = _("The funding entry was recorded.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = AllianceFundingEntry(alliance=self.get_object())
        return kwargs

    def get_success_url(self):
        return self.get_object().get_absolute_url() + "#funding"

    def perform(self, form):
        services.funding_add(actor=self.request.user, alliance=self.get_object(), **form.cleaned_data)
        return self.get_object()


class FundingVoucherView(ProtectedFileView):
    model = AllianceFundingEntry
    file_field = "voucher"


class FundingReverseView(studio_views.FundingReverseView):
    model = AllianceFundingEntry
    owner = "alliance"
    owner_crumb = ALLIANCES
    list_select_related = ("alliance",)

    def reverse_line(self, **kwargs):
        return services.funding_reverse(**kwargs)


# Designation batches ------------------------------------------------------------------------------


class BatchListView(ScopedListView):
    model = DesignationBatch
    table_class = DesignationBatchTable
    filterset_class = None
    create_url_name = "alliances:batch_create"
    title = _("Pilot and demonstration units")

    def get_queryset(self):
        return (
            DesignationBatch.objects.visible_to(self.request.user)
            .annotate(designation_count=Count("designations"))
            .order_by("-designated_on", "-id")
        )

    def get_filterset_class(self):
        import django_filters

        class DesignationBatchFilterSet(django_filters.FilterSet):
            class Meta:
                model = DesignationBatch
                fields = ["status"]

        return DesignationBatchFilterSet

    def get_breadcrumbs(self):
        return [(BATCHES[0], None)]


def batch_designations(batch):
    return list(
        batch.designations.select_related("alliance", "alliance__lead_unit", "studio", "studio__unit").order_by(
            "-kind",
            "id",  # pilot units first, then demonstration units
        )
    )


class BatchDetailView(ScopedDetailView):
    model = DesignationBatch
    template_name = "alliances/batch_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batch, user = self.object, self.request.user
        draft = batch.status == DesignationBatchStatus.DRAFT
        context.update(
            designations=batch_designations(batch),
            can_change=can(user, "change", batch) and draft,
            can_publish=can(user, "publish", batch) and draft,
            can_export=can(user, "export", batch),
        )
        return context

    def get_breadcrumbs(self):
        return [BATCHES, (str(self.object), None)]


class BatchCreateView(ScopedCreateView):
    model = DesignationBatch
    form_class = DesignationBatchForm
    title = _("New designation batch")

    def perform(self, form):
        return services.designation_batch_create(actor=self.request.user, **form.cleaned_data)

    def get_breadcrumbs(self):
        return [BATCHES, (self.title, None)]


class BatchChildMixin:
    model = DesignationBatch

    def get_breadcrumbs(self):
        batch = self.get_object()
        return [BATCHES, (str(batch), batch.get_absolute_url()), (self.title, None)]


class BatchUpdateView(BatchChildMixin, ScopedUpdateView):
    form_class = DesignationBatchForm
    title = _("Edit designation batch")

    def perform(self, form):
        return services.designation_batch_update(actor=self.request.user, batch=self.get_object(), **form.cleaned_data)


class DesignationAddView(BatchChildMixin, ScopedUpdateView):
    form_class = DesignationForm
    title = _("Add a designation")
    success_message = _("The designation was added.")

    def perform(self, form):
        services.designation_add(actor=self.request.user, batch=self.get_object(), **form.cleaned_data)
        return self.get_object()


class DesignationRemoveView(TransitionView):
    model = Designation
    permission_action = "delete"
    title = _("Remove designation")
    button_label = _("Remove")
    button_class = "btn-danger"
    success_message = _("The designation was removed.")
    list_select_related = ("batch", "alliance", "studio")

    def perform(self, form):
        return services.designation_remove(actor=self.request.user, designation=self.get_object())


class BatchPublishView(BatchChildMixin, TransitionView):
    permission_action = "publish"
    title = _("Publish the batch")
    button_label = _("Publish")
    button_class = "btn-success"
    confirm_message = _(
        "The designations become official and visible to everyone. "
        "Designated studios rise to that tier in their alliances."
    )
    success_message = _("The batch was published.")

    def perform(self, form):
        return services.designation_batch_publish(
            actor=self.request.user, batch=self.get_object(), comment=form.cleaned_data["comment"]
        )


class BatchExportView(ObjectDocumentView):
    """The designation list of a batch as Excel or PDF (Chinese fonts)."""

    model = DesignationBatch

    def workbook(self, batch):
        return designation_workbook(batch, batch_designations(batch))

    def pdf(self, batch):
        return designation_pdf(batch, batch_designations(batch))
