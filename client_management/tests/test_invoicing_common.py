from datetime import date, timedelta

from odoo import Command, fields
from odoo.tests.common import new_test_user

from .common import ClientCase


class InvoicingCase(ClientCase):
    """A client, a supplier, an accountant and helpers to post, pay, reverse invoices."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env.company.chart_template:
            cls.env["account.chart.template"].try_loading("generic_coa", cls.env.company, install_demo=False)
        cls.accountant = new_test_user(
            cls.env,
            login="cm_accountant",
            name="Agnese Accountant",
            groups="client_management.group_client_user,account.group_account_invoice",
            company_ids=[Command.set(cls.env.company.ids)],
        )
        cls.client = cls.Partner.create({"name": "Invoiced Client SIA", "is_company": True})
        cls.client_contact = cls.Partner.create({"name": "Ilze", "parent_id": cls.client.id})
        cls.supplier = cls.Partner.create({"name": "Bill Supplier SIA", "is_company": True})
        cls.product = cls.env["product.product"].create({"name": "Service", "list_price": 100, "taxes_id": False})
        cls.today = fields.Date.context_today(cls.env["res.partner"])

    def make_move(self, partner, amount=100.0, move_type="out_invoice", due=None, invoice_date=None, post=True):
        move = (
            self.env["account.move"]
            .with_company(self.env.company)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "invoice_date": invoice_date or self.today,
                    "invoice_date_due": due or self.today + timedelta(days=30),
                    "invoice_line_ids": [
                        Command.create(
                            {"product_id": self.product.id, "quantity": 1, "price_unit": amount, "tax_ids": False}
                        )
                    ],
                }
            )
        )
        if due:
            move.invoice_payment_term_id = False
            move.invoice_date_due = due
        if post:
            move.action_post()
        return move

    def pay(self, move, amount=None):
        values = {"payment_date": self.today}
        if amount is not None:
            values["amount"] = amount
        wizard = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=move.ids)
            .create(values)
        )
        payments = wizard._create_payments()
        return payments

    def timeline(self, partner, subtype_xmlid):
        self.flush_tracking()
        subtype = self.env.ref(subtype_xmlid)
        return partner.message_ids.filtered(lambda m: m.subtype_id == subtype)

    def figures(self, partner, company=None):
        self.flush_tracking()
        partner = partner.with_company(company or self.env.company)
        partner.invalidate_recordset()
        return {
            "invoiced_total": partner.invoiced_total,
            "amount_due": partner.amount_due,
            "amount_overdue": partner.amount_overdue,
            "last_invoice_date": partner.last_invoice_date,
        }


OLD = date(2020, 1, 1)
