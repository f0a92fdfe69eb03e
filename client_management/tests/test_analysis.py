from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tests.common import new_test_user

from .test_invoicing_common import InvoicingCase

REPORT = "client.channel.report"
EFFECTIVENESS = ["__count", "invoiced_rate:avg", "turnover_per_client:avg", "no_contact_rate:avg"]


@tagged("post_install", "-at_install")
class TestAnalysis(InvoicingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Source = cls.env["utm.source"]
        cls.web, cls.fair = Source.create([{"name": "CM web search"}, {"name": "CM trade fair"}])
        cls.tag = cls.env["res.partner.category"].create({"name": "CM analysis tag"})
        cls.web_paying, cls.web_silent, cls.fair_paying = cls.Partner.create(
            [
                {"name": "Web Paying SIA", "is_company": True, "acquisition_source_id": cls.web.id},
                {"name": "Web Silent", "acquisition_source_id": cls.web.id, "category_id": [Command.set(cls.tag.ids)]},
                {"name": "Fair Paying SIA", "is_company": True, "acquisition_source_id": cls.fair.id},
            ]
        )

    def setUp(self):
        super().setUp()
        self.make_move(self.web_paying, amount=100)
        self.make_move(self.fair_paying, amount=300)
        self.make_move(self.fair_paying, amount=100)
        self.flush_tracking()
        # the silent client was last heard of 120 days ago, the paying ones today (their invoice)
        self.web_silent.sudo().write({"user_id": self.client_user.id})
        self.env.cr.execute(
            "UPDATE res_partner SET last_activity_date = %s WHERE id = %s",
            (self.today - timedelta(days=120), self.web_silent.id),
        )
        self.env.invalidate_all()

    def channels(self, user, company=None):
        """Channel effectiveness rows of our channels, as the pivot reads them."""
        rows = (
            self.env[REPORT]
            .with_user(user)
            .with_company(company or self.env.company)
            .formatted_read_group(
                [("acquisition_source_id", "in", (self.web | self.fair).ids)],
                ["acquisition_source_id"],
                EFFECTIVENESS if user != self.client_user else ["__count", "no_contact_rate:avg"],
            )
        )
        return {row["acquisition_source_id"][1]: row for row in rows}

    def test_channel_effectiveness_for_an_accountant(self):
        rows = self.channels(self.accountant)
        web, fair = rows["CM web search"], rows["CM trade fair"]
        self.assertEqual(web["__count"], 2)
        self.assertEqual(web["invoiced_rate:avg"], 50.0, "one web client of two has an invoice")
        self.assertEqual(web["turnover_per_client:avg"], 50.0, "100 of turnover over two clients")
        self.assertEqual(web["no_contact_rate:avg"], 50.0, "the silent client is slipping away")
        self.assertEqual(fair["__count"], 1)
        self.assertEqual(fair["invoiced_rate:avg"], 100.0)
        self.assertEqual(fair["turnover_per_client:avg"], 400.0)
        self.assertEqual(fair["no_contact_rate:avg"], 0.0)

    def test_figures_by_manager_tag_and_month(self):
        Report = self.env[REPORT].with_user(self.accountant)
        mine = Report.search([("user_id", "=", self.client_user.id), ("partner_id", "=", self.web_silent.id)])
        self.assertEqual(len(mine), 1, "the silent client is grouped under its manager")
        by_tag = Report.formatted_read_group(
            [("category_ids", "=", self.tag.id)], ["category_ids"], ["__count", "invoiced_total:sum"]
        )
        self.assertEqual([(r["category_ids"][0], r["__count"]) for r in by_tag], [(self.tag.id, 1)])
        by_month = Report.formatted_read_group(
            [("acquisition_source_id", "=", self.fair.id)],
            ["create_date:month", "acquisition_source_id"],
            ["invoiced_total:sum", "amount_due:sum", "amount_overdue:sum"],
        )
        self.assertEqual(len(by_month), 1)
        self.assertEqual(by_month[0]["invoiced_total:sum"], 400.0)
        self.assertEqual(by_month[0]["amount_due:sum"], 400.0, "nothing is paid yet")
        self.assertEqual(by_month[0]["amount_overdue:sum"], 0.0, "nothing is due yet")

    def test_new_clients_per_month_on_the_clients_list(self):
        action = self.env.ref("client_management.action_clients")
        self.assertIn("graph", action.view_mode)
        self.assertIn("pivot", action.view_mode)
        Partner = self.env["res.partner"].with_user(self.client_user)
        for view_type in ("graph", "pivot"):
            self.assertIn('name="acquisition_source_id"', Partner.get_view(view_type=view_type)["arch"])
        rows = Partner.formatted_read_group(
            [("is_client", "=", True), ("acquisition_source_id", "=", self.web.id)],
            ["create_date:month", "acquisition_source_id"],
            ["__count"],
        )
        self.assertEqual(sum(row["__count"] for row in rows), 2)
        for groupby in ("user_id", "country_id", "category_id"):
            Partner.formatted_read_group([("is_client", "=", True)], [groupby], ["__count"])

    def test_clients_user_counts_without_accounting_figures(self):
        rows = self.channels(self.client_user)
        self.assertEqual(rows["CM web search"]["__count"], 2)
        self.assertEqual(rows["CM web search"]["no_contact_rate:avg"], 50.0)
        Report = self.env[REPORT].with_user(self.client_user)
        for fname in ("invoiced_total", "turnover_per_client", "invoiced_rate", "amount_overdue"):
            with self.assertRaises(AccessError, msg=fname):
                Report.formatted_read_group([], ["acquisition_source_id"], [f"{fname}:sum"])
            self.assertNotIn(fname, Report.fields_get())
        for view in ("client_channel_report_view_pivot", "client_channel_report_view_pivot_channels"):
            arch = Report.get_view(self.env.ref(f"client_management.{view}").id, "pivot")["arch"]
            self.assertNotIn("invoiced_total", arch)
            self.assertNotIn("turnover_per_client", arch)

    def test_no_access_outside_the_clients_app(self):
        portal = new_test_user(self.env, login="cm_analysis_portal", groups="base.group_portal")
        for user in (self.plain_user, portal):
            with self.assertRaises(AccessError):
                self.env[REPORT].with_user(user).formatted_read_group([], ["acquisition_source_id"], ["__count"])

    def test_figures_of_the_active_company_only(self):
        other = self.env["res.company"].create({"name": "CM Analysis Second Company"})
        self.env["account.chart.template"].try_loading("generic_coa", other, install_demo=False)
        self.accountant.write({"company_ids": [Command.link(other.id)]})
        move = (
            self.env["account.move"]
            .with_company(other)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.web_silent.id,
                    "invoice_date": self.today,
                    "invoice_line_ids": [
                        Command.create({"product_id": self.product.id, "price_unit": 700, "tax_ids": False})
                    ],
                }
            )
        )
        move.action_post()
        self.flush_tracking()
        here = self.channels(self.accountant)["CM web search"]
        self.assertEqual(here["turnover_per_client:avg"], 50.0, "the other company's invoice does not count here")
        self.assertEqual(here["__count"], 2, "each client counted once, in the active company")
        there = self.channels(self.accountant, company=other)["CM web search"]
        self.assertEqual(there["turnover_per_client:avg"], 350.0, "700 over the two web clients")
        self.assertEqual(there["invoiced_rate:avg"], 50.0)

    def test_clients_of_another_company_are_not_counted(self):
        other = self.env["res.company"].create({"name": "CM Analysis Other Company"})
        self.Partner.create(
            {"name": "Other Company Client", "acquisition_source_id": self.web.id, "company_id": other.id}
        )
        self.assertEqual(self.channels(self.accountant)["CM web search"]["__count"], 2)
        self.assertEqual(self.channels(self.client_user)["CM web search"]["__count"], 2)
