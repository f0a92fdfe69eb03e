"""Batches of keys are looked up by equality through their b-tree index: never through the
trigram index of the list's searches, which reads nearly every client for each code (codes
share most of their trigrams), nor by reading the table whole, which costs more with every
batch an import writes."""

from odoo.addons.client_management.tools.index_lookup import index_lookups
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL


@tagged("post_install", "-at_install")
class TestIndexLookup(TransactionCase):
    def plan(self, codes, column="ref"):
        self.env.cr.execute(SQL("EXPLAIN SELECT id FROM res_partner WHERE %s = ANY(%s)", SQL.identifier(column), codes))
        return "\n".join(line for (line,) in self.env.cr.fetchall())

    def guarded_plan(self, keys, column, setting):
        """The plan of the lookup inside ``index_lookups``; ``setting`` is back on after it."""
        with index_lookups(self.env.cr):
            plan = self.plan(keys, column)
        self.env.cr.execute(SQL("SELECT current_setting(%s)", setting))
        self.assertEqual(self.env.cr.fetchone()[0], "on", "the setting is restored for the rest of the transaction")
        return plan

    def planner(self, **settings):
        """Stage what PostgreSQL believes of the tables (until the end of the test's transaction)."""
        for name, value in settings.items():
            self.env.cr.execute(SQL("SELECT set_config(%s, %s, true)", name, value))

    def test_codes_are_never_read_through_the_trigram_index(self):
        cr = self.env.cr
        cr.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'res_partner_cm_ref_trgm_index'")
        if not cr.fetchone():
            self.skipTest("the database has no pg_trgm: no trigram index to avoid")
        codes = [f"C{number:05d}" for number in range(1, 40)]
        # a planner kept from the b-tree's plain scans (as when it finds it bloated) reads an
        # index through a bitmap: the trigram index is one of those it may choose
        self.planner(enable_indexscan="off", enable_indexonlyscan="off", enable_seqscan="off")
        self.assertIn("Bitmap Index Scan", self.plan(codes))
        # the b-tree's plain scans back, as in a real database (where they only look costlier);
        # with every kind of scan disabled, PostgreSQL would take the least disabled one
        self.planner(enable_indexscan="on", enable_indexonlyscan="on")
        plan = self.guarded_plan(codes, "ref", "enable_bitmapscan")
        self.assertNotIn("Bitmap", plan)
        self.assertNotIn("trgm", plan)
        self.assertIn("res_partner__ref_index", plan)

    def test_a_batch_of_keys_is_not_looked_up_by_reading_the_table_whole(self):
        # what PostgreSQL believes of a table analysed when it was small (a new database
        # filled by one import): reading it whole looks cheaper than a thousand descents
        self.planner(enable_indexscan="off", enable_indexonlyscan="off", enable_bitmapscan="off")
        emails = [f"client{number}@example.com" for number in range(1000)]
        self.assertIn("Seq Scan", self.plan(emails, "email_normalized"))
        # the table looks tiny next to the keys
        self.planner(enable_indexscan="on", enable_indexonlyscan="on", enable_bitmapscan="on", seq_page_cost="0.01")
        self.assertIn("Seq Scan", self.plan(emails, "email_normalized"))
        plan = self.guarded_plan(emails, "email_normalized", "enable_seqscan")
        self.assertNotIn("Seq Scan", plan)
        self.assertIn("res_partner_cm_email_normalized_index", plan)

    def test_the_settings_come_back_when_the_lookup_fails(self):
        cr = self.env.cr
        with self.assertRaises(ZeroDivisionError), index_lookups(cr):
            cr.execute("SHOW enable_seqscan")
            self.assertEqual(cr.fetchone()[0], "off")
            raise ZeroDivisionError
        cr.execute("SELECT current_setting('enable_seqscan'), current_setting('enable_bitmapscan')")
        self.assertEqual(cr.fetchone(), ("on", "on"))
