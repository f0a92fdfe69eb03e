from datetime import timedelta

from odoo import Command
from odoo.tests import freeze_time, tagged

from .test_invoicing_common import OLD, InvoicingCase


@tagged("post_install", "-at_install")
class TestInvoicingAggregates(InvoicingCase):
    def test_post_partial_full_payment(self):
        invoice = self.make_move(self.client_contact, amount=200)
        figures = self.figures(self.client)
        self.assertEqual(figures["invoiced_total"], 200)
        self.assertEqual(figures["amount_due"], 200)
        self.assertEqual(figures["last_invoice_date"], self.today)
        self.assertEqual(self.figures(self.client_contact)["amount_due"], 200, "contacts show their company's")
        self.pay(invoice, 50)
        self.assertEqual(self.figures(self.client)["amount_due"], 150)
        self.pay(invoice, 150)
        figures = self.figures(self.client)
        self.assertEqual(figures["amount_due"], 0)
        self.assertEqual(figures["invoiced_total"], 200, "payments do not change the turnover")

    def test_credit_note_reduces_turnover(self):
        self.make_move(self.client, amount=300)
        self.make_move(self.client, amount=100, move_type="out_refund")
        self.assertEqual(self.figures(self.client)["invoiced_total"], 200)

    def test_reversal_cancellation_and_reset(self):
        invoice = self.make_move(self.client, amount=120)
        other = self.make_move(self.client, amount=80)
        invoice._reverse_moves(cancel=True)
        figures = self.figures(self.client)
        self.assertEqual(figures["invoiced_total"], 80)
        self.assertEqual(figures["amount_due"], 80)
        other.button_draft()
        figures = self.figures(self.client)
        self.assertEqual((figures["invoiced_total"], figures["amount_due"]), (0, 0), "drafts do not count")
        other.button_cancel()
        self.assertEqual(self.figures(self.client)["amount_due"], 0)
        other.button_draft()
        other.action_post()
        self.assertEqual(self.figures(self.client)["amount_due"], 80)

    def test_overdue(self):
        self.make_move(
            self.client, amount=70, due=self.today - timedelta(days=3), invoice_date=self.today - timedelta(days=40)
        )
        self.make_move(self.client, amount=30)
        figures = self.figures(self.client)
        self.assertEqual(figures["amount_overdue"], 70)
        self.assertEqual(figures["amount_due"], 100)

    def test_daily_refresh_of_overdue_amounts(self):
        invoice = self.make_move(self.client, amount=90, due=self.today)
        self.assertEqual(self.figures(self.client)["amount_overdue"], 0, "due today is not overdue yet")
        self.assertNotIn(self.client, self.Partner.search([("amount_overdue", ">", 0)]))
        tomorrow = self.today + timedelta(days=1)
        with freeze_time(tomorrow):
            self.assertIn(self.client, self.Partner.search([("amount_overdue", ">", 0)]), "the filter is exact")
            cron = self.env.ref("client_management.ir_cron_refresh_overdue")
            self.assertEqual(cron.code, "model._cron_refresh_overdue()")
            self.env["res.partner.invoicing.stat"]._cron_refresh_overdue()
            self.assertEqual(self.figures(self.client)["amount_overdue"], 90)
        self.assertTrue(invoice)

    def test_vendor_bills_do_not_count_as_turnover(self):
        self.make_move(self.supplier, amount=500, move_type="in_invoice")
        self.assertEqual(self.figures(self.supplier)["invoiced_total"], 0)

    def test_only_touched_partners_are_refreshed(self):
        other = self.Partner.create({"name": "Untouched"})
        self.make_move(other, amount=10)
        self.flush_tracking()
        # Corrupt the untouched client's row: an event on another client must not rewrite it.
        self.env.cr.execute(
            "UPDATE res_partner_invoicing_stat SET invoiced_total = 999 WHERE partner_id = %s", [other.id]
        )
        queries = []
        real_refresh = type(self.env["res.partner.invoicing.stat"])._refresh

        def spy(stat_self, partner_ids):
            queries.append(set(partner_ids) if partner_ids is not None else None)
            return real_refresh(stat_self, partner_ids)

        self.patch(type(self.env["res.partner.invoicing.stat"]), "_refresh", spy)
        self.make_move(self.client, amount=10)
        self.flush_tracking()
        self.assertEqual(queries, [{self.client.id}])
        self.assertEqual(self.figures(other)["invoiced_total"], 999)

    def test_install_fill_matches_incremental(self):
        self.make_move(self.client, amount=100)
        invoice = self.make_move(self.client_contact, amount=50, due=OLD, invoice_date=OLD)
        self.pay(self.make_move(self.client, amount=25))
        self.flush_tracking()
        self.assertTrue(invoice)
        before = self.figures(self.client)
        self.env["res.partner.invoicing.stat"]._refresh(None)
        self.assertEqual(self.figures(self.client), before)
        self.assertEqual(before["amount_overdue"], 50)

    def test_multi_company_separation(self):
        company_b = self.env["res.company"].create({"name": "Second Company SIA"})
        self.env.user.company_ids |= company_b
        self.env["account.chart.template"].try_loading("generic_coa", company_b, install_demo=False)
        move_a = self.make_move(self.client, amount=100)
        product_b = self.product.with_company(company_b)
        move_b = (
            self.env["account.move"]
            .with_company(company_b)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.client.id,
                    "invoice_date": self.today,
                    "invoice_line_ids": [
                        Command.create({"product_id": product_b.id, "quantity": 1, "price_unit": 700, "tax_ids": False})
                    ],
                }
            )
        )
        move_b.action_post()
        self.assertEqual(self.figures(self.client)["invoiced_total"], 100)
        self.assertEqual(self.figures(self.client, company_b)["invoiced_total"], 700)
        Partner = self.Partner.with_company(company_b)
        self.assertIn(self.client, Partner.search([("invoiced_total", ">", 500)]))
        self.assertNotIn(self.client, self.Partner.search([("invoiced_total", ">", 500)]))
        # the card's latest invoices are those of the figures beside them: the active company's,
        # even with both companies ticked in the switcher
        both = [self.env.company.id, company_b.id]
        for active, shown, hidden in ((self.env.company, move_a, move_b), (company_b, move_b, move_a)):
            client = self.client.with_context(allowed_company_ids=[active.id, *(c for c in both if c != active.id)])
            self.assertIn(shown, client.cm_invoice_ids, active.name)
            self.assertNotIn(hidden, client.cm_invoice_ids, active.name)


