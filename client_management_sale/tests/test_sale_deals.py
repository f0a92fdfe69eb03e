from odoo.tests import Form, tagged

from .common import SaleClientCase


@tagged("post_install", "-at_install")
class TestSaleDeals(SaleClientCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mine = cls._order(user=cls.own, partner=cls.contact)  # a contact's order counts for its company
        cls.other = cls._order(user=cls.all_docs)
        cls.other.order_line.price_unit = 250
        cancelled = cls._order(user=cls.all_docs)
        cancelled._action_cancel()
        cls.foreign_order = cls._order(user=cls.foreign, company=cls.other_company)

    def _card(self, user, company=None):
        company = company or self.company
        return self.client.with_user(user).with_company(company).with_context(allowed_company_ids=company.ids)

    def test_smart_button_counts_only_readable_orders_of_the_active_company(self):
        own = self._card(self.own)
        self.assertEqual(own.cm_sale_order_count, 1, "a salesman sees his own orders only")
        self.assertAlmostEqual(own.cm_sale_amount, 100)
        every = self._card(self.all_docs)
        self.assertEqual(every.cm_sale_order_count, 2, "all orders of the company, cancelled left out")
        self.assertAlmostEqual(every.cm_sale_amount, 350)
        self.assertEqual(every.cm_sale_currency_id, self.company.currency_id)
        foreign = self._card(self.foreign, self.other_company)
        self.assertEqual(foreign.cm_sale_order_count, 1, "the other company sees only its own order")
        self.assertEqual(self.contact.with_user(self.all_docs).cm_sale_order_count, 1, "a contact: its own")

    def test_the_button_lists_what_it_counts(self):
        for user, company in (
            (self.own, self.company),
            (self.all_docs, self.company),
            (self.foreign, self.other_company),
        ):
            with self.subTest(user=user.login):
                card = self._card(user, company)
                action = card.action_cm_sale_orders()
                orders = (
                    self.env["sale.order"]
                    .with_user(user)
                    .with_company(company)
                    .with_context(allowed_company_ids=company.ids)
                    .search(action["domain"])
                )
                self.assertEqual(len(orders), card.cm_sale_order_count)
                self.assertEqual(action["res_model"], "sale.order")

    def test_new_quotation_is_prefilled_with_the_client(self):
        action = self.client.with_user(self.own).action_cm_new_quotation()
        with Form(self.env["sale.order"].with_user(self.own).with_context(**action["context"])) as form:
            self.assertEqual(form.partner_id, self.client)
            form.order_line.new().product_id = self.product
        self.assertEqual(form.record.partner_id, self.client)
        arch = self.client.with_user(self.own).get_view(view_type="form")["arch"]
        self.assertIn("action_cm_new_quotation", arch)
        self.assertIn("cm_sale_amount", arch)

    def test_confirmed_order_is_activity_but_not_turnover(self):
        self.env.cr.execute(
            "UPDATE res_partner SET last_activity_date = NULL WHERE id IN %s", [(self.client.id, self.contact.id)]
        )
        self.client.invalidate_recordset()
        self.mine.with_user(self.own).action_confirm()
        self.assertEqual(self.mine.state, "sale")
        # the clients' bookkeeping lands right after the commit (res.partner.invoicing.stat)
        self.env["res.partner.invoicing.stat"]._cm_apply_pending()
        (self.client | self.contact).invalidate_recordset(["last_activity_date"])
        self.assertTrue(self.client.last_activity_date, "a confirmed order is activity with the client")
        self.assertTrue(self.contact.last_activity_date)
        self.env.flush_all()
        self.assertEqual(self.client.invoiced_total, 0, "the turnover stays the posted invoices")
