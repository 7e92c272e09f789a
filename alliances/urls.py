from django.urls import path

from . import views

app_name = "alliances"

urlpatterns = [
    path("", views.AllianceListView.as_view(), name="alliance_list"),
    path("new/", views.AllianceCreateView.as_view(), name="alliance_create"),
    path("<int:pk>/", views.AllianceDetailView.as_view(), name="alliance_detail"),
    path("<int:pk>/edit/", views.AllianceUpdateView.as_view(), name="alliance_update"),
    path("<int:pk>/launch/", views.AllianceLaunchView.as_view(), name="alliance_launch"),
    path("<int:pk>/dissolve/", views.AllianceDissolveView.as_view(), name="alliance_dissolve"),
    path("<int:pk>/charter/", views.AllianceFileView.as_view(file_field="charter"), name="alliance_charter"),
    path("<int:pk>/agreement/", views.AllianceFileView.as_view(file_field="agreement"), name="alliance_agreement"),
    path(
        "<int:pk>/logo/", views.AllianceFileView.as_view(file_field="logo", as_attachment=False), name="alliance_logo"
    ),
    path(
        "<int:pk>/logo/thumbnail/",
        views.AllianceFileView.as_view(file_field="logo_thumbnail", as_attachment=False),
        name="alliance_logo_thumbnail",
    ),
    path("<int:pk>/join/", views.JoinRequestView.as_view(), name="join_request"),
    path("<int:pk>/members/new/", views.MemberAddView.as_view(), name="member_add"),
    path("members/<int:pk>/admit/", views.MemberAdmitView.as_view(), name="member_admit"),
    path("members/<int:pk>/refuse/", views.MemberRefuseView.as_view(), name="member_refuse"),
    path("members/<int:pk>/leave/", views.MemberExitRequestView.as_view(), name="member_exit_request"),
    path("members/<int:pk>/leave/approve/", views.MemberExitApproveView.as_view(), name="member_exit_approve"),
    path("members/<int:pk>/remove/", views.MemberRemoveView.as_view(), name="member_remove"),
    path("members/<int:pk>/tier/", views.MemberTierView.as_view(), name="member_tier"),
    path("<int:pk>/activities/new/", views.ActivityCreateView.as_view(), name="activity_create"),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity_detail"),
    path("activities/<int:pk>/edit/", views.ActivityUpdateView.as_view(), name="activity_update"),
    path("activities/<int:pk>/photos/new/", views.ActivityPhotoCreateView.as_view(), name="activity_photo_create"),
    path(
        "activities/<int:pk>/documents/new/",
        views.ActivityDocumentCreateView.as_view(),
        name="activity_document_create",
    ),
    path("activity-photos/<int:pk>/", views.ActivityPhotoView.as_view(), name="activity_photo"),
    path("activity-photos/<int:pk>/thumbnail/", views.ActivityThumbnailView.as_view(), name="activity_thumbnail"),
    path("activity-photos/<int:pk>/delete/", views.ActivityPhotoDeleteView.as_view(), name="activity_photo_delete"),
    path("activity-documents/<int:pk>/", views.ActivityDocumentView.as_view(), name="activity_document"),
    path("<int:pk>/funding/new/", views.FundingCreateView.as_view(), name="funding_create"),
    path("funding/<int:pk>/voucher/", views.FundingVoucherView.as_view(), name="funding_voucher"),
    path("funding/<int:pk>/reverse/", views.FundingReverseView.as_view(), name="funding_reverse"),
    path("designations/", views.BatchListView.as_view(), name="batch_list"),
    path("designations/new/", views.BatchCreateView.as_view(), name="batch_create"),
    path("designations/<int:pk>/", views.BatchDetailView.as_view(), name="batch_detail"),
    path("designations/<int:pk>/edit/", views.BatchUpdateView.as_view(), name="batch_update"),
    path("designations/<int:pk>/add/", views.DesignationAddView.as_view(), name="designation_add"),
    path("designations/<int:pk>/publish/", views.BatchPublishView.as_view(), name="batch_publish"),
    path("designations/<int:pk>/export.xlsx", views.BatchExportView.as_view(fmt="xlsx"), name="batch_export_xlsx"),
    path("designations/<int:pk>/export.pdf", views.BatchExportView.as_view(fmt="pdf"), name="batch_export_pdf"),
    path("designation/<int:pk>/remove/", views.DesignationRemoveView.as_view(), name="designation_remove"),
]
