import base64
import datetime
import io
import zipfile

import openpyxl

from odoo.addons.client_management.importer import headers
from odoo.tests import tagged

from .import_files import read_xlsx
from .test_import import ImportCase, e164s, emails


@tagged("post_install", "-at_install")
class TestExport(ImportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(context=dict(cls.env.context, cm_client_code=True))  # clients of the Clients app
        vip = env["res.partner.category"].create({"name": "Export VIP"})
        news = env["res.partner.category"].create({"name": "Export News"})
        source = env["utm.source"].create({"name": "Export fair"})
        cls.company = env["res.partner"].create(
            {
                "name": "Export Company SIA",
                "company_type": "company",
                "vat": "LV40000000001",
                "city": "Rīga",
                "country_id": env.ref("base.lv").id,
                "phone": "+371 67 111 222",
                "user_id": cls.client_user.id,
                "email": "office@export.lv",
            }
        )
        cls.person = env["res.partner"].create(
            {
                "name": "Export Person",
                "parent_id": cls.company.id,
                "email": "person@export.lv",
                "phone": "+371 29 111 222",
                "birthdate": datetime.date(1980, 5, 17),
                "is_supplier": True,
                "category_id": [(6, 0, [vip.id, news.id])],
                "acquisition_source_id": source.id,
                "user_id": cls.client_manager.id,
                "comment": "<p>Calls after 17:00</p>",
                "website": "https://export.lv",
            }
        )
        cls.formula = env["res.partner"].create(
            {
                "name": '=HYPERLINK("http://evil.example","click")',
                "street": "+1 Main street",
                "city": "-2",
                "zip": "@SUM(A1)",
                "email": "formula@export.lv",
                "is_conflict": True,
                "user_id": cls.client_user.id,
            }
        )
        if "phone_ids" in cls.person._fields:
            cls.person.write(
                {
                    "phone_ids": [(0, 0, {"number": "+371 20 999 888", "is_primary": False})],
                    "email_ids": [(0, 0, {"email": "second@export.lv", "is_primary": False})],
                }
            )
        cls.clients = cls.company | cls.person | cls.formula

    def export(self, partners=None):
        return self.Import.export_partners((partners or self.clients).ids)

    def test_export_writes_the_import_format(self):
        rows, _sheet = read_xlsx(self.export())
        self.assertEqual(rows[0], [headers.CANONICAL_HEADERS[t] for t in headers.TARGETS])
        by_name = {row[0]: dict(zip(headers.TARGETS, row, strict=True)) for row in rows[1:]}
        person = by_name["Export Person"]
        self.assertEqual(person["parent"], "Export Company SIA")
        self.assertEqual(person["email"].split("; ")[0], "person@export.lv", "primary e-mail first")
        self.assertEqual(person["phone"].split("; ")[0], self.person.phone, "primary phone first")
        self.assertEqual(person["birthdate"], "17.05.1980")
        self.assertEqual(sorted(person["category"].split("; ")), ["Export News", "Export VIP"])
        self.assertEqual((person["is_supplier"], person["is_conflict"]), ("Yes", "No"))
        self.assertEqual(person["user"], "cm_manager")
        self.assertEqual(person["acquisition_source"], "Export fair")
        self.assertEqual(person["comment"], "Calls after 17:00")
        self.assertFalse(person["vat"], "the company's VAT is not repeated on its contacts")
        self.assertEqual(by_name["Export Company SIA"]["company_type"], "Company")
        if "phone_ids" in self.person._fields:
            self.assertEqual(len(person["phone"].split("; ")), 2)
            self.assertEqual(len(person["email"].split("; ")), 2)

    def test_formula_text_never_becomes_a_formula(self):
        content = self.export(self.formula)
        _rows, sheet = read_xlsx(content)
        cells = {cell.value: cell for cell in sheet[2]}
        for text in ('=HYPERLINK("http://evil.example","click")', "+1 Main street", "-2", "@SUM(A1)"):
            self.assertEqual(cells[text].data_type, "s", text)
            self.assertTrue(cells[text].quotePrefix, text)
        # no formula element in the sheet XML at all
        archive = zipfile.ZipFile(io.BytesIO(content))
        sheet_xml = archive.read("xl/worksheets/sheet1.xml")
        self.assertNotIn(b"<f>", sheet_xml)
        # read with formulas evaluated-as-read: still plain strings
        values = openpyxl.load_workbook(io.BytesIO(content), data_only=False).active["A2"]
        self.assertEqual(values.data_type, "s")

    def test_round_trip_reimports_unchanged(self):
        content = self.export()
        before = self.Partner.search_count([])
        result = self.Import.import_file(content, "export.xlsx")
        self.assertEqual((result["created"], result["updated"], result["errors"]), (0, 0, []))
        self.assertEqual(result["unchanged"], 3)
        self.assertEqual(self.Partner.search_count([]), before)
        rows_before, _s = read_xlsx(content)
        rows_after, _s = read_xlsx(self.export())
        self.assertEqual(rows_before, rows_after)

    def test_round_trip_recreates_the_same_clients(self):
        rows_before, _s = read_xlsx(self.export())
        content = self.export()
        self.clients.write({"active": False})
        self.clients.write({"ref": False, "email": False, "phone": False, "vat": False, "name": "gone"})
        if "phone_ids" in self.person._fields:
            self.clients.phone_ids.unlink()
            self.clients.email_ids.unlink()
        result = self.Import.import_file(content, "export.xlsx")
        self.assertEqual((result["created"], result["errors"]), (3, []))
        recreated = self.Partner.browse(result["partner_ids"])
        rows_after, _s = read_xlsx(self.Import.export_partners(recreated.sorted("id").ids))
        key = lambda row: row[0]  # noqa: E731
        self.assertEqual(sorted(rows_after[1:], key=key), sorted(rows_before[1:], key=key))
        person = recreated.filtered(lambda p: p.name == "Export Person")
        self.assertEqual(person.parent_id.name, "Export Company SIA")
        self.assertEqual(emails(person)[0], "person@export.lv")
        self.assertEqual(e164s(person)[0], "+37129111222")

    def test_export_action_on_the_client_list(self):
        action = self.env.ref("client_management.action_client_export")
        self.assertEqual(action.binding_model_id.model, "res.partner")
        result = (
            action.with_user(self.client_user)
            .with_context(active_model="res.partner", active_ids=self.clients.ids)
            .run()
        )
        self.assertEqual(result["type"], "ir.actions.act_url")
        holder = self.env["client.import.wizard"].browse(int(result["url"].split("/")[4]))
        rows, _sheet = read_xlsx(base64.b64decode(holder.template_file))
        self.assertEqual(len(rows), 4)
