"""The wizard's preview shows the first rows as they will be stored: E.164 numbers, parsed
dates, the client a row updates, and each row's errors; it follows the mapping and options."""

import base64
import datetime

from odoo.tests import Form, tagged

from .import_files import xlsx
from .test_import import ImportCase

ROWS = [
    ["Vārds", "Tālrunis", "E-pasts", "Dzimšanas datums", "Birkas"],
    ["Preview Anna", "20 005 001; +371 67 123 456 ext. 12", "Anna.P@Example.LV", "01.02.1990", "VIP; New"],
    ["Preview Known", "20005002", "", "", ""],
    ["Preview Bad", "call me", "not-an-email", "31.13.1990", ""],
    ["Preview Anna", "", "anna.p@example.lv", "", ""],
    ["Preview Five", "20005005", "", "", ""],
    ["Preview Six", "20005006", "", "", ""],
]


@tagged("post_install", "-at_install")
class TestImportPreview(ImportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.known = cls.env["res.partner"].create(
            {"name": "Preview Known", "phone_ids": [(0, 0, {"number": "+371 20 005 002"})]}
        )

    def preview(self, rows=None, **options):
        options.setdefault("default_country", "LV")
        return self.Import.preview_rows(xlsx(rows or ROWS), "clients.xlsx", options=options)

    def test_rows_as_they_will_be_stored(self):
        counted = self.Partner.search_count([])
        sequence = self.env.ref("client_management.seq_client_code").number_next_actual
        data = self.preview()
        self.assertEqual([row["row"] for row in data["rows"]], [2, 3, 4, 5, 6], "the first five rows")
        anna = dict(data["rows"][0]["values"])
        self.assertEqual(anna["Name"], "Preview Anna")
        self.assertEqual(anna["Phone"], "+37120005001, +37167123456 ext. 12", "E.164, the extension apart")
        self.assertEqual(anna["E-mail"], "anna.p@example.lv", "the address as it is stored")
        self.assertEqual(anna["Birthdate"], "02/01/1990", "the date in the user's format (en_US)")
        self.assertEqual(anna["Tags"], "VIP, New")
        self.assertEqual((data["rows"][0]["status"], data["rows"][0]["status_text"]), ("new", "New client"))
        self.assertFalse(data["rows"][0]["errors"])
        # the client the row updates
        known = data["rows"][1]
        self.assertEqual(known["status"], "update")
        self.assertEqual(known["match"], {"id": self.known.id, "name": "Preview Known"})
        self.assertEqual(known["status_text"], "Updates Preview Known")
        # each problem of a row beside it
        bad = data["rows"][2]
        self.assertEqual(bad["status"], "error")
        self.assertEqual(
            [(e["column"], e["message"]) for e in bad["errors"]],
            [
                ("Tālrunis", "“call me” is not a valid phone number"),
                ("E-pasts", "“not-an-email” is not a valid e-mail address"),
                ("Dzimšanas datums", "“31.13.1990” is not a valid date"),
            ],
        )
        # a later row of the same client (same e-mail) is merged into it
        self.assertEqual((data["rows"][3]["status"], data["rows"][3]["status_text"]), ("same", "Same client as row 2"))
        # nothing was written, no client code drawn
        self.assertEqual(self.Partner.search_count([]), counted)
        self.assertEqual(self.env.ref("client_management.seq_client_code").number_next_actual, sequence)

    def test_the_options_change_the_preview(self):
        data = self.preview(mode="create")
        self.assertEqual(data["rows"][1]["status"], "skipped", "only new clients: the known client is left alone")
        self.assertIn("already exists", data["rows"][1]["status_text"])
        data = self.preview(mode="update")
        self.assertEqual(data["rows"][0]["status"], "skipped")
        self.assertEqual(data["rows"][1]["status"], "update")
        rows = [["Name", "Phone"], ["Preview Country", "601 123 456"]]
        self.assertEqual(dict(self.preview(rows, default_country="CZ")["rows"][0]["values"])["Phone"], "+420601123456")
        self.assertEqual(dict(self.preview(rows, default_country="PL")["rows"][0]["values"])["Phone"], "+48601123456")

    def test_a_row_without_name_says_so(self):
        data = self.preview([["Tālrunis", "Vārds"], ["20005009", ""], ["20005010", "Named"]])
        self.assertEqual(data["rows"][0]["status"], "error")
        self.assertEqual(data["rows"][0]["errors"][0]["message"], "A new client needs a name.")

    def test_wizard_preview_follows_the_mapping(self):
        Wizard = self.env["client.import.wizard"].with_user(self.client_user)
        wizard = Wizard.create({"file": base64.b64encode(xlsx(ROWS)), "filename": "clients.xlsx"})
        wizard.default_country_id = self.env.ref("base.lv")
        self.assertFalse(wizard.preview_html, "nothing before the file is read")
        wizard.action_load()
        html = wizard.preview_html
        self.assertIn("+37120005001", html, "numbers in E.164")
        self.assertIn("02/01/1990", html, "dates as the user reads them")
        self.assertIn("Updates Preview Known", html)
        self.assertIn("is not a valid e-mail address", html)
        self.assertIn("20 005 001", html, "and the rows as written in the file")
        # the mapping is changed in the form: the preview follows at once
        with Form(wizard) as form:
            with form.line_ids.edit(1) as line:
                line.target = False
            self.assertNotIn("+37120005001", form.preview_html)
            self.assertNotIn("is not a valid phone number", form.preview_html)
        self.assertNotIn("+37120005001", wizard.preview_html)

    def test_preview_of_a_date_cell(self):
        rows = [["Name", "Birthdate"], ["Preview Date", datetime.datetime(1985, 12, 31)]]
        data = self.preview(rows)
        self.assertEqual(dict(data["rows"][0]["values"])["Birthdate"], "12/31/1985")
