"""Step 1 of the import: reading the file into rows.

``open_file(content, filename)`` tells the format from the content (not from the name) and
returns a :class:`SheetReader` of that format: .xlsx (``reader_xlsx``), .xls (``reader_xls``),
.ods (``reader_ods``) or .csv (``reader_csv``). Every reader gives the same thing: ``headers``
(the cleaned texts of the header row) and ``rows()``, the (sheet row number, cell values) of the
rows after it, streamed and bounded by the limits of ``common``.
"""

from .common import MAX_COLUMNS, MAX_FILE_SIZE, MAX_ROWS, FormulaCell, ImportFileError, _lt, cell_text

# Without an environment, messages are lazy terms (``_lt``) that the service translates in the
# user's language (``common.message``): no self.env._ here.
# pylint: disable=prefer-env-translation

ZIP_MAGIC = b"PK\x03\x04"  # .xlsx and .ods
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls, and password-protected .xlsx
HEADER_SEARCH_ROWS = 10  # the header row is looked for among the first rows (title rows above it)


class SheetReader:
    """Streams (row_number, values) of the first sheet of a file.

    ``headers`` is read at construction; ``rows()`` can be iterated several times (the
    background import counts rows in a first pass). Formula cells are returned as
    :class:`FormulaCell` when the format tells them, so that the importer can report them.
    A subclass gives ``kind`` and ``_raw_rows()``, the (row number, values) of every row
    from the first one, header included.
    """

    kind = None

    def __init__(self, content, filename):
        self.content = content
        self.filename = filename or ""
        self.header_row = 1
        self._prepare()
        self.headers = self._read_headers()

    def find_header_row(self, recognise):
        """Choose the header row again with ``recognise(header) -> bool`` (the labels known to
        the database): the rows above it are not imported; row numbers stay the sheet's."""
        self.headers = self._read_headers(recognise)

    def _prepare(self):
        """Check the file as a whole before any row is read."""

    def _raw_rows(self):
        raise NotImplementedError

    def rows(self):
        """(row_number, values) of every row after the header."""
        for number, values in self._raw_rows():
            if number <= self.header_row:
                continue
            if number > MAX_ROWS:
                raise ImportFileError(_lt("The file has more than %(max)s rows.", max=MAX_ROWS))
            yield number, values

    def _read_headers(self, recognise=None):
        """The header row: among the first ``HEADER_SEARCH_ROWS`` rows, the one with the most
        headers ``recognise(text)`` knows (a title row or empty rows may come first); without
        any, the first row that is not empty. ``header_row`` is its sheet row number."""
        source = self._raw_rows()
        best = None  # (recognised headers, row number, values)
        seen_any = False
        for number, values in source:
            seen_any = True
            if any(value not in (None, "") and cell_text(value) for value in values):
                score = _score(values, recognise)
                if best is None or score > best[0]:
                    best = (score, number, list(values))
                if not recognise:
                    break
            if number >= HEADER_SEARCH_ROWS:
                break
        source.close()
        if not seen_any:
            raise ImportFileError(_lt("The file is empty."))
        if best is None:
            raise ImportFileError(_lt("The first row (the column headers) is empty."))
        self.header_row, headers = best[1], best[2]
        while headers and headers[-1] in (None, ""):
            headers.pop()
        if len(headers) > MAX_COLUMNS:
            raise ImportFileError(
                _lt(
                    "The file has %(count)s columns; a client list has at most %(max)s. Nothing was imported.",
                    count=len(headers),
                    max=MAX_COLUMNS,
                )
            )
        cleaned = []
        seen = set()
        for index, header in enumerate(headers, start=1):
            if isinstance(header, FormulaCell):
                raise ImportFileError(
                    _lt("The header of column %(column)s is a formula; type the header text instead.", column=index)
                )
            text = cell_text(header)[:200]
            if not text:
                text = f"Column {index}"
            base, counter = text, 2
            while text in seen:
                text = f"{base} ({counter})"
                counter += 1
            seen.add(text)
            cleaned.append(text)
        return cleaned

    def preview(self, limit=5):
        rows = []
        for _number, values in self.rows():
            if any(v not in (None, "") for v in values):
                rows.append([cell_text(v) for v in values[: len(self.headers)]])
            if len(rows) >= limit:
                break
        return rows


def _score(values, recognise):
    if not recognise:
        return 0
    return sum(
        1
        for value in values[:MAX_COLUMNS]
        if value not in (None, "") and not isinstance(value, FormulaCell) and recognise(cell_text(value)[:200])
    )


def open_file(content, filename, recognise=None):
    """The reader of a file, chosen from its content; :class:`ImportFileError` when the file
    cannot be a client list. With ``recognise(header) -> bool``, the header row is the one of
    the first rows with the most recognised headers."""
    reader = _open(content, filename)
    if recognise:
        reader.find_header_row(recognise)
    return reader


def _open(content, filename):
    from .reader_csv import CsvReader
    from .reader_ods import OdsReader
    from .reader_xls import XlsReader
    from .reader_xlsx import XlsxReader
    from .reader_zip import check_archive

    if not content:
        raise ImportFileError(_lt("The file is empty."))
    if len(content) > MAX_FILE_SIZE:
        raise ImportFileError(
            _lt(
                "The file is too big (%(size)s MB, at most %(max)s MB).",
                size=len(content) // (1024 * 1024),
                max=MAX_FILE_SIZE // (1024 * 1024),
            )
        )
    name = (filename or "").lower()
    if content[:4] == ZIP_MAGIC:
        archive = check_archive(content, filename)
        names = set(archive.namelist())
        if OdsReader.recognises(archive, names):
            return OdsReader(content, filename, archive)
        if "[Content_Types].xml" not in names or not any(n.startswith("xl/worksheets/") for n in names):
            raise ImportFileError(_lt("“%(file)s” is a zip archive, not an Excel (.xlsx) workbook.", file=filename))
        return XlsxReader(content, filename)
    if content[:4] == OLE_MAGIC:
        return XlsReader(content, filename)
    if name.endswith((".xlsx", ".xlsm")):
        raise ImportFileError(_lt("“%(file)s” is not a valid Excel (.xlsx) file.", file=filename))
    if name.endswith(".xls"):
        raise ImportFileError(
            _lt("“%(file)s” is not a valid %(kind)s file.", file=filename, kind="Excel 97-2003 (.xls)")
        )
    if name.endswith(".ods"):
        raise ImportFileError(
            _lt("“%(file)s” is not a valid %(kind)s file.", file=filename, kind="OpenDocument (.ods)")
        )
    return CsvReader(content, filename)
