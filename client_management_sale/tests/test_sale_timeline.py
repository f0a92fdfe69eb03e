from odoo.tests import Form, tagged

from .common import SaleClientCase


@tagged("post_install", "-at_install")
class TestSaleTimeline(SaleClientCase):
    def _events(self, xmlid):
        subtype = self.env.ref(xmlid)
        return self.client.message_ids.filtered(lambda m: m.subtype_id == subtype)

    def test_subtypes_are_internal_and_can_be_muted(self):
        for xmlid in ("client_management_sale.mt_quotation_sent", "client_management_sale.mt_order_confirmed"):
            subtype = self.env.ref(xmlid)
            self.assertTrue(subtype.internal, "never sent to the client")
            self.assertTrue(subtype.default, "followed by default")
            self.assertEqual(subtype.res_model, "res.partner")

    def test_confirmed_order_lands_on_the_company_of_the_buyer(self):
        order = self._order(user=self.own, partner=self.contact)
        order.with_user(self.own).action_confirm()
        events = self._events("client_management_sale.mt_order_confirmed")
        self.assertEqual(len(events), 1)
        self.assertIn(f'data-oe-id="{order.id}"', str(events.body))
        self.assertIn(order.name, str(events.body))
        self.assertEqual(events.author_id, self.own.partner_id)

    def test_quotation_sent_from_the_send_button(self):
        self.client.email = "client@example.com"
        order = self._order(user=self.own)
        action = order.with_user(self.own).action_quotation_send()
        composer = Form(self.env[action["res_model"]].with_user(self.own).with_context(**action["context"]))
        composer.save().action_send_mail()
        self.assertEqual(order.state, "sent")
        events = self._events("client_management_sale.mt_quotation_sent")
        self.assertEqual(len(events), 1)
        self.assertIn(f'data-oe-id="{order.id}"', str(events.body))
        self.assertFalse(self._events("client_management_sale.mt_order_confirmed"))

    def test_a_note_on_the_quotation_is_no_event(self):
        order = self._order(user=self.own)
        order.with_user(self.own).message_post(body="internal remark", message_type="comment")
        self.assertFalse(self._events("client_management_sale.mt_quotation_sent"))
