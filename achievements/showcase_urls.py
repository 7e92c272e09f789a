from django.urls import path

from . import showcase

app_name = "showcase"

urlpatterns = [
    path("", showcase.ShowcaseHomeView.as_view(), name="home"),
    path("studios/<int:pk>/", showcase.ShowcaseStudioView.as_view(), name="studio"),
    path("cases/<int:pk>/", showcase.ShowcaseCaseView.as_view(), name="case"),
    path("images/<int:pk>/", showcase.ShowcaseImageView.as_view(), name="image"),
    path("images/<int:pk>/thumbnail/", showcase.ShowcaseImageView.as_view(thumbnail=True), name="thumbnail"),
]
