"""Excel 97–2003 (.xls) and OpenDocument (.ods) files go through the same reader interface as
.xlsx and .csv: recognised headers, typed cells, the first sheet only."""

import base64
import datetime

from odoo.tests import tagged

from .import_files import OdsFormula, ods, ods_rows, xls_fixture
from .test_import import ImportCase, e164s, emails

ODS_ROWS = [
    ["Vārds", "E-pasts", "Tālrunis", "Dzimšanas datums", "Piegādātājs", "Pasta indekss", "Piezīmes"],
    ["Ods Anna Ozola", "ods.anna@example.com", "+371 20 000 201", datetime.date(1984, 3, 9), True, 1010, "one\ntwo"],
    [None, None, None, None, None, None, None],
    ["Ods Formula", OdsFormula('=[.A1]&"@example.com"', "x@example.com"), "", None, False, None, None],
    ["Ods Jānis Liepa", "ods.janis@example.com", "20 000 202", "02.01.1991", False, "LV-1050", None],
]
# LibreOffice ends a sheet with its empty rows and columns, repeated up to its limits
LIBREOFFICE_TAIL = (
    '<table:table-row table:number-rows-repeated="1048571">'
    '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
)


@tagged("post_install", "-at_install")
class TestImportFormats(ImportCase):
    def test_xls_imported_with_no_mapping(self):
        result = self.Import.import_file(xls_fixture(), "clients.xls", options={"default_country": "LV"})
        self.assertEqual((result["created"], result["errors"]), (3, []))
        anna = self.partner("Xls Anna Bērziņa")
        self.assertEqual(emails(anna), ["xls.anna@example.com"])
        self.assertEqual(e164s(anna), ["+37120000101"])
        self.assertEqual(anna.birthdate, datetime.date(1985, 12, 31), "a date cell")
        self.assertEqual(anna.zip, "1010", "a number cell, without '.0'")
        self.assertFalse(anna.is_supplier)
        peteris = self.partner("Xls Pēteris Kalniņš")
        self.assertTrue(peteris.is_supplier, "a boolean cell")
        self.assertEqual(peteris.birthdate, datetime.date(1990, 2, 1))
        company = self.partner("Xls Company SIA")
        self.assertEqual(sorted(company.category_id.mapped("name")), ["Partner", "VIP"])
        self.assertFalse(self.partner("Not a client"), "only the first sheet is read")

    def test_xls_through_the_wizard(self):
        wizard = (
            self.env["client.import.wizard"]
            .with_user(self.client_user)
            .create({"file": base64.b64encode(xls_fixture()), "filename": "old base.xls"})
        )
        wizard.default_country_id = self.env.ref("base.lv")
        wizard.action_load()
        self.assertEqual(wizard.file_info, "Excel 97-2003 workbook")
        self.assertEqual(
            [line.target for line in wizard.line_ids],
            ["name", "email", "phone", "birthdate", "is_supplier", "zip", "category"],
        )
        self.assertIn("31.12.1985", wizard.preview_html)
        wizard.action_import()
        self.assertEqual((wizard.state, wizard.created, wizard.error_count), ("done", 3, 0))

    def test_ods_imported_with_no_mapping(self):
        content = ods(ODS_ROWS, tail=LIBREOFFICE_TAIL)
        result = self.Import.import_file(content, "clients.ods", options={"default_country": "LV"})
        self.assertEqual(result["created"], 2)
        self.assertEqual([(e["row"], e["column"]) for e in result["errors"]], [(4, "E-pasts")])
        self.assertIn("formula", result["errors"][0]["message"])
        anna = self.partner("Ods Anna Ozola")
        self.assertEqual(emails(anna), ["ods.anna@example.com"])
        self.assertEqual(e164s(anna), ["+37120000201"])
        self.assertEqual(anna.birthdate, datetime.date(1984, 3, 9), "a date cell")
        self.assertTrue(anna.is_supplier, "a boolean cell")
        self.assertEqual(anna.zip, "1010", "a number cell, without '.0'")
        self.assertIn("one", anna.comment)
        self.assertIn("two", anna.comment)
        janis = self.partner("Ods Jānis Liepa")
        self.assertEqual(e164s(janis), ["+37120000202"], "the default country for a number without +")
        self.assertEqual(janis.birthdate, datetime.date(1991, 1, 2))
        self.assertFalse(self.partner("Not a client"), "only the first sheet is read")
        self.assertFalse(self.partner("Ods Formula"))

    def test_ods_through_the_wizard_and_its_error_file(self):
        wizard = (
            self.env["client.import.wizard"]
            .with_user(self.client_user)
            .create({"file": base64.b64encode(ods(ODS_ROWS, tail=LIBREOFFICE_TAIL)), "filename": "base.ods"})
        )
        wizard.default_country_id = self.env.ref("base.lv")
        wizard.action_load()
        self.assertEqual(wizard.file_info, "OpenDocument spreadsheet")
        self.assertEqual(wizard.line_ids[0].target, "name")
        wizard.action_dry_run()
        self.assertEqual((wizard.state, wizard.created, wizard.error_count), ("checked", 2, 1))
        self.assertTrue(wizard.error_file, "the rows to fix, as an .xlsx")
        self.assertFalse(self.partner("Ods Anna Ozola"), "a dry run writes nothing")

    def test_format_is_told_by_the_content_not_the_name(self):
        result = self.Import.import_file(xls_fixture(), "clients.xlsx", options={"default_country": "LV"})
        self.assertEqual(result["created"], 3)
        result = self.Import.import_file(ods(ODS_ROWS), "export.xlsx", options={"default_country": "LV"})
        self.assertEqual(result["created"], 2)

    def test_ods_rows_repeated_by_libreoffice(self):
        """LibreOffice writes identical consecutive rows once, with a repeat count."""
        twice = ods_rows([["Ods Twice", "ods.twice@example.com"]]).replace(
            "<table:table-row>", '<table:table-row table:number-rows-repeated="2">'
        )
        content = ods([["Name", "E-mail"]], tail=twice + ods_rows([["Ods After", "ods.after@example.com"]]))
        result = self.Import.import_file(content, "clients.ods")
        self.assertEqual((result["created"], result["updated"], result["errors"]), (2, 1, []))
        self.assertEqual(len(self.partner("Ods Twice")), 1, "the two rows are one client")
        self.assertTrue(self.partner("Ods After"))
