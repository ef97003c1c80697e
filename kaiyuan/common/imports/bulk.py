"""Building and inserting tens of thousands of rows without paying for the ORM on each one.

An import of 10,000 households makes 30,000 new members. ``Model.__init__`` walks every field
for every instance, and ``bulk_create`` prepares every value of every row again; together they
were a third of the import's time. ``InstanceFactory`` copies a prepared instance's attributes
instead (the model's own defaults, computed once), and ``copy_insert`` sends the rows with
PostgreSQL's COPY, which the same transaction commits or rolls back like any INSERT (unique
constraints and foreign keys are checked as usual).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db import IntegrityError, connection, models, transaction
from django.db.models.base import ModelState
from django.utils import timezone


class InstanceFactory:
    """Unsaved instances of ``model`` with its defaults, built by copying one prepared
    instance's attributes (no field has a callable default that must differ per instance:
    checked here)."""

    def __init__(self, model: type[models.Model]) -> None:
        for item in model._meta.concrete_fields:
            if item.has_default() and callable(item.default) and not item.primary_key:
                raise ValueError(f"{model.__name__}.{item.name} has a callable default")
        self.model = model
        template = model()
        self.base = {k: v for k, v in template.__dict__.items() if k != "_state"}
        # Attributes that are plain values on a fresh instance (columns, and the ``_id`` of a
        # foreign key, whose descriptor only clears a cache a fresh instance does not have).
        self.plain = frozenset(f.attname for f in model._meta.concrete_fields)

    def __call__(self, **values: Any) -> models.Model:
        instance = self.model.__new__(self.model)
        attributes = instance.__dict__
        attributes.update(self.base)
        instance._state = ModelState()
        plain = self.plain
        for name, value in values.items():
            if name in plain:
                attributes[name] = value
            else:  # a relation given as an object
                setattr(instance, name, value)
        return instance


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` primary keys from the model's sequence (so that rows inserted by COPY can be
    referred to by the rows that follow)."""
    if count <= 0:
        return []
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, column, count],
        )
        return [row[0] for row in cursor.fetchall()]


class RowMaker:
    """Rows for ``copy_rows``: every column of ``model`` but its primary key (``attnames``),
    with the model's defaults, and the values of ``names`` given by position."""

    def __init__(self, model: type[models.Model], names: Iterable[str]) -> None:
        base = InstanceFactory(model).base
        self.attnames = tuple(f.attname for f in model._meta.concrete_fields if not f.primary_key)
        self.template = [base[name] for name in self.attnames]
        self.positions = tuple(self.attnames.index(name) for name in names)

    def __call__(self, *values: Any) -> list[Any]:
        row = self.template.copy()
        for position, value in zip(self.positions, values, strict=True):
            row[position] = value
        return row


def copy_insert(
    model: type[models.Model], instances: Iterable[models.Model], *, ignore_conflicts: bool = False
) -> int:
    """Insert unsaved ``instances`` with COPY; returns how many were sent. A primary key left
    empty is taken from the sequence by the database."""
    rows = list(instances)
    if not rows:
        return 0
    with_pk = rows[0].pk is not None
    attnames = [f.attname for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    copy_rows(
        model,
        attnames,
        [[instance.__dict__[name] for name in attnames] for instance in rows],
        ignore_conflicts=ignore_conflicts,
    )
    for instance in rows:
        instance._state.adding = False
        instance._state.db = connection.alias
    return len(rows)


def copy_rows(
    model: type[models.Model],
    attnames: Iterable[str],
    rows: Iterable[list],
    *,
    ignore_conflicts: bool = False,
) -> int:
    """Insert ``rows`` (lists of values in the order of ``attnames``, the model's attribute
    names) with COPY; returns how many were sent. ``auto_now``/``auto_now_add`` columns get the
    current time. With ``ignore_conflicts`` a row that breaks a unique constraint is left out,
    as ``bulk_create(ignore_conflicts=True)`` does: the rows are sent straight to the table
    (a conflict is rare) and, only if one breaks a constraint, again through a temporary table
    and ``INSERT … ON CONFLICT DO NOTHING``."""
    attnames = list(attnames)
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    now = timezone.now()
    stamped = [
        position
        for position, name in enumerate(attnames)
        if getattr(by_attname[name], "auto_now", False)
        or getattr(by_attname[name], "auto_now_add", False)
    ]
    if stamped:
        rows = _stamped(rows, stamped, now)
    names = ", ".join(connection.ops.quote_name(by_attname[a].column) for a in attnames)
    table = connection.ops.quote_name(model._meta.db_table)
    if not ignore_conflicts:
        return _copy(table, names, rows)
    rows = list(rows)
    try:
        with transaction.atomic():  # a savepoint: a conflict undoes this COPY only
            return _copy(table, names, rows)
    except IntegrityError:
        pass
    target = connection.ops.quote_name(f"import_{model._meta.db_table}")
    # Django's error wrapper: a broken constraint is an IntegrityError, as with bulk_create.
    with connection.wrap_database_errors, connection.cursor() as cursor:
        # Only the columns sent, with their types and no constraints or defaults.
        cursor.execute(
            f"CREATE TEMPORARY TABLE {target} ON COMMIT DROP AS "  # noqa: S608 (names from _meta)
            f"SELECT {names} FROM {table} WITH NO DATA"
        )
        _copy(target, names, rows)
        cursor.execute(
            f"INSERT INTO {table} ({names}) SELECT {names} FROM {target} "  # noqa: S608 (as above)
            "ON CONFLICT DO NOTHING"
        )
        cursor.execute(f"DROP TABLE {target}")
    return len(rows)


def _stamped(rows: Iterable[list], positions: list[int], now) -> Iterator[list]:
    for row in rows:
        for position in positions:
            row[position] = now
        yield row


def _copy(table: str, names: str, rows: Iterable[list]) -> int:
    count = 0
    with (
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


@models.Field.register_lookup
class AnyOf(models.Lookup):
    """``field__any_of=[...]``: ``field = ANY(%s)`` with the list sent as one array parameter.
    For the thousands of numbers an import looks up per round, ``__in`` writes one placeholder
    per value, which PostgreSQL parses and plans again each time (twice as slow here)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        field = self.lhs.output_field
        return [field.get_prep_value(value) for value in self.rhs]

    def get_db_prep_lookup(self, value, connection):
        return ("%s", [list(value)])

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]
