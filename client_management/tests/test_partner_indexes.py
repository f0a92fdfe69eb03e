"""Indexes written for every new partner and line serve a query: the supplier and conflict
flags are indexed for the flagged partners only, the lines' client by their unique index, and
an upgrade drops the indexes of the earlier version."""

import importlib.util
from pathlib import Path

from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

MIGRATION = Path(__file__).parents[1] / "migrations" / "19.0.1.0.1" / "pre-migrate.py"


@tagged("post_install", "-at_install")
class TestPartnerIndexes(TransactionCase):
    def indexes(self, table):
        self.env.cr.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
        return dict(self.env.cr.fetchall())

    def plan(self, model, domain):
        query = self.env[model]._search(domain)
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        self.env.cr.execute(SQL("EXPLAIN %s", query.select()))
        return "\n".join(line for (line,) in self.env.cr.fetchall())

    def test_flags_are_indexed_for_the_flagged_partners_only(self):
        indexes = self.indexes("res_partner")
        self.assertIn("WHERE (is_supplier IS TRUE)", indexes["res_partner_cm_supplier_idx"])
        self.assertIn("WHERE (is_conflict IS TRUE)", indexes["res_partner_cm_conflict_idx"])
        self.assertNotIn("res_partner__is_supplier_index", indexes)
        self.assertNotIn("res_partner__is_conflict_index", indexes)
        # the lists' filters find them through those indexes
        self.assertIn("res_partner_cm_supplier_idx", self.plan("res.partner", [("is_supplier", "=", True)]))
        self.assertIn("res_partner_cm_conflict_idx", self.plan("res.partner", [("is_conflict", "=", True)]))

    def test_the_lines_of_a_client_are_found_through_their_unique_index(self):
        partner = self.env["res.partner"].create({"name": "Indexed Client"})
        for model, table, index in (
            ("res.partner.phone", "res_partner_phone", "res_partner_phone_partner_e164_uniq"),
            ("res.partner.email", "res_partner_email", "res_partner_email_partner_email_uniq"),
        ):
            self.assertNotIn(f"{table}__partner_id_index", self.indexes(table))
            self.assertIn(index, self.plan(model, [("partner_id", "=", partner.id)]))

    def test_an_upgrade_drops_the_indexes_of_the_earlier_version(self):
        cr = self.env.cr
        cr.execute("CREATE INDEX res_partner__is_supplier_index ON res_partner (is_supplier)")
        cr.execute("CREATE INDEX res_partner_phone__partner_id_index ON res_partner_phone (partner_id)")
        spec = importlib.util.spec_from_file_location("cm_migration_19_0_1_0_1", MIGRATION)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(cr, "19.0.1.0.0")
        self.assertNotIn("res_partner__is_supplier_index", self.indexes("res_partner"))
        self.assertNotIn("res_partner_phone__partner_id_index", self.indexes("res_partner_phone"))
        # a new install has nothing to drop
        migration.migrate(cr, None)
        # a line's client keeps its own index while the unique one is missing
        cr.execute("CREATE INDEX res_partner_email__partner_id_index ON res_partner_email (partner_id)")
        cr.execute("ALTER TABLE res_partner_email DROP CONSTRAINT res_partner_email_partner_email_uniq")
        migration.migrate(cr, "19.0.1.0.0")
        self.assertIn("res_partner_email__partner_id_index", self.indexes("res_partner_email"))
