"""Reading an .xlsx workbook (openpyxl, read-only streaming; the archive is checked first by
``reader_zip``)."""

import io

from .common import FormulaCell, ImportFileError, _lt
from .reader import SheetReader

# Without an environment, messages are lazy terms (``_lt``) that the service translates in the
# user's language (``common.message``): no self.env._ here.
# pylint: disable=prefer-env-translation


class XlsxReader(SheetReader):
    kind = "xlsx"

    _opened = None  # (workbook, first sheet), opened once for every pass over the rows

    def _open_sheet(self):
        if self._opened is None:
            self._opened = self._load_sheet()
        return self._opened

    def _load_sheet(self):
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(
                io.BytesIO(self.content), read_only=True, data_only=False, keep_links=False
            )
        except ImportFileError:
            raise
        except Exception as exc:  # openpyxl raises many kinds on broken files
            raise ImportFileError(
                _lt("“%(file)s” cannot be read as an Excel workbook (%(error)s).", file=self.filename, error=exc)
            ) from exc
        if not workbook.worksheets:
            raise ImportFileError(_lt("The workbook has no sheet."))
        sheet = workbook.worksheets[0]
        if not hasattr(sheet, "reset_dimensions"):
            raise ImportFileError(_lt("The first sheet of the workbook is a chart, not a table."))
        # The declared dimension (<dimension ref="A1:XFD1048576"/>) is not trusted: rows are
        # never padded to it.
        sheet.reset_dimensions()
        return workbook, sheet

    def _raw_rows(self):
        # the read-only sheet streams its rows from the archive at every pass: the headers, the
        # header row chosen again, the rows (the shared strings are read once, when opened)
        _workbook, sheet = self._open_sheet()
        try:
            for number, row in enumerate(sheet.iter_rows(), start=1):
                values = []
                for cell in row:
                    value = cell.value
                    if value is not None and getattr(cell, "data_type", None) == "f":
                        value = FormulaCell(value)
                    values.append(value)
                yield number, values
        except ImportFileError:
            raise
        except Exception as exc:
            raise ImportFileError(_lt("The workbook is damaged and cannot be read (%(error)s).", error=exc)) from exc
