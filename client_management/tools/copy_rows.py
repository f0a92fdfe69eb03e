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


def _text(value):
    return value.translate(_ESCAPES)


# the text of a value, by its exact type (a subclass of str, such as Markup, is not copied)
_TEXTS = {
    type(None): lambda _value: "\\N",
    bool: lambda value: "t" if value else "f",
    str: _text,
    int: repr,
    float: repr,
    datetime.datetime: lambda value: value.isoformat(sep=" "),
    datetime.date: datetime.date.isoformat,
}


def copy_text(value):
    """A column value in COPY's text format."""
    try:
        return _TEXTS[type(value)](value)
    except KeyError:
        raise NotCopyable(type(value).__name__) from None


def copy_rows(cr, table, columns, rows):
    """Insert ``rows`` (tuples of column values, in the order of ``columns``) into ``table``;
    returns their ids, drawn from the table's sequence first (COPY returns none), in order.
    Raises :class:`NotCopyable` before writing anything when a value cannot be written."""
    texts = ["\t".join(map(copy_text, row)) for row in rows]
    # the sequence's name is given as a constant: PostgreSQL would look it up again for every id
    cr.execute(SQL("SELECT pg_get_serial_sequence(%s, 'id')", table))
    sequence = cr.fetchone()[0]
    cr.execute(SQL("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", sequence, len(rows)))
    ids = [row_id for (row_id,) in cr.fetchall()]
    copy_into(cr, table, ["id", *columns], (f"{row_id}\t{text}" for row_id, text in zip(ids, texts, strict=True)))
    return ids


def copy_into(cr, table, columns, lines):
    """COPY the ``lines`` (texts of rows in COPY's format, without their end of line)."""
    query = SQL("COPY %s (%s) FROM STDIN", SQL.identifier(table), SQL(", ").join(map(SQL.identifier, columns)))
    data = io.StringIO("".join(f"{line}\n" for line in lines))
    # as Odoo's own COPY (orm/models.py): no asynchronous wait callback during a COPY
    callback = psycopg2.extensions.get_wait_callback()
    psycopg2.extensions.set_wait_callback(None)
    try:
        cr.copy_expert(query.code, data)
    finally:
        psycopg2.extensions.set_wait_callback(callback)
