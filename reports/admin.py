from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import AnnualReport


@admin.register(AnnualReport)
class AnnualReportAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "year", "unit", "status", "progress", "attempts", "requested_by", "finished_at")
    list_filter = ("status", "year")
    search_fields = ("unit__name",)
    list_select_related = ("unit", "requested_by")
    exclude = ("data",)
