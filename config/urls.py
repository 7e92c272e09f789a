from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from accounts import views as account_views
from core import views as core_views

urlpatterns = [
    path("", core_views.HomeView.as_view(), name="home"),
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("accounts.urls")),
    path("talent/", include("talent.urls")),
    path("studios/", include("studios.urls")),
    path("achievements/", include("achievements.urls")),
    path("alliances/", include("alliances.urls")),
    path("training/pairings/", include("mentoring.urls")),
    path("training/", include("training.urls")),
    path("showcase/", include("achievements.showcase_urls")),
    path("dashboard/", include("reports.dashboard_urls")),
    path("reports/", include("reports.urls")),
    path("", include("core.urls")),
    path("admin/", admin.site.urls),
]
