from django.db import migrations

# The case services keep the search vector now (services.case_search_vector_refresh, in
# their own transaction), so the trigger of migration 0002 goes; its GIN index stays. The
# vectors the trigger kept are current, so nothing is recomputed.
FORWARDS = """
DROP TRIGGER IF EXISTS casenotes_case_search_vector ON casenotes_case;
DROP FUNCTION IF EXISTS casenotes_case_search_vector();
"""

BACKWARDS = """
CREATE FUNCTION casenotes_case_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector('english', coalesce(NEW.question, '')), 'B')
        || setweight(to_tsvector('english',
             coalesce(NEW.account, '') || ' ' || coalesce(NEW.outcome, '')), 'C');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER casenotes_case_search_vector
    BEFORE INSERT OR UPDATE OF title, question, account, outcome ON casenotes_case
    FOR EACH ROW EXECUTE FUNCTION casenotes_case_search_vector();
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
        migrations.RunPython(_on_postgresql(FORWARDS), _on_postgresql(BACKWARDS)),
    ]
