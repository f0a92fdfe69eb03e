from odoo.tests import new_test_user, tagged

from .test_invoicing_common import InvoicingCase


@tagged("post_install", "-at_install")
class TestInvoicingTimeline(InvoicingCase):
    def test_posted_invoice_lands_on_commercial_partner_with_link_and_amount(self):
        invoice = self.make_move(self.client_contact, amount=1234.5)
        messages = self.timeline(self.client, "client_management.mt_invoice_posted")
        self.assertEqual(len(messages), 1, "one 'Invoice posted' event on the company, not on the contact")
        body = str(messages.body)
        self.assertIn(invoice.name, body)
        self.assertIn(f'data-oe-id="{invoice.id}"', body, "the message links the invoice")
        self.assertIn('data-oe-model="account.move"', body)
        self.assertIn("1,234.50", body, "the amount is shown")
        self.assertIn(invoice.currency_id.symbol, body, "the currency is shown")
        self.assertFalse(self.timeline(self.client_contact, "client_management.mt_invoice_posted"))

    def test_credit_note_posted(self):
        self.make_move(self.client, amount=40, move_type="out_refund")
        messages = self.timeline(self.client, "client_management.mt_invoice_posted")
        self.assertEqual(len(messages), 1)
        self.assertIn("Credit Note", str(messages.body))

    def test_payment_states_partial_then_paid(self):
        invoice = self.make_move(self.client, amount=100)
        self.pay(invoice, 30)
        self.flush_tracking()
        self.pay(invoice, 70)
        messages = self.timeline(self.client, "client_management.mt_invoice_payment")
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        bodies = [str(body) for body in messages.sorted("id").mapped("body")]
        self.assertEqual(len(bodies), 2, bodies)
        self.assertIn("Partially Paid", bodies[0])
        self.assertTrue("Paid" in bodies[1] or "In Payment" in bodies[1])
        self.assertIn(invoice.name, bodies[1])

    def test_reversal_is_a_payment_state_event(self):
        invoice = self.make_move(self.client, amount=100)
        invoice._reverse_moves(cancel=True)
        self.flush_tracking()
        self.assertEqual(invoice.payment_state, "reversed")
        bodies = " ".join(map(str, self.timeline(self.client, "client_management.mt_invoice_payment").mapped("body")))
        self.assertIn("Reversed", bodies)
        self.assertEqual(len(self.timeline(self.client, "client_management.mt_invoice_posted")), 2, "credit note too")

    def test_reset_to_draft_and_cancel(self):
        invoice = self.make_move(self.client, amount=100)
        invoice.button_draft()
        self.assertEqual(len(self.timeline(self.client, "client_management.mt_invoice_draft")), 1)
        invoice.button_cancel()
        cancelled = self.timeline(self.client, "client_management.mt_invoice_cancelled")
        self.assertEqual(len(cancelled), 1)
        self.assertIn(invoice.name, str(cancelled.body))

    def test_vendor_bill_events_use_supplier_subtypes(self):
        bill = self.make_move(self.supplier, amount=80, move_type="in_invoice")
        self.assertEqual(len(self.timeline(self.supplier, "client_management.mt_bill_posted")), 1)
        self.assertFalse(self.timeline(self.supplier, "client_management.mt_invoice_posted"))
        self.pay(bill)
        self.assertEqual(len(self.timeline(self.supplier, "client_management.mt_bill_payment")), 1)
        bill.button_draft()
        bill.button_cancel()
        self.assertEqual(len(self.timeline(self.supplier, "client_management.mt_bill_draft")), 1)
        self.assertEqual(len(self.timeline(self.supplier, "client_management.mt_bill_cancelled")), 1)

    def test_event_posted_by_accountant_without_partner_write(self):
        invoice = self.make_move(self.client, amount=10, post=False)
        invoice.with_user(self.accountant).action_post()
        messages = self.timeline(self.client, "client_management.mt_invoice_posted")
        self.assertEqual(messages.author_id, self.accountant.partner_id)

    def test_follower_can_mute_an_event(self):
        """Followers get the events of the subtypes they follow, not the others."""
        self.client.message_subscribe(
            partner_ids=self.accountant.partner_id.ids,
            subtype_ids=self.env.ref("client_management.mt_invoice_payment").ids,
        )
        invoice = self.make_move(self.client, amount=50)
        self.pay(invoice)
        self.flush_tracking()
        posted = self.timeline(self.client, "client_management.mt_invoice_posted")
        payment = self.timeline(self.client, "client_management.mt_invoice_payment")
        self.assertNotIn(self.accountant.partner_id, posted.notification_ids.res_partner_id)
        self.assertIn(self.accountant.partner_id, payment.notification_ids.res_partner_id)

    def test_customer_followers_never_receive_invoice_events(self):
        """A portal customer (or the client itself) following the client with every subtype
        gets none of its invoicing events; an employee following it does."""
        portal = new_test_user(self.env, login="cm_follower_portal", groups="base.group_portal")
        subtypes = self.env["mail.message.subtype"].search([("res_model", "in", ("res.partner", False))])
        self.client.message_subscribe(
            partner_ids=(portal.partner_id | self.client | self.accountant.partner_id).ids, subtype_ids=subtypes.ids
        )
        invoice = self.make_move(self.client, amount=75)
        self.pay(invoice)
        self.flush_tracking()
        events = self.timeline(self.client, "client_management.mt_invoice_posted") | self.timeline(
            self.client, "client_management.mt_invoice_payment"
        )
        self.assertEqual(len(events), 2)
        notified = events.notification_ids.res_partner_id
        self.assertIn(self.accountant.partner_id, notified, "employees following the client are told")
        self.assertNotIn(portal.partner_id, notified)
        self.assertNotIn(self.client, notified)
        mails = self.env["mail.mail"].search([("mail_message_id", "in", events.ids)])
        self.assertFalse(mails.recipient_ids & (portal.partner_id | self.client), "no e-mail leaves for a customer")

    def test_subtypes_are_distinct_and_on_partner(self):
        xmlids = [
            f"client_management.mt_{name}"
            for name in (
                "invoice_posted",
                "invoice_payment",
                "invoice_cancelled",
                "invoice_draft",
                "bill_posted",
                "bill_payment",
                "bill_cancelled",
                "bill_draft",
            )
        ]
        subtypes = self.env["mail.message.subtype"].browse([self.env.ref(x).id for x in xmlids])
        self.assertEqual(len(subtypes), 8)
        self.assertEqual(set(subtypes.mapped("res_model")), {"res.partner"})
        self.assertTrue(all(subtypes.mapped("default")), "followers of a client get them unless they mute them")
        minutes = self.env.ref("client_management.mt_meeting_minutes")
        self.assertNotIn(minutes, subtypes)
