from django.urls import path

from . import imports, views

app_name = "talent"

urlpatterns = [
    path("people/", views.PersonListView.as_view(), name="person_list"),
    path("people/new/", views.PersonCreateView.as_view(), name="person_create"),
    path("people/import/", imports.PersonImportView.as_view(), name="person_import"),
    path("people/import/template.xlsx", imports.PersonImportTemplateView.as_view(), name="person_import_template"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("people/<int:pk>/edit/", views.PersonUpdateView.as_view(), name="person_update"),
    path("people/<int:pk>/grade/", views.PersonGradeCreateView.as_view(), name="person_grade_create"),
    path("people/<int:pk>/honours/new/", views.HonourCreateView.as_view(), name="honour_create"),
    path("people/<int:pk>/link/", views.PersonLinkView.as_view(), name="person_link"),
    path("people/<int:pk>/photo/", views.PersonPhotoView.as_view(), name="person_photo"),
    path("honours/<int:pk>/delete/", views.HonourDeleteView.as_view(), name="honour_delete"),
    path("grades/<int:pk>/proof/", views.GradeProofView.as_view(), name="grade_proof"),
]
