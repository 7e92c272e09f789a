from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from core.forms import PictureForm, kind_form
from core.permissions import can
from core.views import (
    KindCreateView,
    KindListView,
    KindUpdateView,
    ProtectedFileView,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    TransitionView,
)

from . import selectors, services
from .choices import CaseStatus, ProjectStatus, ResultStatus
from .filters import ProjectFilterSet, ResultFilterSet
from .forms import (
    AdoptionForm,
    AttachmentForm,
    AwardForm,
    CaseProposalForm,
    ClosingForm,
    MilestoneForm,
    ProgressForm,
    ProjectForm,
    ResultForm,
)
from .models import Adoption, Attachment, Milestone, Project, ProjectKind, Result, ResultImage
from .tables import ProjectTable, ResultTable

PROJECTS = (_("Projects"), reverse_lazy("achievements:project_list"))
RESULTS = (_("Innovation results"), reverse_lazy("achievements:result_list"))


# Projects -----------------------------------------------------------------------------------------


class ProjectListView(ScopedListView):
    model = Project
    keep_page = True
    table_class = ProjectTable
    filterset_class = ProjectFilterSet
    create_url_name = "achievements:project_create"
    title = _("Projects")

    def get_queryset(self):
        return selectors.project_list(self.request.user)

    def get_breadcrumbs(self):
        return [(PROJECTS[0], None)]


class ProjectDetailView(ScopedDetailView):
    model = Project
    template_name = "achievements/project_detail.html"
    list_select_related = ("studio", "studio__unit", "leader")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project, user = self.object, self.request.user
        is_open = project.status in (ProjectStatus.APPROVED, ProjectStatus.IN_PROGRESS)
        context.update(
            team=list(project.team.select_related("unit")),
            partners=list(project.partner_studios.select_related("unit")),
            results=list(Result.objects.visible_to(user).filter(project=project)),
            milestones=list(project.milestones.all()),
            can_manage_milestones=is_open and can(user, "manage_milestones", project),
            can_change=is_open and can(user, "change", project),
            can_start=project.status == ProjectStatus.APPROVED and can(user, "start", project),
            can_close=is_open and can(user, "close", project),
        )
        return context

    def get_breadcrumbs(self):
        return [PROJECTS, (self.object.title, None)]


class ProjectCreateView(ScopedCreateView):
    model = Project
    form_class = ProjectForm
    title = _("New project")
    success_message = _("The project was registered.")

    def get_initial(self):
        studio = self.request.GET.get("studio", "")
        return {"studio": studio} if studio.isdigit() else {}

    def perform(self, form):
        data = dict(form.cleaned_data)
        return services.project_create(
            actor=self.request.user,
            studio=data.pop("studio"),
            team=data.pop("team"),
            partner_studios=data.pop("partner_studios"),
            **data,
        )

    def get_breadcrumbs(self):
        return [PROJECTS, (self.title, None)]


class ProjectChildMixin:
    model = Project
    list_select_related = ("studio",)

    def get_breadcrumbs(self):
        project = self.get_object()
        return [PROJECTS, (project.title, project.get_absolute_url()), (self.title, None)]


class ProjectUpdateView(ProjectChildMixin, ScopedUpdateView):
    form_class = ProjectForm
    title = _("Edit project")

    def perform(self, form):
        data = dict(form.cleaned_data)
        return services.project_update(
            actor=self.request.user,
            project=self.get_object(),
            team=data.pop("team"),
            partner_studios=data.pop("partner_studios"),
            **data,
        )


class ProjectStartView(ProjectChildMixin, TransitionView):
    permission_action = "start"
    title = _("Start the project")
    button_label = _("Start")
    success_message = _("The project is in progress.")

    def perform(self, form):
        return services.project_start(
            actor=self.request.user, project=self.get_object(), comment=form.cleaned_data["comment"]
        )


class ProjectCloseView(ProjectChildMixin, TransitionView):
    permission_action = "close"
    form_class = ClosingForm
    title = _("Close the project (结题)")
    button_label = _("Close")
    button_class = "btn-success"
    success_message = _("The project was closed.")

    def perform(self, form):
        data = form.cleaned_data
        return services.project_close(
            actor=self.request.user, project=self.get_object(), summary=data["comment"], closed_on=data["closed_on"]
        )


