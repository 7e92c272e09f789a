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
    # Selection campaigns (工匠评选 / 优秀成果评选)
    path("campaigns/", views.CampaignListView.as_view(), name="campaign_list"),
    path("campaigns/new/", views.CampaignCreateView.as_view(), name="campaign_create"),
    path("campaigns/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.CampaignUpdateView.as_view(), name="campaign_update"),
    path("campaigns/<int:pk>/criteria/new/", views.CriterionCreateView.as_view(), name="criterion_create"),
    path("campaigns/<int:pk>/experts/new/", views.PanelAddView.as_view(), name="panel_add"),
    path("campaigns/<int:pk>/nominate/", views.NominationCreateView.as_view(), name="nomination_create"),
    path("campaigns/<int:pk>/start-scoring/", views.CampaignStartScoringView.as_view(), name="campaign_start_scoring"),
    path("campaigns/<int:pk>/ranking/", views.CampaignRankingView.as_view(), name="campaign_ranking"),
    path("campaigns/<int:pk>/ranking.xlsx", views.CampaignRankingExportView.as_view(), name="campaign_ranking_export"),
    path("campaigns/<int:pk>/publicise/", views.CampaignPubliciseView.as_view(), name="campaign_publicise"),
    path("campaigns/<int:pk>/close/", views.CampaignCloseView.as_view(), name="campaign_close"),
    path("criteria/<int:pk>/edit/", views.CriterionUpdateView.as_view(), name="criterion_update"),
    path("criteria/<int:pk>/delete/", views.CriterionDeleteView.as_view(), name="criterion_delete"),
    path("panel/<int:pk>/remove/", views.PanelRemoveView.as_view(), name="panel_remove"),
    path("nominations/<int:pk>/", views.NominationDetailView.as_view(), name="nomination_detail"),
    path("nominations/<int:pk>/withdraw/", views.NominationWithdrawView.as_view(), name="nomination_withdraw"),
    path("nominations/<int:pk>/material/", views.NominationMaterialView.as_view(), name="nomination_material"),
    path("nominations/<int:pk>/score/", views.ScoreView.as_view(), name="nomination_score"),
    path("nominations/<int:pk>/recuse/", views.NominationRecuseView.as_view(), name="nomination_recuse"),
    path("scoring/", views.ScoringQueueView.as_view(), name="scoring_queue"),
]
