from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.ClassListView.as_view(), name="class_list"),
    path("new/", views.ClassCreateView.as_view(), name="class_create"),
    path("<int:pk>/", views.ClassDetailView.as_view(), name="class_detail"),
    path("<int:pk>/edit/", views.ClassUpdateView.as_view(), name="class_update"),
    path("<int:pk>/open/", views.ClassOpenView.as_view(), name="class_open"),
    path("<int:pk>/start/", views.ClassStartView.as_view(), name="class_start"),
    path("<int:pk>/finish/", views.ClassFinishView.as_view(), name="class_finish"),
    path("<int:pk>/sessions/new/", views.SessionCreateView.as_view(), name="session_create"),
    path("<int:pk>/enrol/", views.EnrolView.as_view(), name="enrol"),
    path("<int:pk>/attendance.xlsx", views.AttendanceExportView.as_view(), name="attendance_export"),
    path("<int:pk>/certificates.pdf", views.CertificatesView.as_view(), name="certificates"),
    path("<int:pk>/materials/new/", views.MaterialCreateView.as_view(), name="material_create"),
    path("sessions/<int:pk>/edit/", views.SessionUpdateView.as_view(), name="session_update"),
    path("sessions/<int:pk>/delete/", views.SessionDeleteView.as_view(), name="session_delete"),
    path("sessions/<int:pk>/sign-in-code/", views.SessionSignInCodeView.as_view(), name="session_code"),
    path("sessions/<int:pk>/attendance/new/", views.AttendanceRecordView.as_view(), name="attendance_record"),
    path("enrolments/<int:pk>/cancel/", views.EnrolmentCancelView.as_view(), name="enrolment_cancel"),
    path("enrolments/<int:pk>/certificate.pdf", views.CertificateView.as_view(), name="certificate"),
    path("materials/<int:pk>/", views.MaterialFileView.as_view(), name="material_file"),
    path("materials/<int:pk>/delete/", views.MaterialDeleteView.as_view(), name="material_delete"),
    # Trainees need no login: the signed token in the link is the permission.
    path("sign-in/<str:token>/", views.SignInView.as_view(), name="sign_in"),
    path("me/<str:token>/", views.TraineeHomeView.as_view(), name="trainee"),
    path("me/<str:token>/certificate.pdf", views.TraineeCertificateView.as_view(), name="trainee_certificate"),
]
