"""The dashboards (数据看板): /dashboard/."""

from django.urls import path

from . import dashboard_views as views

app_name = "dashboard"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="index"),
    path("chart/<slug:code>.xlsx", views.DashboardChartExportView.as_view(), name="chart_xlsx"),
]
