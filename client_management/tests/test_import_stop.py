"""An import that could create clients stops once, before any row, when no column gives their
name (nor a company); an update-only import matches on e-mails, numbers and codes without one."""

import base64

from odoo.exceptions import UserError
from odoo.tests import tagged

from .import_files import csv_bytes, xlsx
from .test_import import ImportCase, e164s

NO_NAME = [
    ["E-mail", "Phone", "Favourite colour"],
    ["stop.known@example.com", "+371 20 000 301", "blue"],
    ["stop.unknown@example.com", "+371 20 000 302", "red"],
]
STOP = r"No column gives the clients' names \(nor a company\).*Columns found: E-mail, Phone, Favourite colour"


@tagged("post_install", "-at_install")
class TestImportStop(ImportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.known = cls.env["res.partner"].create({"name": "Stop Known", "email": "stop.known@example.com"})

    def test_no_name_column_stops_before_any_row_when_clients_may_be_created(self):
        for mode in ("create_update", "create"):
            with self.subTest(mode=mode):
                before = self.Partner.search_count([])
                with self.assertRaisesRegex(UserError, STOP):
                    self.run_import(NO_NAME, mode=mode)
                with self.assertRaisesRegex(UserError, STOP):
                    self.run_import(csv_bytes(NO_NAME), filename="no name.csv", mode=mode, dry_run=True)
                self.assertEqual(self.Partner.search_count([]), before)
                self.assertEqual(e164s(self.known), [], "the known client is not updated either")

    def test_update_only_import_needs_no_name_column(self):
        result = self.run_import(NO_NAME, mode="update")
        self.assertEqual((result["updated"], result["skipped"], result["errors"]), (1, 1, []))
        self.assertEqual(e164s(self.known), ["+37120000301"])
        self.assertFalse(self.Partner.search([("email", "=", "stop.unknown@example.com")]))

    def test_a_company_column_is_enough(self):
        rows = [["Company", "E-mail"], ["Stop Company SIA", "stop.known@example.com"]]
        result = self.run_import(rows)
        self.assertEqual(result["errors"], [])
        self.assertEqual(self.known.parent_id.name, "Stop Company SIA")

    def test_the_mapping_decides_not_the_headers(self):
        rows = [["Full name", "E-mail"], ["Stop Mapped", "stop.mapped@example.com"]]
        with self.assertRaisesRegex(UserError, "Columns found: Full name, E-mail"):
            self.run_import(rows, mapping={"Full name": False, "E-mail": "email"})
        result = self.run_import(NO_NAME, mapping={"E-mail": "email", "Favourite colour": "name"})
        # "blue" is not the name of the client with that e-mail: a client of its own (safe matching)
        self.assertEqual(result["created"], 2)

    def test_the_wizard_says_it_at_the_mapping_step(self):
        wizard = (
            self.env["client.import.wizard"]
            .with_user(self.client_user)
            .create({"file": base64.b64encode(xlsx(NO_NAME)), "filename": "no name.xlsx"})
        )
        wizard.action_load()
        self.assertEqual(wizard.state, "map", "the user can still map a column to the name")
        self.assertRegex(wizard.mapping_warning, STOP)
        with self.assertRaisesRegex(UserError, STOP):
            wizard.action_dry_run()
        wizard.mode = "update"
        self.assertFalse(wizard.mapping_warning)
        wizard.mode = "create_update"
        wizard.line_ids.filtered(lambda line: line.header == "Favourite colour").target = "name"
        self.assertFalse(wizard.mapping_warning)

    def test_a_big_file_stops_before_it_is_queued(self):
        # sudo: a system parameter, set as an administrator would
        self.env["ir.config_parameter"].sudo().set_param("client_management.import_background_size", "10")
        wizard = (
            self.env["client.import.wizard"]
            .with_user(self.client_user)
            .create({"file": base64.b64encode(xlsx(NO_NAME)), "filename": "no name.xlsx"})
        )
        wizard.action_load()
        with self.assertRaisesRegex(UserError, STOP):
            wizard.action_import()
        self.assertFalse(wizard.job_id)
        # sudo: every user's jobs, not only those this user may see
        self.assertFalse(self.env["client.import.job"].sudo().search([("name", "=", "no name.xlsx")]))
