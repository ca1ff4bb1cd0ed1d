from django.db import migrations

# The case services keep the search vector now (services.case_search_vector_refresh, in
# their own transaction), so the trigger of migration 0002 goes; its GIN index stays. The
# vectors the trigger kept are current, so nothing is recomputed. Irreversible on purpose:
# only code from before this change relied on the trigger, and we keep no triggers
# (DESIGN.md "Performance, simply").
FORWARDS = """
DROP TRIGGER IF EXISTS casenotes_case_search_vector ON casenotes_case;
DROP FUNCTION IF EXISTS casenotes_case_search_vector();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("casenotes", "0008_drop_cases_version"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(FORWARDS)),
    ]
