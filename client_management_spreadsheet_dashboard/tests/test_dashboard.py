import json
from datetime import timedelta

from odoo import fields
from odoo.addons.client_management.tests.test_invoicing_common import InvoicingCase
from odoo.exceptions import AccessError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestClientsDashboard(InvoicingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dashboard = cls.env.ref("client_management_spreadsheet_dashboard.spreadsheet_dashboard_clients")
        cls.accounting = cls.env.ref("client_management_spreadsheet_dashboard.spreadsheet_dashboard_clients_accounting")

    def data(self, dashboard):
        return json.loads(dashboard.spreadsheet_data)

    def pivot_rows(self, dashboard, pivot_id, user):
        """Read a pivot of the dashboard as the spreadsheet does: one grouped read."""
        pivot = self.data(dashboard)["pivots"][pivot_id]
        aggregates = [
            m["fieldName"] if m["fieldName"] == "__count" else f"{m['fieldName']}:{self.aggregator(pivot, m)}"
            for m in pivot["measures"]
        ]
        Model = self.env[pivot["model"]].with_user(user)
        return Model.formatted_read_group(pivot["domain"], [r["fieldName"] for r in pivot["rows"]], aggregates)

    def aggregator(self, pivot, measure):
        return self.env[pivot["model"]]._fields[measure["fieldName"]].aggregator

    def visible_dashboards(self, user):
        return self.env["spreadsheet.dashboard"].with_user(user).search([]) & (self.dashboard | self.accounting)

    def test_shipped_like_odoo_dashboards(self):
        group = self.env.ref("client_management_spreadsheet_dashboard.spreadsheet_dashboard_group_clients")
        self.assertEqual((self.dashboard | self.accounting).dashboard_group_id, group)
        for dashboard in self.dashboard | self.accounting:
            self.assertTrue(dashboard.is_published)
            data = self.data(dashboard)
            cells = data["sheets"][0]["cells"]
            links = [c for c in cells.values() if c.startswith("[")]
            self.assertTrue(links and all("](odoo://view/" in c for c in links), "each figure links to a list")
            for pivot in data["pivots"].values():
                Model = self.env[pivot["model"]]
                for name in [m["fieldName"] for m in pivot["measures"]] + [r["fieldName"] for r in pivot["rows"]]:
                    self.assertTrue(name == "__count" or name in Model._fields, name)
                    self.assertTrue(name == "__count" or Model._fields[name].store, f"{name} is a stored column")

    def test_each_count_opens_its_list(self):
        data = self.data(self.dashboard)
        cells = data["sheets"][0]["cells"]
        for row in range(3, 8):
            label, value = cells.get(f"A{row}"), cells.get(f"B{row}")
            if not value:
                continue
            pivot = data["pivots"][value.split("(")[1].split(",")[0]]
            action = json.loads(label.split("odoo://view/")[1][:-1])["action"]
            self.assertEqual(action["modelName"], pivot["model"], label)
            self.assertEqual(action["domain"], pivot["domain"], f"{label}: the list shows what is counted")

    def test_clients_user_sees_counts_only(self):
        self.assertEqual(self.visible_dashboards(self.client_user), self.dashboard)
        self.assertEqual(self.visible_dashboards(self.accountant), self.dashboard | self.accounting)
        self.assertFalse(self.visible_dashboards(self.plain_user))
        with self.assertRaises(AccessError):
            self.pivot_rows(self.accounting, "3", self.client_user)

    def test_figures(self):
        channel = self.env["utm.source"].create({"name": "CM dashboard channel"})
        new, old = self.Partner.create(
            [
                {"name": "Dashboard New Client", "acquisition_source_id": channel.id},
                {"name": "Dashboard Old Client", "acquisition_source_id": channel.id},
            ]
        )
        last_month = fields.Datetime.now().replace(day=1) - timedelta(days=3)
        self.env.cr.execute("UPDATE res_partner SET create_date = %s WHERE id = %s", (last_month, old.id))
        day = self.today - timedelta(days=35)
        self.make_move(new, amount=200, due=self.today - timedelta(days=5), invoice_date=day)
        self.flush_tracking()
        self.env.invalidate_all()
        user = self.accountant
        this_month = self.pivot_rows(self.dashboard, "1", user)[0]["__count"]
        previous = self.pivot_rows(self.dashboard, "2", user)[0]["__count"]
        Partner = self.Partner.with_user(user)
        new_ones = Partner.search([("is_client", "=", True), ("create_date", ">=", "today =1d")])
        self.assertEqual(this_month, len(new_ones))
        self.assertIn(new, new_ones)
        self.assertGreaterEqual(previous, 1, "the client created last month")
        no_reminder = self.pivot_rows(self.dashboard, "4", user)[0]["__count"]
        without = Partner.search_count([("is_client", "=", True), ("next_activity_date", "=", False)])
        self.assertEqual(no_reminder, without)
        channels = {r["acquisition_source_id"][1]: r for r in self.pivot_rows(self.dashboard, "5", user)}
        self.assertEqual(channels["CM dashboard channel"]["__count"], 2)
        self.assertEqual(channels["CM dashboard channel"]["no_contact_rate:avg"], 50.0, "the new client was invoiced")
        overdue = self.pivot_rows(self.accounting, "1", user)[0]
        linked = json.loads(self.data(self.accounting)["sheets"][0]["cells"]["A3"].split("odoo://view/")[1][:-1])
        self.assertEqual(overdue["__count"], Partner.search_count(linked["action"]["domain"]), "as many as listed")
        self.assertIn(new, Partner.search(linked["action"]["domain"]))
        self.assertGreaterEqual(overdue["amount_overdue:sum"], 200.0)
        effectiveness = {r["acquisition_source_id"][1]: r for r in self.pivot_rows(self.accounting, "3", user)}
        self.assertEqual(effectiveness["CM dashboard channel"]["turnover_per_client:avg"], 100.0)
        self.assertEqual(effectiveness["CM dashboard channel"]["invoiced_rate:avg"], 50.0)
        top = self.data(self.accounting)["lists"]["1"]
        order = ", ".join(f"{o['name']} {'asc' if o['asc'] else 'desc'}" for o in top["orderBy"])
        best = Partner.search(top["domain"], order=order, limit=10)
        self.assertIn(new, best)
        self.assertEqual(best.mapped("invoiced_total"), sorted(best.mapped("invoiced_total"), reverse=True))
