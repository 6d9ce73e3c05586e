"""PostgreSQL only: every pair of neighbouring terms within a field ("factor gambl") as one lexeme,
in a GIN-indexed vector. A phrase then matches through the index alone: PostgreSQL otherwise finds
every record holding both words and fetches each one's whole document vector from TOAST storage
to check their positions, which made a phrase of two common words 10-50x slower than a single
word. Pairs never span two fields, so a phrase matches as in SQLite's FTS5.
SQLite needs nothing: FTS5 checks positions in its own compact doclists."""

from django.db import migrations

POSTGRES_FORWARD = [
    # Terms are words without spaces (text.WORD_RE), so "a b" cannot be confused with one term.
    """CREATE OR REPLACE FUNCTION search_term_pairs(terms text) RETURNS text[]
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(a || ' ' || b), '{}') FROM (
            SELECT t AS a, lead(t) OVER (ORDER BY n) AS b
            FROM unnest(string_to_array(terms, ' ')) WITH ORDINALITY AS u(t, n)
        ) AS neighbours WHERE b IS NOT NULL AND a <> '' AND b <> ''
    $$""",
    """ALTER TABLE search_searchentry ADD COLUMN pairs tsvector GENERATED ALWAYS AS (
        array_to_tsvector(search_term_pairs(title) || search_term_pairs(summary) ||
                          search_term_pairs(extra) || search_term_pairs(body))
    ) STORED""",
    # Only the index reads it (its matches need no recheck), so keep it out of the row.
    "ALTER TABLE search_searchentry ALTER COLUMN pairs SET STORAGE EXTERNAL",
    "CREATE INDEX search_searchentry_pairs_gin ON search_searchentry USING gin (pairs)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_searchentry_pairs_gin",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS pairs",
    "DROP FUNCTION IF EXISTS search_term_pairs(text)",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)
    return apply


class Migration(migrations.Migration):
    dependencies = [("search", "0006_postgres_heading")]
    operations = [migrations.RunPython(run(POSTGRES_FORWARD), run(POSTGRES_BACKWARD))]
