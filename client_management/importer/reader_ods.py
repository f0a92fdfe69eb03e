"""Reading an OpenDocument spreadsheet (.ods, LibreOffice): ``content.xml`` is parsed as a
stream with lxml, without entities, DTD or network, and with libxml2's size limits on.

A row or a cell repeated by ``table:number-rows-repeated`` / ``table:number-columns-repeated``
is never expanded when empty (LibreOffice writes a last empty row repeated a million times);
a row is never longer than its last value, and at most ``MAX_SHEET_COLUMNS`` long; a row with
values is repeated at most ``MAX_REPEATED_ROWS`` times. Typed cells
give Python values as the .xlsx reader does (numbers, dates, booleans); a formula cell gives a
:class:`FormulaCell`.
"""

import datetime
import zipfile
import zlib

from .common import MAX_CELL_LENGTH, MAX_COLUMNS, MAX_SHEET_COLUMNS, FormulaCell, ImportFileError, _lt
from .reader import SheetReader

# Without an environment, messages are lazy terms (``_lt``) that the service translates in the
# user's language (``common.message``): no self.env._ here.
# pylint: disable=prefer-env-translation

MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
CELLS = (TABLE + "table-cell", TABLE + "covered-table-cell")
# A row with values repeated more often is refused: a few bytes would otherwise make a million
# rows to import (identical rows of a client list are duplicates anyway).
MAX_REPEATED_ROWS = 1_000
PARAGRAPHS = (TEXT + "p", TEXT + "h")


def _count(value):
    """A repeat count as written in the file (1 when it is not a number)."""
    try:
        return max(int(value or 1), 1)
    except ValueError:
        return 1


class OdsReader(SheetReader):
    kind = "ods"

    def __init__(self, content, filename, archive):
        self.archive = archive
        super().__init__(content, filename)

    @staticmethod
    def recognises(archive, names):
        if "content.xml" not in names or "mimetype" not in names:
            return False
        with archive.open("mimetype") as part:
            return part.read(len(MIMETYPE) + 10).strip() == MIMETYPE

    def _prepare(self):
        if "META-INF/manifest.xml" in self.archive.namelist():
            with self.archive.open("META-INF/manifest.xml") as part:
                if b"encryption-data" in part.read(1024 * 1024):
                    raise ImportFileError(_lt("The workbook is encrypted: save it without a password."))

    def _raw_rows(self):
        from lxml import etree

        try:
            with self.archive.open("content.xml") as stream:
                yield from self._parse(etree, stream)
        except ImportFileError:
            raise
        except (etree.LxmlError, zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            raise ImportFileError(_lt("The workbook is damaged and cannot be read (%(error)s).", error=exc)) from exc

    def _parse(self, etree, stream):
        events = etree.iterparse(
            stream,
            events=("start", "end"),
            resolve_entities=False,
            load_dtd=False,
            no_network=True,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        number = 1
        tables = 0
        checked = False
        for event, element in events:
            if not checked:
                checked = True
                if element.getroottree().docinfo.doctype:
                    raise ImportFileError(_lt("The workbook contains XML entity declarations, which are refused."))
            if element.tag == TABLE + "table":
                if event == "end" or tables:
                    return  # only the first sheet is read
                tables += 1
            elif event == "end" and element.tag == TABLE + "table-row":
                repeat = _count(element.get(TABLE + "number-rows-repeated"))
                values = self._row_values(element)
                _forget(element)
                if not values:
                    number += repeat  # empty rows: counted, never produced
                    continue
                if repeat > MAX_REPEATED_ROWS:
                    raise ImportFileError(
                        _lt(
                            "Row %(row)s is repeated %(count)s times; a client list never repeats a row so often. "
                            "Nothing was imported.",
                            row=number,
                            count=repeat,
                        )
                    )
                for _copy in range(repeat):
                    yield number, list(values)
                    number += 1

    def _row_values(self, row):
        values = []
        pending = 0  # empty cells before the next value, not produced yet
        for cell in row:
            if cell.tag not in CELLS:
                continue
            repeat = _count(cell.get(TABLE + "number-columns-repeated"))
            value = _cell_value(cell)
            if value is None or value == "":
                pending += repeat
                continue
            width = len(values) + pending + repeat
            if width > MAX_SHEET_COLUMNS:
                raise ImportFileError(
                    _lt(
                        "The file has %(count)s columns; a client list has at most %(max)s. Nothing was imported.",
                        count=width,
                        max=MAX_COLUMNS,
                    )
                )
            values.extend([None] * pending)
            pending = 0
            values.extend([value] * repeat)
        return values


def _forget(row):
    """Free the rows already read (the parser keeps the tree otherwise)."""
    row.clear()
    parent = row.getparent()
    while row.getprevious() is not None:
        del parent[0]


def _cell_value(cell):
    formula = cell.get(TABLE + "formula")
    if formula:
        return FormulaCell(formula[3:] if formula.startswith("of:") else formula)
    kind = cell.get(OFFICE + "value-type")
    value = None
    if kind in ("float", "percentage", "currency"):
        value = _number(cell.get(OFFICE + "value"))
    elif kind == "boolean":
        value = (cell.get(OFFICE + "boolean-value") or "").strip().lower() == "true"
    elif kind == "date":
        value = _date(cell.get(OFFICE + "date-value") or "")
    if value is not None:
        return value
    text = "\n".join(_inline(p) for p in cell.iterchildren(*PARAGRAPHS))
    return text or None


def _number(text):
    """The number of a typed cell, None when the file writes no number (its text is used)."""
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def _date(text):
    try:
        if "T" not in text:
            return datetime.date.fromisoformat(text)
        result = datetime.datetime.fromisoformat(text.split(".")[0])
    except ValueError:
        return None
    return result.date() if result.time() == datetime.time(0, 0) else result


def _inline(element):
    """The text of a paragraph as shown: spaces (``text:s``), tabs and line breaks included,
    notes (``office:annotation``) left out."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == TEXT + "s":
            parts.append(" " * min(_count(child.get(TEXT + "c")), MAX_CELL_LENGTH + 1))
        elif child.tag == TEXT + "tab":
            parts.append("\t")
        elif child.tag == TEXT + "line-break":
            parts.append("\n")
        elif child.tag != OFFICE + "annotation":
            parts.append(_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)
