"""PostgreSQL only: a second, small tsvector of the title and summary (weights A and B) with its
own GIN index. Pages are ranked first among records whose title or summary holds the words (see
selectors._in_window): the small vector is stored in the row, so ranking reads it without
fetching the whole document's vector from TOAST storage, which made broad queries slow.
SQLite needs nothing: FTS5 restricts a match to columns itself ("{title summary} : ...")."""

from django.db import migrations

POSTGRES_FORWARD = [
    """ALTER TABLE search_searchentry ADD COLUMN heading tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, coalesce(title, '')), 'A') ||
        setweight(to_tsvector('simple'::regconfig, coalesce(summary, '')), 'B')
    ) STORED""",
    # Kept in the row (compressed if need be), not moved out to TOAST like the full document.
    "ALTER TABLE search_searchentry ALTER COLUMN heading SET STORAGE MAIN",
    "CREATE INDEX search_searchentry_heading_gin ON search_searchentry USING gin (heading)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_searchentry_heading_gin",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS heading",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)
    return apply


class Migration(migrations.Migration):
    dependencies = [("search", "0005_seed_synonyms")]
    operations = [migrations.RunPython(run(POSTGRES_FORWARD), run(POSTGRES_BACKWARD))]
