from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Unit, User


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ("name", "code", "kind", "depth", "is_active")
    search_fields = ("name", "code")


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ("username", "name", "role", "unit", "is_active", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("username", "name", "email")
    exclude = ("password",)
