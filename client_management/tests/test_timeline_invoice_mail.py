from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .test_invoicing_common import OLD, InvoicingCase


class InvoiceMailCase(InvoicingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client.email = "billing@invoiced-client.example"
        cls.clerk = new_test_user(
            cls.env,
            login="cm_clerk_no_invoicing",
            name="Kārlis Clerk",
            groups="client_management.group_client_user",
            company_ids=[Command.set(cls.env.company.ids)],
        )

    def send(self, invoice, user, methods=("email",)):
        action = invoice.with_user(user).action_send_and_print()
        wizard = self.env[action["res_model"]].with_user(user).with_context(**action["context"])
        wizard.create({"sending_methods": list(methods)}).action_send_and_print()
        self.flush_tracking()

    def chatter(self, partner, user, **params):
        """What the client's chatter loads for ``user`` (the route's own call)."""
        messages = self.env["mail.message"].with_user(user)
        return messages._message_fetch(None, thread=partner.with_user(user), **params)["messages"]

    def invoice_mails(self, invoice):
        comment = self.ref("mail.mt_comment")
        return self.env["mail.message"].search(
            [("model", "=", "account.move"), ("res_id", "=", invoice.id), ("subtype_id", "=", comment)]
        )


@tagged("post_install", "-at_install")
class TestInvoiceSent(InvoiceMailCase):
    def test_invoice_emailed_is_logged_as_invoice_sent_on_the_client(self):
        invoice = self.make_move(self.client_contact, amount=250, invoice_date=OLD)
        self.client_contact.email = "ilze@invoiced-client.example"
        self.flush_tracking()
        # as if the invoice had been posted long ago
        self.env.cr.execute("UPDATE res_partner SET last_activity_date = %s WHERE id = %s", [OLD, self.client.id])
        self.client.invalidate_recordset()
        self.assertEqual(self.client.last_activity_date, OLD)
        self.send(invoice, self.accountant)
        self.client.invalidate_recordset()
        self.assertEqual(self.client.last_activity_date, self.today, "sending the invoice is contact with the client")
        sent = self.timeline(self.client, "client_management.mt_invoice_sent")
        self.assertEqual(len(sent), 1, "one 'Invoice sent' on the client company")
        body = str(sent.body)
        self.assertIn(invoice.name, body)
        self.assertIn(f'data-oe-id="{invoice.id}"', body, "the event links the invoice")
        self.assertIn("ilze@invoiced-client.example", body, "to whom it was sent")
        self.assertEqual(sent.author_id, self.accountant.partner_id, "logged by who sent it")
        self.assertTrue(sent.subtype_id.internal, "an internal event, never e-mailed to the customer")

    def test_batch_sent_by_the_cron_is_logged_by_the_user_who_sent_it(self):
        invoices = self.make_move(self.client, amount=10) | self.make_move(self.client, amount=20)
        action = invoices.with_user(self.accountant).action_send_and_print()
        wizard = self.env[action["res_model"]].with_user(self.accountant).with_context(**action["context"]).create({})
        wizard.action_send_and_print()
        self.assertFalse(self.timeline(self.client, "client_management.mt_invoice_sent"), "nothing sent yet")
        with self.enter_registry_test_mode():
            self.env.ref("account.ir_cron_account_move_send").method_direct_trigger()
        sent = self.timeline(self.client, "client_management.mt_invoice_sent")
        self.assertEqual(len(sent), 2, "one 'Invoice sent' per invoice")
        self.assertEqual(sent.author_id, self.accountant.partner_id, "by the accountant, not the scheduler")
        for invoice in invoices:
            self.assertTrue(sent.filtered(lambda message, invoice=invoice: invoice.name in str(message.body)))

    def test_invoice_only_downloaded_logs_nothing(self):
        invoice = self.make_move(self.client, amount=90)
        self.send(invoice, self.accountant, methods=())
        self.assertFalse(self.timeline(self.client, "client_management.mt_invoice_sent"))

    def test_vendor_bill_sent_is_not_an_invoice_sent(self):
        self.supplier.email = "bills@supplier.example"
        bill = self.make_move(self.supplier, amount=40, move_type="in_invoice")
        self.env["account.move.send"]._send_mail(
            bill, self.env["mail.template"], body="Your bill", partner_ids=self.supplier.ids
        )
        self.assertFalse(self.timeline(self.supplier, "client_management.mt_invoice_sent"))


@tagged("post_install", "-at_install")
class TestInvoiceMailsOnTimeline(InvoiceMailCase):
    def test_the_invoice_email_is_on_the_client_timeline_once_and_stays_on_the_invoice(self):
        invoice = self.make_move(self.client_contact, amount=250)
        self.client_contact.email = "ilze@invoiced-client.example"
        self.send(invoice, self.accountant)
        mail = self.invoice_mails(invoice)
        self.assertEqual(len(mail), 1)
        for partner in (self.client, self.client_contact):
            shown = self.chatter(partner, self.accountant)
            self.assertEqual(shown.filtered(lambda m: m.id == mail.id), mail, partner.name)
            self.assertEqual(len(shown) - len(set(shown.ids)), 0, "no message twice")
        self.assertFalse(
            self.env["mail.message"].search_count(
                [("model", "=", "res.partner"), ("body", "=", mail.body), ("res_id", "=", self.client.id)]
            ),
            "linked, not copied",
        )
        self.assertEqual((mail.model, mail.res_id), ("account.move", invoice.id))

    def test_replies_on_the_invoice_show_but_its_internal_notes_do_not(self):
        invoice = self.make_move(self.client, amount=70)
        reply = invoice.message_post(body="Paid next week", message_type="email", subtype_xmlid="mail.mt_comment")
        note = invoice.message_post(body="Customer is slow", subtype_xmlid="mail.mt_note")
        shown = self.chatter(self.client, self.accountant)
        self.assertIn(reply, shown)
        self.assertNotIn(note, shown, "internal notes of the invoice stay on the invoice")

    def test_other_clients_invoices_are_not_shown(self):
        other = self.Partner.create({"name": "Another Client", "email": "other@example.com"})
        invoice = self.make_move(other, amount=70)
        mail = invoice.message_post(body="Your invoice", message_type="comment", subtype_xmlid="mail.mt_comment")
        self.assertNotIn(mail, self.chatter(self.client, self.accountant))
        self.assertIn(mail, self.chatter(other, self.accountant))

    def test_users_who_may_not_read_the_invoice_do_not_see_its_emails(self):
        invoice = self.make_move(self.client, amount=70)
        mail = invoice.message_post(body="Your invoice", message_type="comment", subtype_xmlid="mail.mt_comment")
        self.assertIn(mail, self.chatter(self.client, self.accountant))
        shown = self.chatter(self.client, self.clerk)
        self.assertNotIn(mail, shown, "a Clients user without invoicing rights")
        own = self.client.message_post(body="Called about the delivery", subtype_xmlid="mail.mt_note")
        self.assertIn(own, self.chatter(self.client, self.clerk), "the client's own timeline is unchanged")

    def test_invoices_of_another_company_are_not_shown(self):
        other_company = self.env["res.company"].create({"name": "Other Company SIA"})
        self.env["account.chart.template"].try_loading("generic_coa", other_company, install_demo=False)
        invoice = self.make_move(self.client, amount=70)
        mail = invoice.message_post(body="Your invoice", message_type="comment", subtype_xmlid="mail.mt_comment")
        accountant_b = new_test_user(
            self.env,
            login="cm_accountant_b",
            groups="client_management.group_client_user,account.group_account_invoice",
            company_id=other_company.id,
            company_ids=[Command.set(other_company.ids)],
        )
        self.assertNotIn(mail, self.chatter(self.client, accountant_b))

    def test_pages_of_the_merged_timeline(self):
        invoice = self.make_move(self.client, amount=70)
        own_old = self.client.message_post(body="first call", subtype_xmlid="mail.mt_note")
        linked = invoice.message_post(body="Your invoice", message_type="comment", subtype_xmlid="mail.mt_comment")
        own_new = self.client.message_post(body="second call", subtype_xmlid="mail.mt_note")
        first_page = self.chatter(self.client, self.accountant, limit=2)
        self.assertEqual(first_page.ids, [own_new.id, linked.id], "newest first, both sources")
        older = self.chatter(self.client, self.accountant, limit=2, before=linked.id)
        self.assertEqual(older[:1], own_old)
        newer = self.chatter(self.client, self.accountant, limit=5, after=own_old.id)
        self.assertEqual(newer.ids, [own_new.id, linked.id])

    def test_searching_the_timeline_finds_the_invoice_emails(self):
        invoice = self.make_move(self.client, amount=70)
        linked = invoice.message_post(
            body="Reminder about pallets", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        own = self.client.message_post(body="Pallets delivered", subtype_xmlid="mail.mt_note")
        self.client.message_post(body="Unrelated call", subtype_xmlid="mail.mt_note")
        Message = self.env["mail.message"].with_user(self.accountant)
        res = Message._message_fetch(None, thread=self.client.with_user(self.accountant), search_term="pallets")
        self.assertEqual(res["messages"].ids, [own.id, linked.id])
        self.assertEqual(res["count"], 2)

    def test_portal_users_timeline_is_unchanged(self):
        portal = new_test_user(self.env, login="cm_portal_invoice", groups="base.group_portal")
        invoice = self.make_move(portal.partner_id, amount=70)
        mail = invoice.message_post(body="Your invoice", message_type="comment", subtype_xmlid="mail.mt_comment")
        shown = self.env["mail.message"].with_user(portal)._message_fetch(None, thread=portal.partner_id)["messages"]
        self.assertNotIn(mail, shown)


@tagged("post_install", "-at_install")
class TestInvoiceMailsOverTheRoute(HttpCase, InvoiceMailCase):
    def test_the_chatter_route_returns_the_invoice_email(self):
        invoice = self.make_move(self.client, amount=70)
        mail = invoice.message_post(body="Your invoice", message_type="comment", subtype_xmlid="mail.mt_comment")
        self.authenticate(self.accountant.login, self.accountant.login)
        result = self.make_jsonrpc_request(
            "/mail/thread/messages", {"thread_model": "res.partner", "thread_id": self.client.id}
        )
        self.assertIn(mail.id, result["messages"])
        self.authenticate(self.clerk.login, self.clerk.login)
        result = self.make_jsonrpc_request(
            "/mail/thread/messages", {"thread_model": "res.partner", "thread_id": self.client.id}
        )
        self.assertNotIn(mail.id, result["messages"])
