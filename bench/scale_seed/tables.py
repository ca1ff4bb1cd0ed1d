"""Fast writes for the scale seed: COPY on PostgreSQL, bulk_create elsewhere, raw deletes.

The seed writes millions of rows (answers above all); Django's bulk_create builds a model
instance and a parameter list per row and tops out at a few tens of thousands of rows a
second, while PostgreSQL's COPY takes a CSV stream several times faster. SQLite (the tests)
keeps bulk_create, so both paths take the same rows.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max, QuerySet

NULL = r"\N"  # COPY's NULL marker, so an empty string stays an empty string


def id_counter(model: type[models.Model]) -> Iterator[int]:
    """Primary keys for rows built in memory, so children can point at parents before either
    is written. Only safe while nothing else inserts into the table (a seeding command)."""
    start = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    return itertools.count(start)


def sequences_reset(model_list: Sequence[type[models.Model]]) -> None:
    """Move PostgreSQL's id sequences past the explicit ids written (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def raw_delete(queryset: QuerySet) -> int:
    """DELETE the rows the queryset selects in one statement, without loading them.

    Django's delete() first fetches every row to run cascades and signals, which takes
    minutes for a million answers; callers here delete children before parents themselves.
    """
    model = queryset.model
    subquery, params = queryset.values("pk").query.sql_with_params()
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        # Identifiers come from model metadata; values travel as parameters.
        cursor.execute(f"DELETE FROM {table} WHERE {pk} IN ({subquery})", params)  # noqa: S608
        return cursor.rowcount


def _copy_converter(field: models.Field) -> Callable[[Any], Any] | None:
    """What a value needs before csv.writer: JSON as text, None as the NULL marker. Numbers,
    dates, aware datetimes and booleans already print in a form PostgreSQL reads."""
    if isinstance(field, models.JSONField):
        return lambda value: NULL if value is None else json.dumps(value)
    if field.null:
        return lambda value: NULL if value is None else value
    return None


class BulkWriter:
    """Buffers rows of one table (tuples in `fields` order) and writes them in batches.

    Concrete fields left out get their model default on every row (the id left out is
    numbered by the database), so a field added later with a default does not break COPY;
    one left out with no default is refused at once.
    """

    def __init__(
        self, model: type[models.Model], fields: Sequence[str], *, batch_size: int
    ) -> None:
        self.model = model
        self.batch_size = batch_size
        chosen = [model._meta.get_field(name) for name in fields]
        names = {field.name for field in chosen}
        defaults: list[tuple[models.Field, Any]] = []
        for field in model._meta.concrete_fields:
            if field.name in names or field.primary_key:
                continue
            value = field.get_default()  # "" for text fields without a default
            if value is None and not field.null:
                raise ValueError(f"{model.__name__}.{field.name} needs a value in the seed.")
            defaults.append((field, value))
        self.fields = chosen + [field for field, _ in defaults]
        self.default_values = tuple(value for _, value in defaults)
        self.attnames = [field.attname for field in self.fields]
        self.converters = [_copy_converter(field) for field in self.fields]
        self.rows: list[tuple] = []
        self.written = 0

    def add(self, row: tuple) -> None:
        self.rows.append(row + self.default_values if self.default_values else row)
        if len(self.rows) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        if connection.vendor == "postgresql":
            self._copy(self.rows)
        else:
            self.model.objects.bulk_create(
                [self.model(**dict(zip(self.attnames, row, strict=True))) for row in self.rows],
                batch_size=self.batch_size,
            )
        self.written += len(self.rows)
        self.rows = []

    def _copy(self, rows: list[tuple]) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        if any(self.converters):
            pairs = list(zip(self.converters, range(len(self.fields)), strict=True))
            rows = [
                [convert(row[i]) if convert else row[i] for convert, i in pairs] for row in rows
            ]
        writer.writerows(rows)
        buffer.seek(0)
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in self.fields)
        sql = (
            f"COPY {quote(self.model._meta.db_table)} ({columns}) "
            f"FROM STDIN WITH (FORMAT csv, NULL '{NULL}')"
        )
        with connection.cursor() as cursor:
            cursor.copy_expert(sql, buffer)