class ProjectTerminateView(ProjectChildMixin, TransitionView):
    permission_action = "terminate"
    comment_required = True
    title = _("Terminate the project")
    button_label = _("Terminate")
    button_class = "btn-danger"
    success_message = _("The project was terminated.")

    def perform(self, form):
        return services.project_terminate(
            actor=self.request.user, project=self.get_object(), reason=form.cleaned_data["comment"]
        )


# Results ------------------------------------------------------------------------------------------


class ResultListView(ScopedListView):
    model = Result
    keep_page = True
    # A cadre sees the results of its subtree's studios (counted under the studio's unit); the
    # studio's name and a result's adoptions (audited on the result) move the same subtree.
    kept_subtree_for_cadres = True
    table_class = ResultTable
    filterset_class = ResultFilterSet
    create_url_name = "achievements:result_create"
    title = _("Innovation results")
    template_name = "achievements/result_list.html"

    def get_queryset(self):
        return selectors.result_list(self.request.user)

    def get_breadcrumbs(self):
        return [(RESULTS[0], None)]


class ResultDetailView(ScopedDetailView):
    model = Result
    template_name = "achievements/result_detail.html"
    list_select_related = ("studio", "studio__unit", "project")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        result, user = self.object, self.request.user
        editable = result.status in services.EDITABLE_RESULT_STATES
        context.update(
            contributors=list(result.contributors.select_related("person", "person__unit")),
            adoptions=list(result.adoptions.select_related("unit")),
            adoption_totals=selectors.adoption_totals(result),
            can_change=editable and can(user, "change", result),
            can_submit=editable and can(user, "submit", result),
            can_verify=result.status == ResultStatus.SUBMITTED and can(user, "verify", result),
            can_return=result.status in (ResultStatus.SUBMITTED, ResultStatus.VERIFIED) and can(user, "return", result),
            can_add_adoption=result.status == ResultStatus.VERIFIED and can(user, "add_adoption", result),
            images=list(result.images.all()),
            awards=list(result.awards.all()),
            attachments=list(result.attachments.all()),
            can_add_award=result.status == ResultStatus.VERIFIED and can(user, "add_award", result),
            can_attach=can(user, "attach", result),
            can_upload_image=can(user, "upload_image", result),
            can_propose_case=result.status == ResultStatus.VERIFIED
            and not result.ip_disputed
            and result.case_status == CaseStatus.NONE
            and can(user, "propose_case", result),
            can_approve_case=result.case_status == CaseStatus.PROPOSED and can(user, "approve_case", result),
            can_withdraw_case=result.case_status != CaseStatus.NONE and can(user, "withdraw_case", result),
        )
        return context

    def get_breadcrumbs(self):
        return [RESULTS, (self.object.title, None)]


class ResultCreateView(ScopedCreateView):
    model = Result
    form_class = ResultForm
    title = _("New result")
    success_message = _("The result was recorded as a draft.")

    def get_initial(self):
        # From a studio's or a project's page: that studio, that project.
        return {name: value for name in ("studio", "project") if (value := self.request.GET.get(name, "")).isdigit()}

    def perform(self, form):
        data = dict(form.cleaned_data)
        return services.result_create(
            actor=self.request.user, studio=data.pop("studio"), contributors=list(data.pop("contributors")), **data
        )

    def get_breadcrumbs(self):
        return [RESULTS, (self.title, None)]


class ResultChildMixin:
    model = Result
    list_select_related = ("studio", "studio__unit")

    def get_breadcrumbs(self):
        result = self.get_object()
        return [RESULTS, (result.title, result.get_absolute_url()), (self.title, None)]


# Why a result's edit page is not offered, by its state.
RESULT_NOT_EDITABLE = {
    ResultStatus.SUBMITTED: _(
        "This result is with the unit for verification and cannot be changed; "
        "ask the unit to return it if something must change."
    ),
    ResultStatus.VERIFIED: _(
        "This result is verified and counts in the statistics, so it can no longer be changed. "
        "Where it is applied, awards, pictures and attachments are still added on this page."
    ),
}


