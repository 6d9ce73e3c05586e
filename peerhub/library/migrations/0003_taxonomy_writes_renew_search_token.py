"""Every write to the taxonomy (terms and vocabularies) renews the search state token, as index
and synonym writes do (search migration 0005). Each process then keeps the taxonomy it needs
for every search (library.selectors.term_lookup) until the token changes, instead of
reading and building all of it on every request. A trigger catches every write path: services,
imports, the open-data rebuild and any hand-written SQL alike."""

from django.db import migrations

TABLES = ["library_term", "library_vocabulary"]
SQLITE_TRIGGER = """CREATE TRIGGER {table}_{event}_token AFTER {event} ON {table} BEGIN
    UPDATE search_searchstate SET token = lower(hex(randomblob(16)));
END"""
# search_new_token(): search migration 0005.
POSTGRES_TRIGGER = """CREATE TRIGGER {table}_token AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION search_new_token()"""
EVENTS = ("INSERT", "UPDATE", "DELETE")


def add_triggers(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for table in TABLES:
        if postgres:
            schema_editor.execute(POSTGRES_TRIGGER.format(table=table))
            continue
        for event in EVENTS:
            schema_editor.execute(SQLITE_TRIGGER.format(table=table, event=event))


def drop_triggers(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for table in TABLES:
        if postgres:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_token ON {table}")
            continue
        for event in EVENTS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_{event}_token")


class Migration(migrations.Migration):
    dependencies = [("library", "0002_default_taxonomy"), ("search", "0005_seed_synonyms")]

    operations = [migrations.RunPython(add_triggers, drop_triggers)]
