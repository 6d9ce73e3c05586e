"""Helpers for bulk jobs (large imports).

insert_new inserts many new rows of one model fast: what QuerySet.bulk_create does for
objects without a primary key, the same rows and the same primary keys set on the objects, but
without its per-value compilation. bulk_create runs several Python calls per value (pre_save,
prepare_value, field_as_sql, ...): for a 10,000-record import, hundreds of thousands of values,
about a fifth of its time. Here each column gets one preparation function, chosen once; text
values, most of an import, go through as they are (CharField/TextField would return them as they
are). Anything this does not cover (database defaults, custom placeholders, columns the database
returns besides the key, a backend that cannot return rows from a multi-row INSERT) goes to
bulk_create itself."""

import gc
from contextlib import contextmanager

from django.db import connections, router, transaction
from django.db.models import CharField, Field, TextField


def _plain_text(field: Field) -> bool:
    """A text field whose database value is the Python str itself (no custom preparation)."""
    cls = type(field)
    return (isinstance(field, CharField | TextField) and cls.get_db_prep_save is Field.get_db_prep_save
            and cls.get_db_prep_value is Field.get_db_prep_value
            and cls.get_prep_value in (CharField.get_prep_value, TextField.get_prep_value))


def _preparer(field: Field, connection):
    """The function giving a column's database value for one object, as bulk_create computes it
    (pre_save, then get_db_prep_save)."""
    attname, plain_pre_save = field.attname, type(field).pre_save is Field.pre_save
    if plain_pre_save and _plain_text(field):
        def prepare(obj):
            value = getattr(obj, attname)
            return value if value is None or type(value) is str else field.get_db_prep_save(value, connection)
        return prepare
    if plain_pre_save:
        return lambda obj: field.get_db_prep_save(getattr(obj, attname), connection)
    return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)  # auto_now and the like


def _covered(model, fields: list[Field], connection) -> bool:
    return (connection.features.can_return_rows_from_bulk_insert
            and list(model._meta.db_returning_fields) == [model._meta.pk]
            and not any(f.has_db_default() or hasattr(f, "get_placeholder_sql") for f in fields))


def insert_new(objs: list, batch_size: int = 500) -> list:
    """model.objects.bulk_create(objs, batch_size) for objects of one model that have no
    primary key yet; returns objs, each with its new primary key."""
    if not objs:
        return objs
    model = type(objs[0])
    opts = model._meta
    fields = [f for f in opts.concrete_fields if not f.generated and f is not opts.pk]
    connection = connections[router.db_for_write(model)]
    if any(obj.pk is not None for obj in objs) or not _covered(model, fields, connection):
        return model._default_manager.bulk_create(objs, batch_size=batch_size)
    if any(f.is_relation for f in fields):
        for obj in objs:
            obj._prepare_related_fields_for_save(operation_name="bulk_create")
    size = max(1, min(batch_size, connection.ops.bulk_batch_size(fields, objs)))
    with transaction.atomic(using=connection.alias, savepoint=False):
        for start in range(0, len(objs), size):
            _insert_batch(objs[start:start + size], fields, connection)
    return objs


def _unnest_types(fields: list[Field], connection) -> list[str] | None:
    """PostgreSQL: each column's array type for INSERT ... SELECT * FROM UNNEST(...), the form
    Django's own bulk_create uses there (one parameter per column, not one per value: far less
    for the server to parse and plan); None where Django would not use it either."""
    if connection.vendor != "postgresql" or any(
            (f.target_field if f.is_relation else f).get_internal_type() not in connection.data_types for f in fields):
        return None
    return [f.db_type(connection).split("(")[0] for f in fields]


def _insert_batch(objs: list, fields: list[Field], connection) -> None:
    qn = connection.ops.quote_name
    opts = type(objs[0])._meta
    preparers = [_preparer(f, connection) for f in fields]
    columns = ", ".join(qn(f.column) for f in fields)
    if len(objs) > 1 and (types := _unnest_types(fields, connection)):
        params = [[prepare(obj) for obj in objs] for prepare in preparers]
        source = "SELECT * FROM UNNEST(" + ", ".join(f"(%s)::{db_type}[]" for db_type in types) + ")"
    else:
        params = [prepare(obj) for obj in objs for prepare in preparers]
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        source = "VALUES " + ", ".join([row] * len(objs))
    sql = f"INSERT INTO {qn(opts.db_table)} ({columns}) {source} RETURNING {qn(opts.pk.column)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        keys = cursor.fetchall()
    for obj, (key,) in zip(objs, keys, strict=True):
        obj.pk = key
        obj._state.adding = False
        obj._state.db = connection.alias


@contextmanager
def cyclic_gc_paused():
    """Pause Python's cyclic garbage collector for a bulk job. A large import keeps hundreds of
    thousands of objects alive (records, model instances, index text) and makes few reference
    cycles; the collector would scan them all again and again (about a tenth of the time of a
    10,000-record import). Memory held by cycles is freed once the collector runs again.
    Re-entrant: an inner pause leaves the collector as the outer one wants it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