class ResultUpdateView(ResultChildMixin, ScopedUpdateView):
    """A result that its state keeps from changing is not offered as a form to be refused on
    save: the edit page leads back to the result with the reason (409 to a form posted anyway)."""

    form_class = ResultForm
    title = _("Edit result")

    def refusal(self):
        result = self.get_object()
        if result.status in services.EDITABLE_RESULT_STATES:
            return None
        return RESULT_NOT_EDITABLE.get(
            result.status, _("A submitted or verified result cannot be changed; ask the unit to return it.")
        )

    def get(self, request, *args, **kwargs):
        refusal = self.refusal()
        if refusal:
            messages.warning(request, refusal)
            return redirect(self.get_object())
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        refusal = self.refusal()
        if refusal:
            form = self.get_form()
            form.add_error(None, refusal)
            return self.render_to_response(self.get_context_data(form=form), status=409)
        return super().post(request, *args, **kwargs)

    def perform(self, form):
        data = dict(form.cleaned_data)
        contributors = list(data.pop("contributors"))
        return services.result_update(
            actor=self.request.user, result=self.get_object(), contributors=contributors, **data
        )


class ResultSubmitView(ResultChildMixin, TransitionView):
    permission_action = "submit"
    title = _("Submit for verification")
    button_label = _("Submit")
    confirm_message = _("The unit's cadre verifies the result; until then it counts nowhere.")
    success_message = _("The result was submitted for verification.")

    def perform(self, form):
        return services.result_submit(actor=self.request.user, result=self.get_object())


class ResultVerifyView(ResultChildMixin, TransitionView):
    permission_action = "verify"
    title = _("Verify the result")
    button_label = _("Verify")
    button_class = "btn-success"
    success_message = _("The result was verified; it now counts in the statistics.")

    def perform(self, form):
        return services.result_verify(
            actor=self.request.user, result=self.get_object(), comment=form.cleaned_data["comment"]
        )


