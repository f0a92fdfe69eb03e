from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .test_invoicing_common import InvoicingCase


@tagged("post_install", "-at_install")
class TestInvoicingSecurity(InvoicingCase):
    def test_clients_user_sees_card_but_no_accounting_figures(self):
        self.make_move(self.client, amount=100)
        self.flush_tracking()
        user = self.client_user
        self.assertFalse(user.has_group("account.group_account_invoice"))
        Partner = self.env["res.partner"].with_user(user)
        view = Partner.get_view(view_type="form")
        arch = view["arch"]
        self.assertIn('name="name"', arch, "the card loads")
        for hidden in ("invoiced_total", "amount_due", "amount_overdue", "cm_invoice_ids", "cm_invoicing"):
            self.assertNotIn(f'name="{hidden}"', arch, f"{hidden} is not on a Clients user's card")
        self.assertIn('name="last_activity_date"', Partner.get_view(view_type="list")["arch"])
        client = self.client.with_user(user)
        values = client.web_read({"display_name": {}, "last_activity_date": {}, "cm_meeting_minutes_count": {}})
        self.assertEqual(values[0]["display_name"], "Invoiced Client SIA")
        with self.assertRaises(AccessError):
            client.read(["invoiced_total"])
        with self.assertRaises(AccessError):
            Partner.search([("amount_due", ">", 0)])
        with self.assertRaises(AccessError):
            Partner.search([], order="invoiced_total desc")
        with self.assertRaises(AccessError):
            self.env["res.partner.invoicing.stat"].with_user(user).search([])
        search_arch = Partner.get_view(view_type="search")["arch"]
        self.assertNotIn("filter_unpaid", search_arch)
        self.assertIn("filter_no_reminder", search_arch)

    def test_clients_user_loads_and_reads_the_whole_card(self):
        self.make_move(self.client, amount=100)
        self.flush_tracking()
        Partner = self.env["res.partner"].with_user(self.client_user)
        arch = Partner.get_views([(False, "form")])["views"]["form"]["arch"]
        # The web client reads the fields of the arch as the user receives it.
        field_names = {node.get("name") for node in etree.fromstring(arch).iter("field")} & set(Partner._fields)
        self.assertIn("last_activity_date", field_names)
        self.assertNotIn("invoiced_total", field_names)
        values = self.client.with_user(self.client_user).web_read({name: {} for name in field_names})
        self.assertEqual(values[0]["name"], "Invoiced Client SIA")
        self.assertIn("last_activity_date", values[0])

    def test_clients_user_cannot_read_invoice_timeline_documents_but_sees_messages(self):
        invoice = self.make_move(self.client, amount=100)
        self.flush_tracking()
        client = self.client.with_user(self.client_user)
        self.assertTrue(client.message_ids, "the timeline is visible on the card")
        with self.assertRaises(AccessError):
            invoice.with_user(self.client_user).read(["amount_total"])

    def test_accountant_sees_figures_and_buttons(self):
        self.make_move(self.client, amount=100)
        self.flush_tracking()
        Partner = self.env["res.partner"].with_user(self.accountant)
        arch = Partner.get_view(view_type="form")["arch"]
        for shown in ("invoiced_total", "action_cm_new_invoice", "action_cm_unpaid_invoices", "action_cm_payments"):
            self.assertIn(shown, arch)
        client = self.client.with_user(self.accountant)
        self.assertEqual(client.invoiced_total, 100)
        self.assertEqual(client.cm_invoice_ids.mapped("amount_total"), [100])
        self.assertIn(self.client, Partner.search([("amount_due", ">", 0)]))
        action = client.action_cm_new_invoice()
        self.assertEqual(action["context"]["default_partner_id"], self.client.id)
        self.assertEqual(action["context"]["default_move_type"], "out_invoice")
        invoices = (
            self.env["account.move"].with_user(self.accountant).search(client.action_cm_unpaid_invoices()["domain"])
        )
        self.assertEqual(len(invoices), 1)
