"""What every step of the importer shares: the limits against hostile files, the two kinds of
error, and the text of a cell as the user sees it.

Every problem with the file as a whole raises :class:`ImportFileError` with a message meant for
the user (nothing is written); a problem of a single cell raises :class:`CellError` (the row is
reported and skipped).
"""

import datetime

from odoo.tools.translate import LazyGettext, LazyTranslate

_lt = LazyTranslate(__name__)

# ----------------------------------------------------------------------
# Limits (hostile files)
# ----------------------------------------------------------------------
MAX_FILE_SIZE = 200 * 1024 * 1024  # bytes of the uploaded file
MAX_UNCOMPRESSED_SIZE = 2 * 1024 * 1024 * 1024  # sum of the .xlsx / .ods parts once unzipped
MAX_COMPRESSION_RATIO = 200  # a part inflating more than this is a zip bomb
MAX_ZIP_ENTRIES = 2000
MAX_COLUMNS = 500  # columns of the header row
MAX_SHEET_COLUMNS = 16_384  # cells of any row (a repeated cell of an .ods is never expanded further)
MAX_ROWS = 1_048_576  # Excel's own limit
MAX_CELL_LENGTH = 10_000  # characters of one cell, whatever the column
MAX_TEXT_LENGTH = {"comment": 10_000}  # per target; 1 000 for the others
DEFAULT_TEXT_LENGTH = 1_000


class ImportFileError(Exception):
    """The file as a whole cannot be imported (nothing is written)."""


class CellError(ValueError):
    """One cell holds a value that cannot be imported; the row is reported and skipped."""


class FormulaCell(str):
    """The text of a formula cell (never evaluated, never imported)."""


def cell_text(value):
    """The text of a cell as the user sees it: numbers without a trailing '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.strftime("%d.%m.%Y")
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return str(value).strip()


def message(env, exc):
    """The user-facing text of an :class:`ImportFileError` / :class:`CellError`, in the user's
    language."""
    text = exc.args[0] if exc.args else ""
    if isinstance(text, LazyGettext):
        return text._translate(env.lang or "en_US")
    return str(text)


def html_to_text(html):
    if not html:
        return ""
    from odoo.tools import html2plaintext, is_html_empty

    if is_html_empty(html):
        return ""
    return html2plaintext(html).strip()
