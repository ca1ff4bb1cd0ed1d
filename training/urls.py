from django.urls import path

from training.views import assignments, learning, reports, studio, studio_preview

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
    # The authoring studio (authors and authority admins)
    path("studio/", studio.studio_home, name="studio"),
    path("studio/new/", studio.module_create, name="studio-module-create"),
    path("studio/import/", studio.module_import, name="studio-import"),
    path("studio/library/", studio.library_list, name="studio-library"),
    path("studio/library/<int:pk>/adopt/", studio.module_adopt, name="studio-adopt"),
    path("studio/modules/<int:pk>/", studio.module_overview, name="studio-module"),
    path("studio/modules/<int:pk>/edit/", studio.module_edit, name="studio-module-edit"),
    path("studio/modules/<int:pk>/publish/", studio.module_publish, name="studio-publish"),
    path("studio/modules/<int:pk>/export/", studio.module_export, name="studio-export"),
    path("studio/modules/<int:pk>/share/", studio.module_share, name="studio-share"),
    path("studio/modules/<int:pk>/insight/", studio.module_insight, name="studio-insight"),
    path(
        "studio/modules/<int:pk>/scenarios/new/",
        studio.scenario_create,
        name="studio-scenario-create",
    ),
    path("studio/modules/<int:pk>/preview/", studio_preview.preview_start, name="studio-preview"),
    path(
        "studio/modules/<int:pk>/preview/play/",
        studio_preview.preview_play,
        name="studio-preview-play",
    ),
    path(
        "studio/modules/<int:pk>/preview/feedback/",
        studio_preview.preview_feedback,
        name="studio-preview-feedback",
    ),
    path(
        "studio/modules/<int:pk>/preview/finish/",
        studio_preview.preview_finish,
        name="studio-preview-finish",
    ),
    path(
        "studio/modules/<int:pk>/preview/restart/",
        studio_preview.preview_restart,
        name="studio-preview-restart",
    ),
    path("studio/scenarios/<int:pk>/", studio.scenario_detail, name="studio-scenario"),
    path(
        "studio/scenarios/<int:pk>/delete/", studio.scenario_delete, name="studio-scenario-delete"
    ),
    path("studio/scenarios/<int:pk>/steps/new/", studio.step_create, name="studio-step-create"),
    path("studio/steps/<int:pk>/", studio.step_edit, name="studio-step"),
    path("studio/steps/<int:pk>/delete/", studio.step_delete, name="studio-step-delete"),
    path("studio/steps/<int:pk>/move/", studio.step_move, name="studio-step-move"),
]

public_urlpatterns = [
    path(
        "certificates/verify/<str:code>",
        learning.certificate_verify,
        name="certificate-verify",
    ),
]
