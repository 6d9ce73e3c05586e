"""PostgreSQL only: new entries reach search_match once per statement, and term pairs are made
without a window function.

Why: a large import adds thousands of entries in one COPY. The row trigger of migration 0008 ran
a PL/pgSQL call and an INSERT ... ON CONFLICT per entry. A statement trigger with a transition
table inserts them all in one statement, so the vectors are built and the GIN indexes filled in
one pass. Edits and deletions keep the row triggers (a transition table cannot go with the
column list of the update trigger, and they touch one row at a time anyway).

search_term_pairs gives the same pairs as before (migration 0007): the terms zipped with
themselves shifted by one, instead of lead() over a numbered unnest, which sorted every field's
terms (about a third less server time for an import's vectors)."""

from django.db import migrations

PAIRS_BY_WINDOW = """CREATE OR REPLACE FUNCTION search_term_pairs(terms text) RETURNS text[]
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(a || ' ' || b), '{}') FROM (
            SELECT t AS a, lead(t) OVER (ORDER BY n) AS b
            FROM unnest(string_to_array(terms, ' ')) WITH ORDINALITY AS u(t, n)
        ) AS neighbours WHERE b IS NOT NULL AND a <> '' AND b <> ''
    $$"""
# Terms are words without spaces (text.WORD_RE), so "a b" cannot be confused with one term.
PAIRS_BY_ZIP = """CREATE OR REPLACE FUNCTION search_term_pairs(terms text) RETURNS text[]
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(a || ' ' || b), '{}')
        FROM (SELECT string_to_array(terms, ' ') AS t) AS split,
             unnest(t[1:cardinality(t) - 1], t[2:]) AS u(a, b)
        WHERE a <> '' AND b <> ''
    $$"""

INSERT_ROW_TRIGGER = """CREATE TRIGGER search_match_ai AFTER INSERT ON search_searchentry
        FOR EACH ROW EXECUTE FUNCTION search_match_write()"""

POSTGRES_FORWARD = [
    PAIRS_BY_ZIP,
    """CREATE FUNCTION search_match_insert_rows() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO search_match (id, document, pairs)
        SELECT id, search_document(title, summary, extra, body), search_pairs(title, summary, extra, body)
        FROM new_entries
        ON CONFLICT (id) DO UPDATE SET document = EXCLUDED.document, pairs = EXCLUDED.pairs;
        RETURN NULL;
    END $$""",
    "DROP TRIGGER search_match_ai ON search_searchentry",
    """CREATE TRIGGER search_match_ai AFTER INSERT ON search_searchentry
        REFERENCING NEW TABLE AS new_entries
        FOR EACH STATEMENT EXECUTE FUNCTION search_match_insert_rows()""",
]

POSTGRES_BACKWARD = [
    "DROP TRIGGER search_match_ai ON search_searchentry",
    INSERT_ROW_TRIGGER,
    "DROP FUNCTION search_match_insert_rows()",
    PAIRS_BY_WINDOW,
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)
    return apply


class Migration(migrations.Migration):
    dependencies = [("search", "0008_postgres_match_table")]
    operations = [migrations.RunPython(run(POSTGRES_FORWARD), run(POSTGRES_BACKWARD))]
