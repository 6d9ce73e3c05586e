"""The first synonyms for the field, which curators can then edit; the state row, and triggers
that give it a new token whenever the index or the synonyms change, by any route (services,
bulk loads, a test's clean-up), inside the same transaction."""

from uuid import uuid4

from django.db import migrations

SEED = [
    ["peer support", "peer mentoring", "mutual aid", "self-help group", "lived experience"],
    ["mental health", "mental illness"],
    ["HIV", "human immunodeficiency virus"],
    ["COPD", "chronic obstructive pulmonary disease"],
    ["ME/CFS", "chronic fatigue syndrome", "myalgic encephalomyelitis"],
]


def seed(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    Synonym.objects.bulk_create([Synonym(phrases="\n".join(group)) for group in SEED])
    apps.get_model("search", "SearchState").objects.create(token=uuid4().hex)


TABLES = ["search_searchentry", "search_synonym"]
SQLITE_TRIGGER = """CREATE TRIGGER {table}_{event}_token AFTER {event} ON {table} BEGIN
    UPDATE search_searchstate SET token = lower(hex(randomblob(16)));
END"""
POSTGRES_FUNCTION = """CREATE OR REPLACE FUNCTION search_new_token() RETURNS trigger AS $$
BEGIN
    UPDATE search_searchstate SET token = md5(random()::text || clock_timestamp()::text);
    RETURN NULL;
END $$ LANGUAGE plpgsql"""
POSTGRES_TRIGGER = """CREATE TRIGGER {table}_token AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION search_new_token()"""


def add_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)
        for table in TABLES:
            schema_editor.execute(POSTGRES_TRIGGER.format(table=table))
        return
    for table in TABLES:
        for event in ("INSERT", "UPDATE", "DELETE"):
            schema_editor.execute(SQLITE_TRIGGER.format(table=table, event=event))


def unseed(apps, schema_editor):
    apps.get_model("search", "Synonym").objects.filter(phrases__in=["\n".join(g) for g in SEED]).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0004_analysed_fulltext")]

    operations = [migrations.RunPython(seed, unseed), migrations.RunPython(add_triggers, migrations.RunPython.noop)]
