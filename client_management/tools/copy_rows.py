"""Rows written with PostgreSQL's COPY, the fastest way in: no SQL statement to build and
parse per row. Used by the bulk path of the phone and e-mail lines
(``models/res_partner_line_bulk.py``) for the thousands of lines of an import."""

import datetime
import io

import psycopg2.extensions

from odoo.tools import SQL

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


class NotCopyable(TypeError):
    """A value COPY's text format is not written for here (the caller inserts the rows)."""


def copy_text(value):
    """A column value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat(sep=" ") if isinstance(value, datetime.datetime) else value.isoformat()
    raise NotCopyable(type(value).__name__)


def copy_rows(cr, table, columns, rows):
    """Insert ``rows`` (tuples of column values, in the order of ``columns``) into ``table``;
    returns their ids, drawn from the table's sequence first (COPY returns none), in order.
    Raises :class:`NotCopyable` before writing anything when a value cannot be written."""
    texts = ["\t".join(map(copy_text, row)) for row in rows]
    cr.execute(SQL("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", table, len(rows)))
    ids = [row_id for (row_id,) in cr.fetchall()]
    data = "".join(f"{row_id}\t{text}\n" for row_id, text in zip(ids, texts, strict=True))
    query = SQL(
        "COPY %s (%s) FROM STDIN",
        SQL.identifier(table),
        SQL(", ").join(map(SQL.identifier, ["id", *columns])),
    )
    # as Odoo's own COPY (orm/models.py): no asynchronous wait callback during a COPY
    callback = psycopg2.extensions.get_wait_callback()
    psycopg2.extensions.set_wait_callback(None)
    try:
        cr.copy_expert(query.code, io.StringIO(data))
    finally:
        psycopg2.extensions.set_wait_callback(callback)
    return ids
