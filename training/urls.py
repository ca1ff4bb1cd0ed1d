from django.urls import path

from training import views

app_name = "training"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("modules/<slug:key>/", views.module_detail, name="module-detail"),
    path("modules/<slug:key>/start/", views.attempt_start, name="attempt-start"),
    path("attempts/<int:pk>/", views.attempt_play, name="attempt-play"),
    path("attempts/<int:pk>/confidence/", views.attempt_confidence, name="attempt-confidence"),
    path("attempts/<int:pk>/continue/", views.attempt_continue, name="attempt-continue"),
    path("attempts/<int:pk>/answer/", views.attempt_answer, name="attempt-answer"),
    path(
        "attempts/<int:pk>/feedback/<int:position>/",
        views.attempt_feedback,
        name="attempt-feedback",
    ),
    path("attempts/<int:pk>/summary/", views.attempt_summary, name="attempt-summary"),
    path("certificates/<str:code>/", views.certificate_detail, name="certificate-detail"),
]

public_urlpatterns = [
    path("certificates/verify/<str:code>", views.certificate_verify, name="certificate-verify"),
]
