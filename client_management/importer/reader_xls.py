"""Reading an Excel 97–2003 (.xls) workbook with xlrd (which Odoo requires).

xlrd holds the first sheet in memory: the file size is capped lower than for the streamed
formats (an .xls holds at most 65 536 rows × 256 columns anyway), and rows are not padded to the
widest one (``ragged_rows``). xlrd gives a formula cell's last computed value, never the
formula: that value is imported as the user saw it.
"""

import datetime
import io

from .common import FormulaCell, ImportFileError, _lt
from .reader import SheetReader

# Without an environment, messages are lazy terms (``_lt``) that the service translates in the
# user's language (``common.message``): no self.env._ here.
# pylint: disable=prefer-env-translation

MAX_XLS_FILE_SIZE = 30 * 1024 * 1024
# the name of the stream holding a password-protected Office 2007+ workbook (UTF-16 in the
# compound file's directory)
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


class XlsReader(SheetReader):
    kind = "xls"

    def _prepare(self):
        import xlrd

        if ENCRYPTED_PACKAGE in self.content:
            raise ImportFileError(_lt("The workbook is encrypted: save it without a password."))
        if len(self.content) > MAX_XLS_FILE_SIZE:
            raise ImportFileError(
                _lt(
                    "The file is too big (%(size)s MB, at most %(max)s MB).",
                    size=len(self.content) // (1024 * 1024),
                    max=MAX_XLS_FILE_SIZE // (1024 * 1024),
                )
            )
        try:
            book = xlrd.open_workbook(
                file_contents=self.content,
                formatting_info=False,
                on_demand=True,
                ragged_rows=True,
                logfile=io.StringIO(),
                verbosity=0,
            )
            if not book.nsheets:
                raise ImportFileError(_lt("The workbook has no sheet."))
            self._sheet = book.sheet_by_index(0)
        except ImportFileError:
            raise
        except Exception as exc:  # xlrd raises many kinds on broken files
            if "encrypted" in str(exc).lower():
                raise ImportFileError(_lt("The workbook is encrypted: save it without a password.")) from exc
            raise ImportFileError(
                _lt("“%(file)s” cannot be read as an Excel workbook (%(error)s).", file=self.filename, error=exc)
            ) from exc
        self._datemode = book.datemode
        book.release_resources()  # the sheet is loaded: the file's bytes are no longer needed

    def _raw_rows(self):
        import xlrd

        sheet = self._sheet
        for index in range(sheet.nrows):
            values = []
            for ctype, value in zip(sheet.row_types(index), sheet.row_values(index), strict=True):
                values.append(self._value(xlrd, ctype, value))
            yield index + 1, values

    def _value(self, xlrd, ctype, value):
        if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
            return None
        if ctype == xlrd.XL_CELL_BOOLEAN:
            return bool(value)
        if ctype == xlrd.XL_CELL_ERROR:
            # "#N/A", "#DIV/0!": what the cell shows, reported by the column's parser
            return FormulaCell(xlrd.error_text_from_code.get(value, "#ERROR"))
        if ctype == xlrd.XL_CELL_DATE:
            try:
                result = xlrd.xldate.xldate_as_datetime(value, self._datemode)
            except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                return value
            return result.date() if result.time() == datetime.time(0, 0) else result
        return value
