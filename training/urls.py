from django.urls import path

from training.views import assignments, learning, reports, studio, studio_preview

app_name = "training"

urlpatterns = [
    # The learner's player
    path("", learning.catalogue, name="catalogue"),
    path("modules/<slug:key>/", learning.module_detail, name="module-detail"),
    path("modules/<slug:key>/start/", learning.attempt_start, name="attempt-start"),
    path("attempts/<id:pk>/", learning.attempt_play, name="attempt-play"),
    path("attempts/<id:pk>/confidence/", learning.attempt_confidence, name="attempt-confidence"),
    path("attempts/<id:pk>/continue/", learning.attempt_continue, name="attempt-continue"),
    path("attempts/<id:pk>/answer/", learning.attempt_answer, name="attempt-answer"),
    path(
        "attempts/<id:pk>/feedback/<index:position>/",
        learning.attempt_feedback,
        name="attempt-feedback",
    ),
    path("attempts/<id:pk>/summary/", learning.attempt_summary, name="attempt-summary"),
    path("attempts/<id:pk>/stop/", learning.attempt_stop, name="attempt-stop"),
    path("certificates/<str:code>/", learning.certificate_detail, name="certificate-detail"),
    # Assigning modules (supervisors and authority admins)
    path("assignments/", assignments.rule_list, name="assignment-list"),
    path("assignments/new/", assignments.rule_create, name="assignment-create"),
    path("assignments/<id:pk>/", assignments.rule_detail, name="assignment-detail"),
    path("assignments/<id:pk>/cancel/", assignments.rule_cancel, name="assignment-cancel"),
    path(
        "assignments/person/<id:pk>/extend/",
        assignments.assignment_extend,
        name="assignment-extend",
    ),
    # Progress reports
    path("progress/", reports.team_progress, name="team-progress"),
    path("progress/matrix.csv", reports.team_matrix_csv, name="team-matrix-csv"),
    path("progress/people.csv", reports.team_people_csv, name="team-people-csv"),
    path("people/<id:pk>/", reports.person_record, name="person-record"),
    path("people/<id:pk>/record.csv", reports.person_record_csv, name="person-record-csv"),
    path(
        "people/<id:pk>/critical-misses/<id:answer_pk>/debrief/",
        reports.critical_miss_debrief,
        name="critical-miss-debrief",
    ),
    path(
        "people/<id:pk>/attempts/<id:attempt_pk>/",
        reports.person_attempt,
        name="person-attempt",
    ),
    path("authority/", reports.authority_report, name="authority-report"),
    # The authoring studio (authors and authority admins)
    path("studio/", studio.studio_home, name="studio"),
    path("studio/new/", studio.module_create, name="studio-module-create"),
    path("studio/import/", studio.module_import, name="studio-import"),
    path("studio/library/", studio.library_list, name="studio-library"),
    path("studio/sources/", studio.sources_list, name="studio-sources"),
    path("studio/library/<id:pk>/adopt/", studio.module_adopt, name="studio-adopt"),
    path("studio/modules/<id:pk>/", studio.module_overview, name="studio-module"),
    path("studio/modules/<id:pk>/edit/", studio.module_edit, name="studio-module-edit"),
    path(
        "studio/modules/<id:pk>/imported/",
        studio.module_imported,
        name="studio-module-imported",
    ),
    path("studio/modules/<id:pk>/publish/", studio.module_publish, name="studio-publish"),
    path("studio/modules/<id:pk>/export/", studio.module_export, name="studio-export"),
    path("studio/modules/<id:pk>/share/", studio.module_share, name="studio-share"),
    path("studio/modules/<id:pk>/insight/", studio.module_insight, name="studio-insight"),
    path(
        "studio/modules/<id:pk>/scenarios/new/",
        studio.scenario_create,
        name="studio-scenario-create",
    ),
    path("studio/modules/<id:pk>/preview/", studio_preview.preview_start, name="studio-preview"),
    path(
        "studio/modules/<id:pk>/preview/play/",
        studio_preview.preview_play,
        name="studio-preview-play",
    ),
    path(
        "studio/modules/<id:pk>/preview/feedback/",
        studio_preview.preview_feedback,
        name="studio-preview-feedback",
    ),
    path(
        "studio/modules/<id:pk>/preview/finish/",
        studio_preview.preview_finish,
        name="studio-preview-finish",
    ),
    path(
        "studio/modules/<id:pk>/preview/restart/",
        studio_preview.preview_restart,
        name="studio-preview-restart",
    ),
    path("studio/scenarios/<id:pk>/", studio.scenario_detail, name="studio-scenario"),
    path("studio/scenarios/<id:pk>/delete/", studio.scenario_delete, name="studio-scenario-delete"),
    path("studio/scenarios/<id:pk>/steps/new/", studio.step_create, name="studio-step-create"),
    path("studio/steps/<id:pk>/", studio.step_edit, name="studio-step"),
    path("studio/steps/<id:pk>/delete/", studio.step_delete, name="studio-step-delete"),
    path("studio/steps/<id:pk>/move/", studio.step_move, name="studio-step-move"),
]

public_urlpatterns = [
    path("certificates/verify/", learning.certificate_check, name="certificate-check"),
    path(
        "certificates/verify/<str:code>",
        learning.certificate_verify,
        name="certificate-verify",
    ),
]
