"""Builders of the spreadsheet and CSV files the import tests feed to the importer."""

import csv
import io
import zipfile

import openpyxl


def xlsx(rows, title="Clients"):
    """An .xlsx whose first sheet holds ``rows`` (the first one is the header)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, delimiter=",", encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode(encoding)


def read_xlsx(content):
    """All rows of the first sheet, as values (the cells too, for type checks)."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows()], sheet


def rewrite_xlsx(content, replace):
    """A copy of an .xlsx whose parts are changed by ``replace(name, data) -> data``
    (``None`` drops the part)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = replace(info.filename, source.read(info.filename))
            if data is not None:
                target.writestr(info.filename, data)
    return buffer.getvalue()


def add_parts(content, parts):
    """A copy of an .xlsx with extra parts {name: bytes}."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        for name, data in parts.items():
            target.writestr(name, data)
    return buffer.getvalue()
