"""The full-text index now holds terms analysed in Python (peerhub.search.text), so both engines
match exactly the same way: FTS5 with the plain unicode61 tokenizer (no porter), PostgreSQL with
the 'simple' configuration (no english stemming or stop words of its own). Existing entries are
re-analysed here; `peerhub rebuild_search_index` rebuilds them from the records."""

from django.db import migrations

SQLITE_FORWARD = [
    "DROP TRIGGER IF EXISTS search_fts_au",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai",
    "DROP TABLE IF EXISTS search_fts",
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title, summary, body, extra,
        content='search_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0'
    )""",
    """CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_fts(rowid, title, summary, body, extra)
        VALUES (new.id, new.title, new.summary, new.body, new.extra);
    END""",
    """CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, summary, body, extra)
        VALUES ('delete', old.id, old.title, old.summary, old.body, old.extra);
    END""",
    # Only a change of text touches the full-text index (not a new boost or facet key).
    """CREATE TRIGGER search_fts_au AFTER UPDATE OF title, summary, body, extra ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, summary, body, extra)
        VALUES ('delete', old.id, old.title, old.summary, old.body, old.extra);
        INSERT INTO search_fts(rowid, title, summary, body, extra)
        VALUES (new.id, new.title, new.summary, new.body, new.extra);
    END""",
]
POSTGRES_FORWARD = [
    "DROP INDEX IF EXISTS search_searchentry_document_gin",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS document",
    """ALTER TABLE search_searchentry ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, coalesce(title, '')), 'A') ||
        setweight(to_tsvector('simple'::regconfig, coalesce(summary, '')), 'B') ||
        setweight(to_tsvector('simple'::regconfig, coalesce(extra, '')), 'C') ||
        setweight(to_tsvector('simple'::regconfig, coalesce(body, '')), 'D')
    ) STORED""",
    "CREATE INDEX search_searchentry_document_gin ON search_searchentry USING gin (document)",
    # Keep rows narrow: text and tsvector move out of line, so a scan of matching ids reads few pages.
    "ALTER TABLE search_searchentry SET (toast_tuple_target = 128)",
]


def reanalyse(apps, schema_editor):
    from peerhub.search.text import analyse

    SearchEntry = apps.get_model("search", "SearchEntry")
    for entry in SearchEntry.objects.all():
        for name in ("title", "summary", "body", "extra"):
            setattr(entry, name, analyse(getattr(entry, name)))
        entry.save()


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}.get(vendor, []):
        schema_editor.execute(statement)
    reanalyse(apps, schema_editor)
    if vendor == "sqlite":
        schema_editor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_engine_tables")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
