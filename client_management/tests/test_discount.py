from odoo.addons.client_management.importer import values
from odoo.addons.client_management.importer.common import CellError, message
from odoo.tests import Form, tagged

from .import_files import xlsx
from .test_invoicing_common import InvoicingCase


@tagged("post_install", "-at_install")
class TestInvoiceLineDiscount(InvoicingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client.client_discount = 12.5

    def _invoice_form(self, move_type="out_invoice", partner=None):
        form = Form(self.env["account.move"].with_user(self.accountant).with_context(default_move_type=move_type))
        form.partner_id = partner or self.client_contact
        return form

    def test_new_invoice_line_gets_the_client_discount(self):
        """A contact's invoice gets its company's discount; the user may change it."""
        for move_type in ("out_invoice", "out_refund"):
            with self.subTest(move_type=move_type):
                form = self._invoice_form(move_type)
                with form.invoice_line_ids.new() as line:
                    line.product_id = self.product
                    self.assertEqual(line.discount, 12.5)
                with form.invoice_line_ids.new() as line:
                    line.product_id = self.product
                    line.discount = 2
                move = form.save()
                self.assertEqual(move.invoice_line_ids.mapped("discount"), [12.5, 2])

    def test_vendor_bills_and_saved_lines_are_left_alone(self):
        self.supplier.client_discount = 30
        form = Form(self.env["account.move"].with_user(self.accountant).with_context(default_move_type="in_invoice"))
        form.partner_id = self.supplier
        with form.invoice_line_ids.new() as line:
            line.product_id = self.product
            self.assertEqual(line.discount, 0, "a bill is not the client's document")
        form = self._invoice_form()
        with form.invoice_line_ids.new() as line:
            line.product_id = self.product
            line.discount = 0
        move = form.save()
        with Form(move.with_user(self.accountant)) as form, form.invoice_line_ids.edit(0) as line:
            line.product_id = self.env["product.product"].create({"name": "Other service", "list_price": 5})
        self.assertEqual(move.invoice_line_ids.discount, 0, "a saved line keeps its discount")

    def test_lines_created_by_code_keep_what_the_caller_gives(self):
        move = self.make_move(self.client, post=False)
        self.assertEqual(move.invoice_line_ids.discount, 0)


@tagged("post_install", "-at_install")
class TestImportDiscount(InvoicingCase):
    def test_values_are_read_as_percent(self):
        for text, expected in (
            ("10", 10),
            ("10 %", 10),
            ("10,5", 10.5),
            ("7.25%", 7.25),
            (15, 15),
            (0, 0),
            ("100", 100),
        ):
            with self.subTest(text=text):
                self.assertEqual(values.parse_discount(text), expected)
        for text in ("-5", "101", "150 %", "ten", "10 % off", True):
            with self.subTest(text=text), self.assertRaises(CellError):
                values.parse_discount(text)

    def test_discount_column_in_five_languages(self):
        Import = self.env["client.import"].with_user(self.client_user)
        for header in ("Discount", "Atlaide", "Sleva", "Скидка", "Rabat", "Personīgā atlaide"):
            with self.subTest(header=header):
                name = f"Discount client {header}"
                result = Import.import_file(
                    xlsx([["Name", header], [name, "10,5 %"]]), "d.xlsx", options={"default_country": "LV"}
                )
                self.assertEqual(result["created"], 1, result["errors"])
                self.assertEqual(self.Partner.search([("name", "=", name)]).client_discount, 10.5)

    def test_a_discount_outside_0_100_is_a_row_error(self):
        Import = self.env["client.import"].with_user(self.client_user)
        result = Import.import_file(
            xlsx([["Name", "Discount"], ["Good Discount", "5"], ["Bad Discount", "120"]]),
            "d.xlsx",
            options={"default_country": "LV"},
        )
        self.assertEqual(result["created"], 1)
        self.assertEqual(len(result["errors"]), 1)
        error = result["errors"][0]
        self.assertEqual(error["row"], 3)
        self.assertIn("120", error["message"])
        self.assertIn("between 0 and 100", error["message"])
        self.assertFalse(self.Partner.search([("name", "=", "Bad Discount")]))

    def test_the_wizard_offers_the_discount_column(self):
        targets = dict(self.env["client.import"].with_user(self.client_user).get_targets())
        self.assertEqual(targets["client_discount"], "Personal discount (%)")
        read = (
            self.env["client.import"]
            .with_user(self.client_user)
            .read_file(xlsx([["Name", "Скидка"], ["X", "3"]]), "d.xlsx")
        )
        self.assertEqual(read["mapping"]["Скидка"], "client_discount")

    def test_the_error_message_is_translatable(self):
        with self.assertRaises(CellError) as caught:
            values.parse_discount("abc")
        self.assertIn("abc", message(self.env, caught.exception))

    def test_the_optional_list_column_exists(self):
        arch = self.env["res.partner"].with_user(self.client_user).get_view(view_type="list")["arch"]
        self.assertIn('name="client_discount"', arch)
