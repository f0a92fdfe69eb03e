"""A corpus of hostile files, generated here: each is refused with a clear message and
writes nothing, or is neutralised (imported safely, the dangerous part reported)."""

import base64
import io
import os
import time
import tracemalloc
import zipfile
from unittest.mock import patch

from odoo.addons.client_management.importer import common
from odoo.addons.client_management.importer import reader as reader_module
from odoo.exceptions import UserError
from odoo.tests import tagged

from .import_files import csv_bytes, ods, ods_rows, read_xlsx, rewrite_xlsx, xls_fixture, xlsx
from .test_import import ImportCase

GOOD = [["Name", "E-mail"], ["Hostile Good One", "hostile1@example.com"], ["Hostile Good Two", "hostile2@example.com"]]


def zip_bomb():
    """A workbook whose sheet inflates from ~40 KB to 40 MB."""
    base = xlsx(GOOD)
    filler = b"<!-- " + b"A" * (40 * 1024 * 1024) + b" -->"
    return rewrite_xlsx(
        base, lambda n, d: d.replace(b"</worksheet>", filler + b"</worksheet>") if n.endswith("sheet1.xml") else d
    )


def nested_bomb_parts():
    """Many parts, each a small bomb: the total inflated size is what counts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        source = zipfile.ZipFile(io.BytesIO(xlsx(GOOD)))
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info.filename))
        for i in range(2100):
            archive.writestr(f"xl/media/junk{i}.bin", b"")
    return buffer.getvalue()


def huge_dimension():
    return rewrite_xlsx(
        xlsx(GOOD),
        lambda n, d: (
            d.replace(b'<dimension ref="A1:B3"/>', b'<dimension ref="A1:XFD1048576"/>')
            if n.endswith("sheet1.xml")
            else d
        ),
    )


def far_away_cell():
    """A single cell at the last column of a row far down: rows are not padded to it."""
    return rewrite_xlsx(
        xlsx(GOOD),
        lambda n, d: (
            d.replace(
                b"</sheetData>",
                b'<row r="60000"><c r="XFD60000" t="inlineStr"><is><t>far</t></is></c></row></sheetData>',
            )
            if n.endswith("sheet1.xml")
            else d
        ),
    )


def entity_bomb():
    laughs = b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'

    def inject(name, data):
        if not name.endswith("sheet1.xml"):
            return data
        end = data.index(b"?>") + 2 if data.startswith(b"<?xml") else 0
        return data[:end] + laughs + data[end:]

    return rewrite_xlsx(xlsx(GOOD), inject)


def truncated_sheet():
    """Valid rows, then the sheet XML breaks: nothing may stay written."""
    rows = [GOOD[0]] + [[f"Truncated {i}", f"trunc{i}@example.com"] for i in range(30)]
    return rewrite_xlsx(
        xlsx(rows),
        lambda n, d: (
            d.replace(b"</sheetData>", b"<row r='40'><c r='A40' t='inlineStr'><is><t>x</row></sheetData>")
            if n.endswith("sheet1.xml")
            else d
        ),
    )


def no_sheet_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return buffer.getvalue()


def encrypted_zip():
    data = bytearray(xlsx(GOOD))
    # set the "encrypted" flag bit of every local and central header
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (pos := data.find(signature, start)) != -1:
            data[pos + offset] |= 0x1
            start = pos + 4
    return bytes(data)


def million_columns_csv():
    return ("Name" + ",x" * 1_000_000 + "\r\nA" + ",1" * 10 + "\r\n").encode()


def wide_xlsx():
    return xlsx([["Name"] + [f"C{i}" for i in range(1, 16384)], ["Too Wide"]])


def formula_cells():
    return xlsx([*GOOD, ["=1+1", "formula@example.com"], ["Formula Mail", '=HYPERLINK("http://x","y")']])


def header_formula():
    return xlsx([["=A2", "E-mail"], ["x", "y@example.com"]])


# -- .xls and .ods --------------------------------------------------------
OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
LAUGHS = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
ENTITY_ROW = (
    '<table:table-row><table:table-cell office:value-type="string"><text:p>&lol2;</text:p>'
    "</table:table-cell></table:table-row>"
)


def xls_password():
    """A password-protected .xls: its workbook globals hold a FILEPASS record (written here
    over the CODEPAGE record, of the same length)."""
    data = xls_fixture()
    index = data.index(b"\x42\x00\x02\x00")
    return data[:index] + b"\x2f\x00" + data[index + 2 :]


def ods_repeated(count, value):
    """A header row whose second cell is repeated ``count`` times."""
    return (
        '<table:table-row><table:table-cell office:value-type="string"><text:p>Name</text:p></table:table-cell>'
        f'<table:table-cell table:number-columns-repeated="{count}" office:value-type="string">'
        f"<text:p>{value}</text:p></table:table-cell></table:table-row>"
    )


def ods_empty_rows(count):
    return (
        f'<table:table-row table:number-rows-repeated="{count}">'
        '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
    )


def ods_broken_xml():
    rows = [GOOD[0]] + [[f"Truncated {i}", f"trunc{i}@example.com"] for i in range(30)]
    return ods(rows, tail="<table:table-row><table:table-cell><text:p>x</table:table-row>")


CORPUS = {
    # name: (content factory, filename, expected message regex or None when neutralised)
    "empty file": (lambda: b"", "clients.xlsx", "The file is empty"),
    "empty csv": (lambda: b"", "clients.csv", "The file is empty"),
    "blank csv": (lambda: b"\r\n \r\n\t\r\n", "clients.csv", "empty"),
    "header only": (lambda: xlsx([["Name", "E-mail"]]), "clients.xlsx", None),
    "renamed pdf": (lambda: b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n", "clients.xlsx", "not a valid Excel"),
    "renamed png": (lambda: b"\x89PNG\r\n\x1a\n" + os.urandom(2000), "clients.xlsx", "not a valid Excel"),
    "random bytes as csv": (lambda: bytes(range(256)) * 40, "clients.csv", "binary content"),
    "broken ole file": (lambda: OLE_HEADER + b"\x00" * 4000, "clients.xls", "cannot be read as an Excel workbook"),
    "truncated xls": (lambda: xls_fixture()[:3000], "clients.xls", "cannot be read as an Excel workbook"),
    "password-protected xls": (xls_password, "clients.xls", "encrypted: save it without a password"),
    "password-protected xlsx": (
        lambda: OLE_HEADER + b"\x00" * 600 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 3000,
        "clients.xlsx",
        "encrypted: save it without a password",
    ),
    "csv renamed xls": (lambda: csv_bytes(GOOD), "clients.xls", r"not a valid Excel 97-2003 \(\.xls\) file"),
    "pdf renamed ods": (lambda: b"%PDF-1.4\n1 0 obj<<>>endobj\n", "clients.ods", r"not a valid OpenDocument \(\.ods\)"),
    "truncated ods": (lambda: ods(GOOD)[:600], "clients.ods", "damaged archive|not a valid"),
    "broken ods xml": (ods_broken_xml, "clients.ods", "damaged"),
    "ods entities": (lambda: ods(GOOD, prolog=LAUGHS, tail=ENTITY_ROW), "clients.ods", "entity"),
    "ods entities after a long comment": (
        lambda: ods(GOOD, prolog="<!--" + " " * 8000 + "-->" + LAUGHS, tail=ENTITY_ROW),
        "clients.ods",
        "entity",
    ),
    "password-protected ods": (lambda: ods(GOOD, manifest_extra="<manifest:encryption-data/>"), "c.ods", "encrypted"),
    "ods value repeated on a million columns": (
        lambda: ods([], tail=ods_repeated(1_000_000, "x")),
        "c.ods",
        "1000001 columns",
    ),
    "ods row repeated a million times": (
        lambda: ods(
            GOOD,
            tail=ods_rows([["Same Row", "same@example.com"]]).replace(
                "<table:table-row>", '<table:table-row table:number-rows-repeated="1000000">'
            ),
        ),
        "c.ods",
        "Row 4 is repeated 1000000 times",
    ),
    "ods 600 columns": (lambda: ods([["Name"] + [f"C{i}" for i in range(599)]]), "c.ods", "600 columns"),
    "ods million empty rows": (lambda: ods(GOOD, tail=ods_empty_rows(1_048_576)), "c.ods", None),
    "ods million empty rows between": (
        lambda: ods(GOOD[:1], tail=ods_empty_rows(1_000_000) + ods_rows(GOOD[1:])),
        "c.ods",
        None,
    ),
    "zip without sheet": (no_sheet_zip, "clients.xlsx", "not an Excel"),
    "truncated zip": (lambda: xlsx(GOOD)[:3000], "clients.xlsx", "damaged archive|not a valid Excel"),
    "zip bomb": (zip_bomb, "clients.xlsx", "zip bomb"),
    "too many parts": (nested_bomb_parts, "clients.xlsx", "too many parts"),
    "encrypted parts": (encrypted_zip, "clients.xlsx", "encrypted"),
    "xml entities": (entity_bomb, "clients.xlsx", "entity"),
    "truncated sheet xml": (truncated_sheet, "clients.xlsx", "damaged"),
    "huge declared dimension": (huge_dimension, "clients.xlsx", None),
    "far away cell": (far_away_cell, "clients.xlsx", None),
    "million columns csv": (million_columns_csv, "clients.csv", "1000001 columns"),
    "16384 columns xlsx": (wide_xlsx, "clients.xlsx", "16384 columns"),
    "header formula": (header_formula, "clients.xlsx", "formula"),
}

NEUTRALISED = {
    "very long strings": (
        lambda: xlsx(
            [
                ["Name", "E-mail", "Notes"],
                *GOOD[1:],
                ["L" * 5000, "long@example.com"],
                ["Long Notes", "notes@example.com", "n" * 20000],
            ]
        ),
        "clients.xlsx",
    ),
    "formula cells": (formula_cells, "clients.xlsx"),
    "csv cell of 200 000 characters": (
        lambda: ('Name,Notes\r\nHuge Cell,"' + "x" * 200_000 + '"\r\nAfter Huge,ok\r\n').encode(),
        "clients.csv",
    ),
    "csv formula injection text": (
        lambda: csv_bytes([*GOOD, ['=cmd|" /C calc"!A0', "dde@example.com"], ["@SUM(1+1)", "-1@example.com"]]),
        "clients.csv",
    ),
    "utf-16 csv": (lambda: "\ufeffName,E-mail\r\nUtf Sixteen,u16@example.com\r\n".encode("utf-16-le"), "x.csv"),
    "nul bytes mid csv": (
        lambda: csv_bytes(GOOD) + b"x" * 70000 + b"\x00\x00\r\nNul Row,nul@example.com\r\n",
        "clients.csv",
    ),
    "duplicate headers": (
        lambda: xlsx([["Name", "Name", "E-mail"], ["Dup Header", "Other", "dup@example.com"]]),
        "d.xlsx",
    ),
}


@tagged("post_install", "-at_install")
class TestHostileFiles(ImportCase):
    def test_corpus_has_at_least_twenty_files(self):
        self.assertGreaterEqual(len(CORPUS) + len(NEUTRALISED), 20)

    def test_refused_files_write_nothing(self):
        for name, (factory, filename, expected) in CORPUS.items():
            if expected is None:
                continue
            with self.subTest(file=name):
                before = self.Partner.search_count([])
                tags = self.env["res.partner.category"].search_count([])
                started = time.monotonic()
                with self.assertRaisesRegex(UserError, expected):
                    self.Import.import_file(factory(), filename, options={"batch_size": 5})
                self.assertLess(time.monotonic() - started, 30, "refused quickly")
                self.assertEqual(self.Partner.search_count([]), before, "nothing half-written")
                self.assertEqual(self.env["res.partner.category"].search_count([]), tags)

    def test_refused_files_through_the_wizard(self):
        Wizard = self.env["client.import.wizard"].with_user(self.client_user)
        for name, (factory, filename, expected) in CORPUS.items():
            if expected is None:
                continue
            with self.subTest(file=name):
                before = self.Partner.search_count([])
                wizard = Wizard.create({"file": base64.b64encode(factory()), "filename": filename})
                with self.assertRaisesRegex(UserError, expected):
                    wizard.action_load()
                    wizard.action_import()
                self.assertEqual(self.Partner.search_count([]), before, "nothing half-written")

    def test_truncated_sheet_rolls_back_the_batches_already_written(self):
        factory, filename, _expected = CORPUS["truncated sheet xml"]
        with self.assertRaises(UserError):
            self.Import.import_file(factory(), filename, options={"batch_size": 5})
        self.assertFalse(self.Partner.search([("name", "=like", "Truncated %")]))

    def test_neutralised_dimensions_import_the_real_rows_quickly(self):
        names = ("huge declared dimension", "far away cell", "header only", "ods million empty rows")
        for name in (*names, "ods million empty rows between"):
            factory, filename, _expected = CORPUS[name]
            with self.subTest(file=name):
                started = time.monotonic()
                result = self.Import.import_file(factory(), filename)
                self.assertLess(time.monotonic() - started, 30)
                self.assertEqual(result["errors"], [])
        self.assertEqual(len(self.Partner.search([("name", "=like", "Hostile Good %")])), 2)

    def test_long_strings_are_row_errors(self):
        factory, filename = NEUTRALISED["very long strings"]
        result = self.Import.import_file(factory(), filename)
        messages = {e["row"]: e["message"] for e in result["errors"]}
        self.assertIn("Text too long (5000 characters, at most 1000)", messages[4])
        self.assertIn("Text too long (20000 characters", messages[5])
        self.assertEqual(result["created"], 2)

    def test_huge_csv_cell_is_a_row_error(self):
        factory, filename = NEUTRALISED["csv cell of 200 000 characters"]
        result = self.Import.import_file(factory(), filename)
        self.assertEqual([(e["row"], e["column"]) for e in result["errors"]], [(2, "Notes")])
        self.assertIn("Text too long (200000 characters", result["errors"][0]["message"])
        self.assertEqual(result["created"], 1)

    def test_formula_cells_are_reported_not_imported(self):
        factory, filename = NEUTRALISED["formula cells"]
        result = self.Import.import_file(factory(), filename)
        self.assertEqual(result["created"], 2)
        self.assertEqual([(e["row"], e["column"]) for e in result["errors"]], [(4, "Name"), (5, "E-mail")])
        self.assertIn("formula", result["errors"][0]["message"])
        self.assertFalse(self.Partner.search([("email", "=", "formula@example.com")]))

    def test_formula_text_from_csv_stays_text(self):
        factory, filename = NEUTRALISED["csv formula injection text"]
        result = self.Import.import_file(factory(), filename)
        self.assertEqual(result["created"], 4)
        partner = self.Partner.search([("email", "=", "dde@example.com")])
        self.assertEqual(partner.name, '=cmd|" /C calc"!A0')
        _values, sheet = read_xlsx(self.Import.export_partners(partner.ids))
        self.assertEqual(sheet["A2"].data_type, "s")

    def test_other_neutralised_files(self):
        factory, filename = NEUTRALISED["utf-16 csv"]
        self.assertEqual(self.Import.import_file(factory(), filename)["created"], 1)
        self.assertTrue(self.Partner.search([("name", "=", "Utf Sixteen")]))
        factory, filename = NEUTRALISED["nul bytes mid csv"]
        result = self.Import.import_file(factory(), filename)
        self.assertEqual(result["created"], 3)
        self.assertEqual([(e["row"], e["column"]) for e in result["errors"]], [(4, "Name")])
        self.assertIn("Text too long", result["errors"][0]["message"])
        factory, filename = NEUTRALISED["duplicate headers"]
        result = self.Import.import_file(factory(), filename)
        self.assertEqual(self.Partner.search([("email", "=", "dup@example.com")]).name, "Dup Header")

    def test_limits_are_documented_constants(self):
        self.assertEqual(common.MAX_COLUMNS, 500)
        self.assertGreater(common.MAX_FILE_SIZE, 10 * 1024 * 1024)

    def test_row_caps_hold_for_xls_and_ods(self):
        """The row cap of every format (lowered here: an .xls holds at most 65 536 rows)."""
        for content, filename in ((xls_fixture(), "clients.xls"), (ods(GOOD), "clients.ods")):
            with self.subTest(file=filename), patch.object(reader_module, "MAX_ROWS", 2):
                before = self.Partner.search_count([])
                with self.assertRaisesRegex(UserError, "more than 2 rows"):
                    self.Import.import_file(content, filename, options={"batch_size": 1, "default_country": "LV"})
                self.assertEqual(self.Partner.search_count([]), before, "nothing half-written")

    def test_column_cap_holds_for_xls(self):
        with patch.object(reader_module, "MAX_COLUMNS", 5), self.assertRaisesRegex(UserError, "7 columns"):
            self.Import.import_file(xls_fixture(), "clients.xls")

    def test_ods_repeats_are_never_expanded(self):
        """A million empty rows of 16 384 empty cells, declared by repeats, cost no memory."""
        factory, filename, _expected = CORPUS["ods million empty rows between"]
        content = factory()
        tracemalloc.start()
        try:
            rows = list(reader_module.open_file(content, filename).rows())
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        self.assertEqual([number for number, _values in rows], [1_000_002, 1_000_003])
        self.assertLess(peak, 20 * 1024 * 1024)
