from odoo.addons.point_of_sale.tests.common import CommonPosTest
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestPosTimeline(CommonPosTest):
    def test_paid_order_lands_on_client_timeline_and_card(self):
        company = self.env["res.partner"].create({"name": "POS Client SIA", "is_company": True})
        person = self.env["res.partner"].create({"name": "Maija", "parent_id": company.id})
        self.env.cr.execute("UPDATE res_partner SET last_activity_date = NULL WHERE id = %s", [company.id])
        company.invalidate_recordset()
        order, _payments = self.create_backend_pos_order(
            {
                "order_data": {"partner_id": person.id},
                "line_data": [{"product_id": self.ten_dollars_with_15_excl.product_variant_id.id, "qty": 3}],
                "payment_data": [{"payment_method_id": self.bank_payment_method.id, "amount": 34.5}],
            }
        )
        self.env.flush_all()
        self.assertEqual(order.state, "paid")
        subtype = self.env.ref("client_management_pos.mt_pos_order")
        messages = company.message_ids.filtered(lambda m: m.subtype_id == subtype)
        self.assertEqual(len(messages), 1, "one event on the company of the buyer")
        self.assertIn(f'data-oe-id="{order.id}"', str(messages.body))
        self.assertIn("34.50", str(messages.body))
        # the date lands right after the commit (client_management's after-commit bookkeeping)
        self.env["res.partner.invoicing.stat"]._cm_apply_pending()
        self.assertTrue(company.last_activity_date, "a POS sale is activity with the client")
        self.assertEqual(company.pos_order_count, 1, "the card counts the client's POS orders")
        view = company.get_view(view_type="form")["arch"]
        self.assertIn("action_view_pos_order", view)

    def test_order_without_client_posts_nothing(self):
        before = self.env["mail.message"].search_count(
            [("subtype_id", "=", self.env.ref("client_management_pos.mt_pos_order").id)]
        )
        self.create_backend_pos_order(
            {
                "line_data": [{"product_id": self.ten_dollars_with_15_excl.product_variant_id.id, "qty": 1}],
                "payment_data": [{"payment_method_id": self.bank_payment_method.id, "amount": 11.5}],
            }
        )
        after = self.env["mail.message"].search_count(
            [("subtype_id", "=", self.env.ref("client_management_pos.mt_pos_order").id)]
        )
        self.assertEqual(before, after)
