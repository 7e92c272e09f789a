from django.urls import path

from . import views

app_name = "achievements"

urlpatterns = [
    path("", views.ResultListView.as_view(), name="result_list"),
    path("results/new/", views.ResultCreateView.as_view(), name="result_create"),
    path("results/<int:pk>/", views.ResultDetailView.as_view(), name="result_detail"),
    path("results/<int:pk>/edit/", views.ResultUpdateView.as_view(), name="result_update"),
    path("results/<int:pk>/submit/", views.ResultSubmitView.as_view(), name="result_submit"),
    path("results/<int:pk>/verify/", views.ResultVerifyView.as_view(), name="result_verify"),
    path("results/<int:pk>/return/", views.ResultReturnView.as_view(), name="result_return"),
    path("results/<int:pk>/proof/", views.ResultProofView.as_view(), name="result_proof"),
    path("results/<int:pk>/adoptions/new/", views.AdoptionCreateView.as_view(), name="adoption_create"),
    path("adoptions/<int:pk>/proof/", views.AdoptionProofView.as_view(), name="adoption_proof"),
    path("projects/", views.ProjectListView.as_view(), name="project_list"),
    path("projects/new/", views.ProjectCreateView.as_view(), name="project_create"),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("projects/<int:pk>/edit/", views.ProjectUpdateView.as_view(), name="project_update"),
    path("projects/<int:pk>/start/", views.ProjectStartView.as_view(), name="project_start"),
    path("projects/<int:pk>/close/", views.ProjectCloseView.as_view(), name="project_close"),
    path("projects/<int:pk>/terminate/", views.ProjectTerminateView.as_view(), name="project_terminate"),
]
