"""PostgreSQL only: the full-text vectors move to their own narrow table, search_match (id,
document, pairs), the counterpart of SQLite's search_fts.

Why: a GIN index has no index-only scans, so finding the ids of every match visits the table row
of each one. In search_searchentry a row also carries the kind, object id, facet keys and the
heading vector, about 20 rows to a page: a word in a third of a 1M catalogue visited ~50,000
pages and took seconds. search_match holds an id and two pointers to TOAST storage per row,
over 100 rows to a page, so the same scan reads a fifth as many pages or fewer.

Triggers keep it in step with search_searchentry in the same transaction, as FTS5's triggers
do on SQLite; only a change of text rewrites the vectors."""

from django.db import migrations

VECTOR_FUNCTIONS = [
    """CREATE OR REPLACE FUNCTION search_document(title text, summary text, extra text, body text)
        RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT setweight(to_tsvector('simple'::regconfig, coalesce(title, '')), 'A') ||
               setweight(to_tsvector('simple'::regconfig, coalesce(summary, '')), 'B') ||
               setweight(to_tsvector('simple'::regconfig, coalesce(extra, '')), 'C') ||
               setweight(to_tsvector('simple'::regconfig, coalesce(body, '')), 'D')
    $$""",
    # search_term_pairs: migration 0007. Pairs never span two fields.
    """CREATE OR REPLACE FUNCTION search_pairs(title text, summary text, extra text, body text)
        RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT array_to_tsvector(search_term_pairs(title) || search_term_pairs(summary) ||
                                 search_term_pairs(extra) || search_term_pairs(body))
    $$""",
]

POSTGRES_FORWARD = [
    *VECTOR_FUNCTIONS,
    # toast_tuple_target: a row longer than 128 bytes moves its vectors out of line, keeping the
    # heap to an id and two TOAST pointers per row. pairs is only ever read by its index.
    """CREATE TABLE search_match (
        id bigint PRIMARY KEY,
        document tsvector NOT NULL,
        pairs tsvector NOT NULL
    ) WITH (toast_tuple_target = 128)""",
    "ALTER TABLE search_match ALTER COLUMN pairs SET STORAGE EXTERNAL",
    """CREATE FUNCTION search_match_write() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM search_match WHERE id = OLD.id;
            RETURN NULL;
        END IF;
        INSERT INTO search_match (id, document, pairs)
        VALUES (NEW.id, search_document(NEW.title, NEW.summary, NEW.extra, NEW.body),
                search_pairs(NEW.title, NEW.summary, NEW.extra, NEW.body))
        ON CONFLICT (id) DO UPDATE SET document = EXCLUDED.document, pairs = EXCLUDED.pairs;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_match_ai AFTER INSERT ON search_searchentry
        FOR EACH ROW EXECUTE FUNCTION search_match_write()""",
    """CREATE TRIGGER search_match_au AFTER UPDATE OF title, summary, body, extra ON search_searchentry
        FOR EACH ROW EXECUTE FUNCTION search_match_write()""",
    """CREATE TRIGGER search_match_ad AFTER DELETE ON search_searchentry
        FOR EACH ROW EXECUTE FUNCTION search_match_write()""",
    "INSERT INTO search_match (id, document, pairs) SELECT id, document, pairs FROM search_searchentry",
    # Building a GIN index in memory is several times faster than the default 64 MB allows.
    "SET LOCAL maintenance_work_mem = '256MB'",
    "CREATE INDEX search_match_document_gin ON search_match USING gin (document)",
    "CREATE INDEX search_match_pairs_gin ON search_match USING gin (pairs)",
    "DROP INDEX IF EXISTS search_searchentry_document_gin",
    "DROP INDEX IF EXISTS search_searchentry_pairs_gin",
    "ALTER TABLE search_searchentry DROP COLUMN document",
    "ALTER TABLE search_searchentry DROP COLUMN pairs",
]

POSTGRES_BACKWARD = [
    """ALTER TABLE search_searchentry ADD COLUMN document tsvector
        GENERATED ALWAYS AS (search_document(title, summary, extra, body)) STORED""",
    """ALTER TABLE search_searchentry ADD COLUMN pairs tsvector
        GENERATED ALWAYS AS (search_pairs(title, summary, extra, body)) STORED""",
    "ALTER TABLE search_searchentry ALTER COLUMN pairs SET STORAGE EXTERNAL",
    "CREATE INDEX search_searchentry_document_gin ON search_searchentry USING gin (document)",
    "CREATE INDEX search_searchentry_pairs_gin ON search_searchentry USING gin (pairs)",
    "DROP TRIGGER IF EXISTS search_match_ai ON search_searchentry",
    "DROP TRIGGER IF EXISTS search_match_au ON search_searchentry",
    "DROP TRIGGER IF EXISTS search_match_ad ON search_searchentry",
    "DROP FUNCTION IF EXISTS search_match_write()",
    "DROP TABLE IF EXISTS search_match",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)
    return apply


class Migration(migrations.Migration):
    dependencies = [("search", "0007_postgres_pairs")]
    operations = [migrations.RunPython(run(POSTGRES_FORWARD), run(POSTGRES_BACKWARD))]
