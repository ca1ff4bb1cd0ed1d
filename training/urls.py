from django.urls import path

from training.views import assignments, learning, reports

app_name = "training"

urlpatterns = [
    # The learner's player
    path("", learning.catalogue, name="catalogue"),
    path("modules/<slug:key>/", learning.module_detail, name="module-detail"),
    path("modules/<slug:key>/start/", learning.attempt_start, name="attempt-start"),
    path("attempts/<int:pk>/", learning.attempt_play, name="attempt-play"),
    path("attempts/<int:pk>/confidence/", learning.attempt_confidence, name="attempt-confidence"),
    path("attempts/<int:pk>/continue/", learning.attempt_continue, name="attempt-continue"),
    path("attempts/<int:pk>/answer/", learning.attempt_answer, name="attempt-answer"),
    path(
        "attempts/<int:pk>/feedback/<int:position>/",
        learning.attempt_feedback,
        name="attempt-feedback",
    ),
    path("attempts/<int:pk>/summary/", learning.attempt_summary, name="attempt-summary"),
    path("certificates/<str:code>/", learning.certificate_detail, name="certificate-detail"),
    # Assigning modules (supervisors and authority admins)
    path("assignments/", assignments.rule_list, name="assignment-list"),
    path("assignments/new/", assignments.rule_create, name="assignment-create"),
    path("assignments/<int:pk>/", assignments.rule_detail, name="assignment-detail"),
    path("assignments/<int:pk>/cancel/", assignments.rule_cancel, name="assignment-cancel"),
    path(
        "assignments/person/<int:pk>/extend/",
        assignments.assignment_extend,
        name="assignment-extend",
    ),
    # Progress reports
    path("progress/", reports.team_progress, name="team-progress"),
    path("progress/matrix.csv", reports.team_matrix_csv, name="team-matrix-csv"),
    path("progress/people.csv", reports.team_people_csv, name="team-people-csv"),
    path("people/<int:pk>/", reports.person_record, name="person-record"),
    path("people/<int:pk>/record.csv", reports.person_record_csv, name="person-record-csv"),
    path(
        "people/<int:pk>/attempts/<int:attempt_pk>/",
        reports.person_attempt,
        name="person-attempt",
    ),
    path("authority/", reports.authority_report, name="authority-report"),
]

public_urlpatterns = [
    path(
        "certificates/verify/<str:code>",
        learning.certificate_verify,
        name="certificate-verify",
    ),
]
