from odoo.tests import HttpCase, tagged

from .test_invoicing_common import InvoicingCase


@tagged("post_install", "-at_install")
class TestInvoicingCardUi(HttpCase, InvoicingCase):
    def test_invoicing_tab_tour(self):
        """An accountant opens the client card: the invoice's e-mail on the timeline, outstanding,
        turnover, invoice list, New invoice."""
        self.accountant.password = "cm_accountant"
        client = self.Partner.create({"name": "Tour Invoiced Client", "is_company": True})
        invoice = self.make_move(client, amount=100)
        invoice.message_post(body="Here is your invoice, Tour", message_type="comment", subtype_xmlid="mail.mt_comment")
        self.flush_tracking()
        self.start_tour(f"/odoo/res.partner/{client.id}", "client_management_invoicing_tour", login="cm_accountant")