class ResultReturnView(ResultChildMixin, TransitionView):
    permission_action = "return"
    comment_required = True
    title = _("Return the result")
    button_label = _("Return")
    button_class = "btn-warning"
    success_message = _("The result was returned to the studio.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.get_object().status == ResultStatus.VERIFIED:
            context["confirm_message"] = _(
                "This result is verified and counts in the statistics. Returned for correction, it "
                "counts nowhere until the studio submits it again and it is verified; annual reports "
                "already submitted keep their figures, and a typical case leaves the showcase."
            )
        return context

    def perform(self, form):
        return services.result_return(
            actor=self.request.user, result=self.get_object(), reason=form.cleaned_data["comment"]
        )


class AdoptionCreateView(ResultChildMixin, ScopedUpdateView):
    permission_action = "add_adoption"
    form_class = AdoptionForm
    title = _("Record an application elsewhere")
    success_message = _("The application was recorded.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Adoption(result=self.get_object())
        return kwargs

    def perform(self, form):
        services.adoption_add(actor=self.request.user, result=self.get_object(), **form.cleaned_data)
        return self.get_object()


class ResultProofView(ProtectedFileView):
    model = Result
    file_field = "benefit_proof"


class AdoptionProofView(ProtectedFileView):
    model = Adoption
    file_field = "proof"


class ResultImageCreateView(ResultChildMixin, ScopedUpdateView):
    permission_action = "upload_image"
    form_class = PictureForm
    title = _("Add a picture")
    success_message = _("The picture was added.")

    def perform(self, form):
        data = form.cleaned_data
        services.result_image_add(
            actor=self.request.user, result=self.get_object(), image=data["image"], caption=data["caption"]
        )
        return self.get_object()


class ResultImageDeleteView(TransitionView):
    model = ResultImage
    permission_action = "delete"
    title = _("Remove the picture")
    button_label = _("Remove")
    button_class = "btn-danger"
    success_message = _("The picture was removed.")
    list_select_related = ("result",)

    def perform(self, form):
        picture = self.get_object()
        services.result_image_delete(actor=self.request.user, picture=picture)
        return picture.result


class ResultImageFileView(ProtectedFileView):
    model = ResultImage
    file_field = "image"
    as_attachment = False


class ResultThumbnailView(ProtectedFileView):
    model = ResultImage
    file_field = "thumbnail"
    as_attachment = False


class CaseProposeView(ResultChildMixin, TransitionView):
    permission_action = "propose_case"
    form_class = CaseProposalForm
    title = _("Propose as a typical case")
    button_label = _("Propose")
    success_message = _("The result was proposed to HQ as a typical case.")

    def perform(self, form):
        return services.result_case_propose(
            actor=self.request.user, result=self.get_object(), story=form.cleaned_data["comment"]
        )


class CaseApproveView(ResultChildMixin, TransitionView):
    permission_action = "approve_case"
    title = _("Approve the typical case")
    button_label = _("Approve")
    button_class = "btn-success"
    confirm_message = _("The case story, the studio and the pictures appear on the public showcase.")
    success_message = _("The case is on the public showcase.")

    def perform(self, form):
        return services.result_case_approve(
            actor=self.request.user, result=self.get_object(), comment=form.cleaned_data["comment"]
        )


class CaseWithdrawView(ResultChildMixin, TransitionView):
    permission_action = "withdraw_case"
    comment_required = True
    title = _("Decline or take off the showcase")
    button_label = _("Confirm")
    button_class = "btn-warning"
    success_message = _("The case is no longer proposed or shown.")

    def perform(self, form):
        return services.result_case_withdraw(
            actor=self.request.user, result=self.get_object(), reason=form.cleaned_data["comment"]
        )


class MilestoneCreateView(ProjectChildMixin, ScopedUpdateView):
    permission_action = "manage_milestones"
    form_class = MilestoneForm
    title = _("Add a milestone")
    success_message = _("The milestone was added.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Milestone(project=self.get_object())
        return kwargs

    def perform(self, form):
        services.milestone_add(actor=self.request.user, project=self.get_object(), **form.cleaned_data)
        return self.get_object()


class MilestoneProgressView(ScopedUpdateView):
    model = Milestone
    permission_action = "change"
    form_class = ProgressForm
    title = _("Record progress")
    success_message = _("The progress was recorded.")
    list_select_related = ("project",)

    def perform(self, form):
        data = form.cleaned_data
        milestone = services.milestone_progress(
            actor=self.request.user, milestone=self.get_object(), progress=data["progress"], done_on=data["done_on"]
        )
        return milestone.project

    def get_breadcrumbs(self):
        project = self.get_object().project
        return [PROJECTS, (project.title, project.get_absolute_url()), (self.title, None)]


class AwardCreateView(ResultChildMixin, ScopedUpdateView):
    permission_action = "add_award"
    form_class = AwardForm
    title = _("Record an award")
    success_message = _("The award was recorded.")

    def get_form_kwargs(self):
        from .models import Award

        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Award(result=self.get_object())
        return kwargs

    def perform(self, form):
        services.award_add(actor=self.request.user, result=self.get_object(), **form.cleaned_data)
        return self.get_object()


class AttachmentCreateView(ResultChildMixin, ScopedUpdateView):
    permission_action = "attach"
    form_class = AttachmentForm
    title = _("Attach a document")
    success_message = _("The document was attached.")

    def perform(self, form):
        data = form.cleaned_data
        services.attachment_add(
            actor=self.request.user, result=self.get_object(), title=data["title"], file=data["file"]
        )
        return self.get_object()


class AttachmentFileView(ProtectedFileView):
    model = Attachment
    file_field = "file"

    def get_download_name(self, obj, field_file):
        return f"{obj.title}.{field_file.name.rsplit('.', 1)[-1]}"


class ProjectKindListView(KindListView):
    model = ProjectKind
    usage_relation = "projects"
    usage_label = _("Projects")
    create_url_name = "achievements:kind_create"
    update_url_name = "achievements:kind_update"
    title = _("Project kinds")


class ProjectKindCreateView(KindCreateView):
    model = ProjectKind
    form_class = kind_form(ProjectKind)
    title = _("New project kind")


class ProjectKindUpdateView(KindUpdateView):
    model = ProjectKind
    form_class = kind_form(ProjectKind)
    title = _("Edit project kind")
