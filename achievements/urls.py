from django.urls import path

from . import imports, views

app_name = "achievements"

urlpatterns = [
    path("", views.ResultListView.as_view(), name="result_list"),
    path("results/new/", views.ResultCreateView.as_view(), name="result_create"),
    path("results/import/", imports.ResultImportView.as_view(), name="result_import"),
    path("results/import/template.xlsx", imports.ResultImportTemplateView.as_view(), name="result_import_template"),
    path("results/<int:pk>/", views.ResultDetailView.as_view(), name="result_detail"),
    path("results/<int:pk>/edit/", views.ResultUpdateView.as_view(), name="result_update"),
    path("results/<int:pk>/submit/", views.ResultSubmitView.as_view(), name="result_submit"),
    path("results/<int:pk>/verify/", views.ResultVerifyView.as_view(), name="result_verify"),
    path("results/<int:pk>/return/", views.ResultReturnView.as_view(), name="result_return"),
    path("results/<int:pk>/proof/", views.ResultProofView.as_view(), name="result_proof"),
    path("results/<int:pk>/adoptions/new/", views.AdoptionCreateView.as_view(), name="adoption_create"),
    path("adoptions/<int:pk>/proof/", views.AdoptionProofView.as_view(), name="adoption_proof"),
    path("results/<int:pk>/images/new/", views.ResultImageCreateView.as_view(), name="image_create"),
    path("images/<int:pk>/", views.ResultImageFileView.as_view(), name="image_file"),
    path("images/<int:pk>/thumbnail/", views.ResultThumbnailView.as_view(), name="image_thumbnail"),
    path("images/<int:pk>/delete/", views.ResultImageDeleteView.as_view(), name="image_delete"),
    path("results/<int:pk>/case/propose/", views.CaseProposeView.as_view(), name="case_propose"),
    path("results/<int:pk>/case/approve/", views.CaseApproveView.as_view(), name="case_approve"),
    path("results/<int:pk>/case/withdraw/", views.CaseWithdrawView.as_view(), name="case_withdraw"),
    path("projects/", views.ProjectListView.as_view(), name="project_list"),
    path("project-kinds/", views.ProjectKindListView.as_view(), name="kind_list"),
    path("project-kinds/new/", views.ProjectKindCreateView.as_view(), name="kind_create"),
    path("project-kinds/<int:pk>/edit/", views.ProjectKindUpdateView.as_view(), name="kind_update"),
    path("projects/new/", views.ProjectCreateView.as_view(), name="project_create"),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("projects/<int:pk>/edit/", views.ProjectUpdateView.as_view(), name="project_update"),
    path("projects/<int:pk>/start/", views.ProjectStartView.as_view(), name="project_start"),
    path("projects/<int:pk>/close/", views.ProjectCloseView.as_view(), name="project_close"),
    path("projects/<int:pk>/terminate/", views.ProjectTerminateView.as_view(), name="project_terminate"),
    path("projects/<int:pk>/milestones/new/", views.MilestoneCreateView.as_view(), name="milestone_create"),
    path("milestones/<int:pk>/progress/", views.MilestoneProgressView.as_view(), name="milestone_progress"),
    path("results/<int:pk>/awards/new/", views.AwardCreateView.as_view(), name="award_create"),
    path("results/<int:pk>/attachments/new/", views.AttachmentCreateView.as_view(), name="attachment_create"),
    path("attachments/<int:pk>/", views.AttachmentFileView.as_view(), name="attachment_file"),
]
