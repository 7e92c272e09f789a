"""Annual statistics reports (年度统计报表): /reports/."""

from django.urls import path  # noqa: F401

app_name = "reports"

urlpatterns: list = []
