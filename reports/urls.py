"""Annual statistics reports (年度统计报表): /reports/."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.ReportListView.as_view(), name="report_list"),
    path("new/", views.ReportCreateView.as_view(), name="report_create"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("<int:pk>/progress/", views.ReportProgressView.as_view(), name="report_progress"),
    path("<int:pk>/submit/", views.ReportSubmitView.as_view(), name="report_submit"),
    path("<int:pk>/report.xlsx", views.ReportFileView.as_view(file_field="xlsx"), name="report_xlsx"),
    path("<int:pk>/report.pdf", views.ReportFileView.as_view(file_field="pdf"), name="report_pdf"),
]
