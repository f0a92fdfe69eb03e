"""Many users at once: the bookkeeping a client's activity causes (last / next activity date,
invoicing figures) is applied right after the commit, so that two transactions working on the
same client neither wait for each other nor lose an update.

These tests use real transactions on real connections (not the test cursor): what they create
is committed, and removed at the end of each test.
"""

import re
import threading
import time
from datetime import date, timedelta

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.sql_db import Cursor
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name

from ..models.res_partner_invoicing_stat import PENDING_TABLE
from .test_invoicing_common import InvoicingCase

OLD = date(2020, 1, 1)


@tagged("post_install", "-at_install")
class TestConcurrentBookkeeping(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())

    def setUp(self):
        super().setUp()
        self.invoice_ids = []
        with self.registry.cursor() as cr:
            self.assertIsInstance(cr, Cursor, "real transactions, not the test cursor")
            env = api.Environment(cr, SUPERUSER_ID, {})
            client = env["res.partner"].create({"name": "Concurrency Client SIA", "is_company": True})
            cr.execute("UPDATE res_partner SET last_activity_date = %s WHERE id = %s", [OLD, client.id])
            self.client_id = client.id
            self.today = fields.Date.context_today(client)
        self.addCleanup(self._remove_records)

    def _remove_records(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            moves = env["account.move"].browse(self.invoice_ids).exists()
            moves.filtered(lambda move: move.state == "posted").button_draft()
            moves.with_context(force_delete=True).unlink()
            env["res.partner"].browse(self.client_id).unlink()
            cr.execute(f"DELETE FROM {PENDING_TABLE} WHERE partner_id = %s", [self.client_id])

    def _state(self):
        """(last activity date, next activity date, queued rows, notes) of the client as
        committed, seen from a new transaction."""
        with self.registry.cursor() as cr:
            cr.execute("SELECT last_activity_date, next_activity_date FROM res_partner WHERE id = %s", [self.client_id])
            last, next_day = cr.fetchone()
            cr.execute(f"SELECT count(*) FROM {PENDING_TABLE} WHERE partner_id = %s", [self.client_id])
            queued = cr.fetchone()[0]
            cr.execute(
                "SELECT count(*) FROM mail_message WHERE model = 'res.partner' AND res_id = %s AND body LIKE %s",
                [self.client_id, "%Concurrent note%"],
            )
            return last, next_day, queued, cr.fetchone()[0]

    def _figures(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT invoiced_total, amount_due FROM res_partner_invoicing_stat WHERE partner_id = %s",
                [self.client_id],
            )
            return cr.fetchone()

    def test_note_while_another_user_edits_the_client(self):
        """A note is posted and committed while another transaction holds the client's row (a
        user editing it): the commit does not wait for it, and the date lands when it is free."""
        with self.registry.cursor() as cr_edit, self.registry.cursor() as cr_note:
            client_edit = api.Environment(cr_edit, SUPERUSER_ID, {})["res.partner"].browse(self.client_id)
            client_edit.write({"comment": "Prefers calls in the morning"})
            client_edit.env.flush_all()  # the editing user's transaction now holds the row
            cr_note.execute("SET LOCAL lock_timeout = '5s'")  # waiting for the row would fail, not hang
            client_note = api.Environment(cr_note, SUPERUSER_ID, {})["res.partner"].browse(self.client_id)
            client_note.message_post(body="Concurrent note 1", message_type="comment", subtype_xmlid="mail.mt_note")
            started = time.monotonic()
            cr_note.commit()
            self.assertLess(time.monotonic() - started, 3, "the note's commit does not wait for the editing user")
            last, _next, queued, notes = self._state()
            self.assertEqual((last, notes), (OLD, 1), "the note is saved; the client is still busy")
            self.assertTrue(queued, "the date is kept queued, not dropped")
            # the editing user also logs a note and saves: every queued date of the client lands
            client_edit.message_post(body="Concurrent note 2", message_type="comment", subtype_xmlid="mail.mt_note")
        self.assertEqual(self._state(), (self.today, None, 0, 2))

    def test_two_transactions_touch_the_same_client(self):
        """Both commit, in any order: the date only moves forward, the next activity is the
        earliest of both transactions' activities."""
        todo = self.env_ref_id("mail.mail_activity_data_todo")
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a = api.Environment(cr_a, SUPERUSER_ID, {})
            env_b = api.Environment(cr_b, SUPERUSER_ID, {})
            env_a["res.partner"]._cm_touch_last_activity({self.client_id}, self.today - timedelta(days=1))
            env_a["res.partner"].browse(self.client_id).activity_schedule(
                activity_type_id=todo, date_deadline=self.today + timedelta(days=9)
            )
            env_b["res.partner"]._cm_touch_last_activity({self.client_id}, self.today - timedelta(days=5))
            env_b["res.partner"].browse(self.client_id).activity_schedule(
                activity_type_id=todo, date_deadline=self.today + timedelta(days=4)
            )
            cr_a.commit()  # the later date commits first...
            cr_b.commit()  # ...the earlier one does not move it back
        last, next_day, queued, _notes = self._state()
        self.assertEqual(last, self.today - timedelta(days=1))
        self.assertEqual(next_day, self.today + timedelta(days=4), "both activities count")
        self.assertEqual(queued, 0)

    def env_ref_id(self, xmlid):
        with self.registry.cursor() as cr:
            return api.Environment(cr, SUPERUSER_ID, {}).ref(xmlid).id

    def test_two_users_invoice_the_same_client_while_a_third_edits_it(self):
        """Two accountants post an invoice for the same client at the same time while a third
        user holds the client's row: no error, and the figures count both invoices."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            journal = env["account.journal"].search(
                [("type", "=", "sale"), ("company_id", "=", env.company.id)], limit=1
            )
            self.assertTrue(journal, "the company has a sales journal (Odoo installs a chart with account)")
        errors = []

        def post_invoice(amount):
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})

                    def work():
                        move = env["account.move"].create(
                            {
                                "move_type": "out_invoice",
                                "partner_id": self.client_id,
                                "journal_id": journal.id,
                                "invoice_date": self.today,
                                "invoice_line_ids": [
                                    Command.create(
                                        {"name": "Service", "quantity": 1, "price_unit": amount, "tax_ids": False}
                                    )
                                ],
                            }
                        )
                        move.action_post()
                        return move.id

                    self.invoice_ids.append(retrying(work, env))
            except Exception as exc:
                errors.append(exc)

        with self.registry.cursor() as cr_edit:
            client_edit = api.Environment(cr_edit, SUPERUSER_ID, {})["res.partner"].browse(self.client_id)
            client_edit.write({"comment": "Asked for a discount"})
            client_edit.env.flush_all()
            threads = [threading.Thread(target=post_invoice, args=(amount,)) for amount in (100.0, 250.0)]
            for thread in threads:
                thread.start()
            time.sleep(1.0)
            # the editing user logs a note and saves
            client_edit.message_post(body="Concurrent note 3", message_type="comment", subtype_xmlid="mail.mt_note")
        for thread in threads:
            thread.join(60)
        self.assertEqual(errors, [])
        self.assertEqual(len(self.invoice_ids), 2)
        if self._state()[2]:
            # an invoice committed after the editing user: its own commit applied it, or it
            # waits for the next transaction (here: the cron)
            with self.registry.cursor() as cr:
                api.Environment(cr, SUPERUSER_ID, {})["res.partner.invoicing.stat"]._cron_apply_pending()
        self.assertEqual(self._figures(), (350.0, 350.0))
        last, _next, queued, _notes = self._state()
        self.assertEqual((last, queued), (self.today, 0))


@tagged("post_install", "-at_install")
class TestCardQueryCount(InvoicingCase):
    """The card opens with the same number of queries for a new client and for one with a
    history (invoices, payments, notes, activities, phone numbers, a duplicate by tax number)."""

    def _card_spec(self, Partner):
        views = Partner.get_views([[False, "form"]])
        fields_info = views["models"]["res.partner"]["fields"]
        spec = {}
        for name in dict.fromkeys(re.findall(r'<field name="(\w+)"', views["views"]["form"]["arch"])):
            if name in fields_info:
                relational = fields_info[name]["type"] in ("many2one", "one2many", "many2many")
                spec[name] = {"fields": {"display_name": {}}} if relational else {}
        return spec

    def _history(self, client, size):
        for index in range(size):
            invoice = self.make_move(client, amount=10.0 + index)
            if index % 2:
                self.pay(invoice)
            client.message_post(body=f"Call {index}", message_type="comment", subtype_xmlid="mail.mt_note")
            client.activity_schedule("mail.mail_activity_data_todo", date_deadline=self.today + timedelta(days=index))
            self.Partner.create({"name": f"Contact {index}", "parent_id": client.id, "phone": f"+371 2600{index:04d}"})

    def test_card_query_count_does_not_grow_with_the_history(self):
        small = self.Partner.create({"name": "New Client SIA", "is_company": True, "vat": "LV40003000001"})
        big = self.Partner.create({"name": "Old Client SIA", "is_company": True, "vat": "LV40003000002"})
        self.Partner.create({"name": "New Client again", "is_company": True, "vat": "LV 40003000001"})
        for index in range(5):
            self.Partner.create({"name": f"Old Client again {index}", "is_company": True, "vat": "LV 40003000002"})
        self._history(small, 2)  # one paid invoice, one unpaid: the same kinds of records as the big one
        self._history(big, 12)
        self.flush_tracking()
        Partner = self.Partner.with_user(self.accountant)
        spec = self._card_spec(Partner)

        def count(partner):
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            values = Partner.browse(partner.id).web_read(spec)[0]
            return self.env.cr.sql_log_count - start, values

        count(small)  # warm the caches filled once per process (views, rules)
        small_count, _values = count(small)
        big_count, values = count(big)
        self.assertEqual(values["invoiced_total"], sum(10.0 + index for index in range(12)))
        self.assertEqual(big_count, small_count, "a client's history does not add queries to its card")
