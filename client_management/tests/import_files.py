"""Builders of the spreadsheet and CSV files the import tests feed to the importer."""

import csv
import datetime
import io
import pathlib
import zipfile
from xml.sax.saxutils import escape, quoteattr

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


ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'office:version="1.3"'
)


class OdsFormula:
    """A formula cell of :func:`ods` (with the value LibreOffice computed)."""

    def __init__(self, formula, value):
        self.formula, self.value = formula, value


def _ods_cell(value):
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, OdsFormula):
        return (
            f'<table:table-cell table:formula={quoteattr("of:" + value.formula)} office:value-type="string">'
            f"<text:p>{escape(str(value.value))}</text:p></table:table-cell>"
        )
    if isinstance(value, bool):
        flag = "true" if value else "false"
        return (
            f'<table:table-cell office:value-type="boolean" office:boolean-value="{flag}">'
            "<text:p>x</text:p></table:table-cell>"
        )
    if isinstance(value, int | float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    if isinstance(value, datetime.date):
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
            f"<text:p>{value:%d.%m.%Y}</text:p></table:table-cell>"
        )
    paragraphs = "".join(f"<text:p>{escape(line)}</text:p>" for line in str(value).split("\n"))
    return f'<table:table-cell office:value-type="string">{paragraphs}</table:table-cell>'


def ods_rows(rows):
    """The XML of ``rows`` in an .ods sheet."""
    return "".join("<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>" for row in rows)


def ods_content(rows, tail="", prolog=""):
    """The content.xml of :func:`ods`: ``rows`` as typed cells, then the raw XML ``tail`` (more
    rows) in the first sheet; a second sheet that is never read."""
    body = ods_rows(rows)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<office:document-content {ODS_NAMESPACES}>'
        '<office:body><office:spreadsheet><table:table table:name="Clients">'
        '<table:table-column table:number-columns-repeated="1024"/>'
        f"{body}{tail}</table:table>"
        '<table:table table:name="Other"><table:table-row><table:table-cell office:value-type="string">'
        "<text:p>Not a client</text:p></table:table-cell></table:table-row></table:table>"
        "</office:spreadsheet></office:body></office:document-content>"
    ).encode()


def ods(rows, tail="", prolog="", content=None, manifest_extra=""):
    """An OpenDocument spreadsheet (.ods) as LibreOffice writes it: ``mimetype`` first and
    stored, then ``content.xml`` (from :func:`ods_content` unless ``content`` is given)."""
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        f'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">{manifest_extra}'
        "</manifest:file-entry></manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        archive.writestr("content.xml", content if content is not None else ods_content(rows, tail, prolog))
        archive.writestr("META-INF/manifest.xml", manifest)
    return buffer.getvalue()


def xls_fixture():
    """The Excel 97–2003 file of the tests (written by ``files/make_xls.py``)."""
    return (pathlib.Path(__file__).parent / "files" / "clients.xls").read_bytes()
