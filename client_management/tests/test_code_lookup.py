"""Client codes are looked up by equality through their b-tree index, never through the
trigram index of the list's searches, which reads nearly every client for each code (codes
share most of their trigrams)."""

from odoo.addons.client_management.tools.code_lookup import btree_lookups
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL


@tagged("post_install", "-at_install")
class TestCodeLookup(TransactionCase):
    def plan(self, codes):
        self.env.cr.execute(SQL("EXPLAIN SELECT ref FROM res_partner WHERE ref = ANY(%s)", codes))
        return "\n".join(line for (line,) in self.env.cr.fetchall())

    def test_codes_are_never_read_through_the_trigram_index(self):
        cr = self.env.cr
        cr.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'res_partner_cm_ref_trgm_index'")
        if not cr.fetchone():
            self.skipTest("the database has no pg_trgm: no trigram index to avoid")
        codes = [f"C{number:05d}" for number in range(1, 40)]
        # a planner kept from the b-tree's plain scans (as when it finds it bloated) reads an
        # index through a bitmap: the trigram index is one of those it may choose
        cr.execute("SET LOCAL enable_indexscan = off")
        cr.execute("SET LOCAL enable_indexonlyscan = off")
        cr.execute("SET LOCAL enable_seqscan = off")
        self.assertIn("Bitmap Index Scan", self.plan(codes))
        # the b-tree's plain scans back, as in a real database (where they only look costlier);
        # with every kind of scan disabled, PostgreSQL would take the least disabled one
        cr.execute("SET LOCAL enable_indexscan = on")
        cr.execute("SET LOCAL enable_indexonlyscan = on")
        with btree_lookups(cr):
            plan = self.plan(codes)
            self.assertNotIn("Bitmap", plan)
            self.assertNotIn("trgm", plan)
            self.assertIn("res_partner__ref_index", plan)
        cr.execute("SHOW enable_bitmapscan")
        self.assertEqual(cr.fetchone()[0], "on", "the setting is restored for the rest of the transaction")
