"""Writes ``clients.xls``, the Excel 97–2003 file of the import tests (no .xls writer is
installed with Odoo, so the file is committed). Run it again after a change:

    pip install --target /tmp/xlwt xlwt==1.3.0
    PYTHONPATH=/tmp/xlwt python3 client_management/tests/files/make_xls.py
"""

import datetime
import pathlib

import xlwt

ROWS = [
    ["Name", "E-mail", "Phone", "Birthdate", "Supplier", "ZIP", "Tags"],
    ["Xls Anna Bērziņa", "xls.anna@example.com", "+371 20 000 101", datetime.date(1985, 12, 31), False, 1010, "VIP"],
    ["Xls Pēteris Kalniņš", "xls.peteris@example.com", "+371 20 000 102", "01.02.1990", True, "LV-1050", ""],
    ["Xls Company SIA", "info@xls-company.example.com", "", None, False, None, "Partner; VIP"],
]


def main():
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Clients")
    date_style = xlwt.easyxf(num_format_str="DD.MM.YYYY")
    for row_index, row in enumerate(ROWS):
        for col_index, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, datetime.date):
                sheet.write(row_index, col_index, value, date_style)
            else:
                sheet.write(row_index, col_index, value)
    # a second sheet is never read
    book.add_sheet("Other").write(0, 0, "Not a client")
    book.save(str(pathlib.Path(__file__).with_name("clients.xls")))


if __name__ == "__main__":
    main()
