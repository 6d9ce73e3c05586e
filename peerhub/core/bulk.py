"""Helpers for bulk jobs (large imports).

insert_new (model instances) and insert_rows (plain dicts) insert many new rows of one model
fast: what QuerySet.bulk_create does for objects without a primary key, the same rows and the
same primary keys, but without its per-value compilation. bulk_create runs several Python calls
per value (pre_save, prepare_value, field_as_sql, ...): for a 10,000-record import, hundreds of
thousands of values, about a fifth of its time. Here each column gets one preparation, chosen
once; text values, most of an import, go through as they are (CharField/TextField would return
them as they are). PostgreSQL receives the rows by COPY. Anything this does not cover (database
defaults, custom placeholders, columns the database returns besides the key, a backend that
cannot return rows from a multi-row INSERT) goes to bulk_create itself."""

import gc
from contextlib import contextmanager

from django.db import connections, router, transaction
from django.db.models import BooleanField, CharField, Field, FloatField, IntegerField, TextField
from django.utils import timezone


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


def _model_fields(model) -> list[Field]:
    opts = model._meta
    return [f for f in opts.concrete_fields if not f.generated and f is not opts.pk]


def insert_new(objs: list, batch_size: int = 500) -> list:
    """model.objects.bulk_create(objs, batch_size) for objects of one model that have no
    primary key yet; returns objs, each with its new primary key."""
    if not objs:
        return objs
    model = type(objs[0])
    fields = _model_fields(model)
    connection = connections[router.db_for_write(model)]
    if any(obj.pk is not None for obj in objs) or not _covered(model, fields, connection):
        return model._default_manager.bulk_create(objs, batch_size=batch_size)
    if any(f.is_relation for f in fields):
        for obj in objs:
            obj._prepare_related_fields_for_save(operation_name="bulk_create")
    preparers = [_preparer(f, connection) for f in fields]
    rows = [[prepare(obj) for prepare in preparers] for obj in objs]
    keys = _write_rows(model, fields, rows, connection, batch_size)
    for obj, key in zip(objs, keys, strict=True):
        obj.pk = key
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def insert_rows(model, rows: list[dict], batch_size: int = 500) -> list[int]:
    """New rows of model from plain dicts of {attname: value}, without a model instance each
    (building one costs more than writing it); returns their primary keys, in order. The same
    rows bulk_create writes for model(**row): a field left out takes its default (the time now
    for auto_now and auto_now_add, once for all the rows), and every value is prepared as
    get_db_prep_save prepares it. Rows are trusted as bulk_create trusts objects: the caller
    validates, and the database's constraints still refuse a bad row."""
    if not rows:
        return []
    fields = _model_fields(model)
    connection = connections[router.db_for_write(model)]
    if not _covered(model, fields, connection):
        return [obj.pk for obj in model._default_manager.bulk_create([model(**row) for row in rows], batch_size)]
    columns = [_column(field, rows, connection) for field in fields]
    return _write_rows(model, fields, [list(row) for row in zip(*columns, strict=True)], connection, batch_size)


def _column(field: Field, rows: list[dict], connection) -> list:
    """One column's database values for all the rows."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):  # pre_save sets them on adding
        return [field.get_db_prep_save(timezone.now(), connection)] * len(rows)
    name, default = field.attname, field.get_default()
    values = [row.get(name, default) for row in rows]
    kind = _passes_as_is(field)
    if kind is not None and all(value is None or type(value) is kind for value in values):
        return values
    return [field.get_db_prep_save(value, connection) for value in values]


def _passes_as_is(field: Field) -> type | None:
    """The Python type whose values are already the column's database value (str for plain text,
    bool, int and float for those fields: Django's preparation returns them unchanged), or None."""
    if _plain_text(field):
        return str
    for kind, field_class in ((bool, BooleanField), (float, FloatField), (int, IntegerField)):
        cls = type(field)
        if isinstance(field, field_class) and cls.get_db_prep_save is Field.get_db_prep_save and all(
                getattr(cls, name) is getattr(field_class, name) for name in ("get_prep_value", "get_db_prep_value")):
            return kind
    return None


def _write_rows(model, fields: list[Field], rows: list[list], connection, batch_size: int) -> list:
    """Insert prepared rows (values in the order of fields); their new primary keys, in order."""
    size = max(1, min(batch_size, connection.ops.bulk_batch_size(fields, rows)))
    with transaction.atomic(using=connection.alias, savepoint=False):
        if _can_copy(model._meta, connection):
            return _copy_rows(model._meta, fields, rows, connection)
        return [key for start in range(0, len(rows), size)
                for key in _insert_batch(model._meta, fields, rows[start:start + size], connection)]


def _unnest_types(fields: list[Field], connection) -> list[str] | None:
    """PostgreSQL: each column's array type for INSERT ... SELECT * FROM UNNEST(...), the form
    Django's own bulk_create uses there (one parameter per column, not one per value: far less
    for the server to parse and plan); None where Django would not use it either."""
    if connection.vendor != "postgresql" or any(
            (f.target_field if f.is_relation else f).get_internal_type() not in connection.data_types for f in fields):
        return None
    return [f.db_type(connection).split("(")[0] for f in fields]


def _can_copy(opts, connection) -> bool:
    return connection.vendor == "postgresql" and opts.pk.get_internal_type() in ("AutoField", "BigAutoField")


def _copy_rows(opts, fields: list[Field], rows: list[list], connection) -> list:
    """PostgreSQL: the keys are drawn from the table's own sequence first, then every row goes in
    one COPY, which psycopg formats in C. An INSERT of thousands of rows sent them as arrays that
    psycopg quoted value by value in Python, and the server parsed them back. Row and statement
    triggers (the search index's) fire for COPY as for INSERT."""
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in [opts.pk, *fields])
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [qn(opts.db_table), opts.pk.column, len(rows)])
        keys = [key for (key,) in cursor.fetchall()]
        # The driver's own cursor, so its errors are turned into Django's here, as Django's cursor does.
        with connection.wrap_database_errors, cursor.cursor.copy(
                f"COPY {qn(opts.db_table)} ({columns}) FROM STDIN") as copy:
            for key, row in zip(keys, rows, strict=True):
                copy.write_row([key, *row])
    return keys


def _insert_batch(opts, fields: list[Field], rows: list[list], connection) -> list:
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    if len(rows) > 1 and (types := _unnest_types(fields, connection)):
        params = [list(column) for column in zip(*rows, strict=True)]
        source = "SELECT * FROM UNNEST(" + ", ".join(f"(%s)::{db_type}[]" for db_type in types) + ")"
    else:
        params = [value for row in rows for value in row]
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        source = "VALUES " + ", ".join([row] * len(rows))
    sql = f"INSERT INTO {qn(opts.db_table)} ({columns}) {source} RETURNING {qn(opts.pk.column)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [key for (key,) in cursor.fetchall()]


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