@tagged("post_install", "-at_install")
class TestActivityDates(InvoicingCase):
    def test_message_note_and_email_move_last_activity(self):
        self.env.cr.execute("UPDATE res_partner SET last_activity_date = %s WHERE id = %s", [OLD, self.client.id])
        self.client.invalidate_recordset()
        self.client.message_post(body="Called, wants an offer", message_type="comment", subtype_xmlid="mail.mt_note")
        self.flush_tracking()  # the date lands right after the commit
        self.assertEqual(self.client.last_activity_date, self.today)

    def test_last_activity_is_the_users_local_day(self):
        """A note posted at 20:00 UTC by a user in Auckland (UTC+13) is activity of the user's
        next day, the day the filters' "today" means for that user."""
        self.client_user.tz = "Pacific/Auckland"
        self.env.cr.execute("UPDATE res_partner SET last_activity_date = %s WHERE id = %s", [OLD, self.client.id])
        self.client.invalidate_recordset()
        with freeze_time("2026-11-23 20:00:00"):
            self.client.with_user(self.client_user).message_post(
                body="Late call", message_type="comment", subtype_xmlid="mail.mt_note"
            )
            self.flush_tracking()
        self.client.invalidate_recordset()
        self.assertEqual(str(self.client.last_activity_date), "2026-11-24")

    def test_tracking_alone_is_not_activity(self):
        self.env.cr.execute("UPDATE res_partner SET last_activity_date = NULL WHERE id = %s", [self.client.id])
        self.client.invalidate_recordset()
        self.client.is_conflict = True
        self.flush_tracking()
        self.client.invalidate_recordset()
        self.assertFalse(self.client.last_activity_date)

    def test_invoice_and_payment_move_last_activity(self):
        self.make_move(self.client, amount=10, invoice_date=self.today - timedelta(days=5))
        self.flush_tracking()
        self.client.invalidate_recordset()
        self.assertEqual(self.client.last_activity_date, self.today, "the timeline event is today")

    def test_posted_payment_moves_last_activity(self):
        self.env.cr.execute("UPDATE res_partner SET last_activity_date = %s WHERE id = %s", [OLD, self.client.id])
        self.client.invalidate_recordset()
        journal = self.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", self.env.company.id)], limit=1
        )
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.client_contact.id,
                "amount": 40,
                "date": self.today - timedelta(days=3),
                "journal_id": journal.id,
            }
        )
        payment.action_post()
        self.flush_tracking()  # the date lands right after the commit
        self.assertEqual(self.client.last_activity_date, self.today - timedelta(days=3))
        self.assertEqual(self.client_contact.last_activity_date, self.today - timedelta(days=3))

    def test_next_activity_and_done_activity(self):
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        later = self.today + timedelta(days=10)
        sooner = self.today + timedelta(days=2)
        # the dates land right after each commit (flush_tracking)
        first = self.client.activity_schedule(activity_type_id=activity_type.id, date_deadline=later)
        self.flush_tracking()
        self.assertEqual(self.client.next_activity_date, later)
        second = self.client.activity_schedule(activity_type_id=activity_type.id, date_deadline=sooner)
        self.flush_tracking()
        self.assertEqual(self.client.next_activity_date, sooner)
        second.date_deadline = self.today + timedelta(days=20)
        self.flush_tracking()
        self.assertEqual(self.client.next_activity_date, later)
        self.env.cr.execute("UPDATE res_partner SET last_activity_date = %s WHERE id = %s", [OLD, self.client.id])
        self.client.invalidate_recordset()
        first.action_feedback(feedback="Done")
        second.unlink()
        self.flush_tracking()
        self.assertFalse(self.client.next_activity_date, "no reminder planned any more")
        self.assertEqual(self.client.last_activity_date, self.today, "a finished activity is activity")

    def test_fill_from_history(self):
        self.client.message_post(body="Note", message_type="comment", subtype_xmlid="mail.mt_note")
        self.client.activity_schedule("mail.mail_activity_data_todo", date_deadline=self.today + timedelta(days=3))
        self.env.cr.execute(
            "UPDATE res_partner SET last_activity_date = NULL, next_activity_date = NULL WHERE id = %s",
            [self.client.id],
        )
        self.Partner._cm_fill_activity_dates(None)
        self.assertEqual(self.client.last_activity_date, self.today)
        self.assertEqual(self.client.next_activity_date, self.today + timedelta(days=3))
