from django.urls import path

from . import views

app_name = "mentoring"

urlpatterns = [
    path("", views.PairingListView.as_view(), name="pairing_list"),
    path("new/", views.PairingCreateView.as_view(), name="pairing_create"),
    path("<int:pk>/", views.PairingDetailView.as_view(), name="pairing_detail"),
    path("<int:pk>/edit/", views.PairingUpdateView.as_view(), name="pairing_update"),
    path("<int:pk>/agreement/", views.PairingAgreementView.as_view(), name="pairing_agreement"),
    path("<int:pk>/progress/new/", views.ProgressCreateView.as_view(), name="progress_create"),
    path("<int:pk>/placements/new/", views.PlacementCreateView.as_view(), name="placement_create"),
    path("<int:pk>/grade/", views.PairingGradeView.as_view(), name="pairing_grade"),
    path("<int:pk>/assess/", views.PairingAssessView.as_view(), name="pairing_assess"),
    path("<int:pk>/end/", views.PairingEndView.as_view(), name="pairing_end"),
    path("rules/", views.RewardRuleView.as_view(), name="reward_rule"),
    path("rules/edit/", views.RewardRuleUpdateView.as_view(), name="reward_rule_update"),
    path("rewards/", views.RewardListView.as_view(), name="reward_list"),
]
