"""Overdue amounts count each instalment of a payment term by its own due date, not by the
invoice's last one."""

from datetime import timedelta

from odoo import Command
from odoo.tests import tagged

from .test_invoicing_common import InvoicingCase


@tagged("post_install", "-at_install")
class TestOverdueInstalments(InvoicingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.half_now_half_later = cls.env["account.payment.term"].create(
            {
                "name": "50% in 30 days, 50% in 90 days",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 50, "nb_days": 30}),
                    Command.create({"value": "percent", "value_amount": 50, "nb_days": 90}),
                ],
            }
        )

    def _invoice(self, days_ago, amount=1000.0):
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.client.id,
                "invoice_date": self.today - timedelta(days=days_ago),
                "invoice_payment_term_id": self.half_now_half_later.id,
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": self.product.id, "quantity": 1, "price_unit": amount, "tax_ids": False}
                    )
                ],
            }
        )
        move.action_post()
        return move

    def test_first_instalment_overdue_second_not(self):
        move = self._invoice(days_ago=45)
        self.assertEqual(move.invoice_date_due, self.today + timedelta(days=45), "the last instalment is not due")
        figures = self.figures(self.client)
        self.assertEqual(figures["amount_due"], 1000.0)
        self.assertEqual(figures["amount_overdue"], 500.0, "the instalment due 15 days ago is overdue")
        stat = self.env["res.partner.invoicing.stat"].search([("partner_id", "=", self.client.id)])
        self.assertEqual(stat.first_due_date, self.today - timedelta(days=15), "the earliest unpaid instalment")
        # the overdue filter of the client list finds it
        self.assertIn(self.client, self.Partner.search([("amount_overdue", ">", 0)]))

    def test_paying_the_overdue_instalment_clears_the_overdue_amount(self):
        move = self._invoice(days_ago=45)
        self.pay(move, amount=500.0)
        figures = self.figures(self.client)
        self.assertEqual(figures["amount_due"], 500.0)
        self.assertEqual(figures["amount_overdue"], 0.0, "the first instalment is paid, the second is not due")

    def test_both_instalments_overdue(self):
        self._invoice(days_ago=100)
        self.assertEqual(self.figures(self.client)["amount_overdue"], 1000.0)

    def test_daily_refresh_finds_an_instalment_that_fell_due(self):
        # the first instalment fell due 3 days ago, the invoice's last due date is in 57 days
        move = self._invoice(days_ago=33)
        self.figures(self.client)
        # as if the stored figures were from before the first instalment fell due
        self.env.cr.execute(
            "UPDATE res_partner_invoicing_stat SET amount_overdue = 0 WHERE partner_id = %s", [self.client.id]
        )
        self.env["res.partner.invoicing.stat"].invalidate_model()
        self.env["res.partner.invoicing.stat"]._cron_refresh_overdue()
        self.assertEqual(self.figures(self.client)["amount_overdue"], 500.0, move.name)
