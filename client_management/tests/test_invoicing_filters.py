from datetime import timedelta

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .test_invoicing_common import OLD, InvoicingCase


@tagged("post_install", "-at_install")
class TestInvoicingFilters(InvoicingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.quiet = cls.Partner.create({"name": "Quiet Client"})
        cls.busy = cls.Partner.create({"name": "Busy Client"})

    def search_filter(self, name, extra=()):
        view = self.env["res.partner"].get_view(view_type="search")
        from lxml import etree

        node = etree.fromstring(view["arch"]).xpath(f"//filter[@name='{name}']")
        self.assertTrue(node, f"filter {name} is in the search view")
        domain = safe_eval(node[0].get("domain"), {"uid": self.env.uid})
        return self.Partner.search([*domain, ("id", "in", [*extra, self.client.id, self.quiet.id, self.busy.id])])

    def set_dates(self, partner, last, next_day=None):
        self.env.cr.execute(
            "UPDATE res_partner SET last_activity_date = %s, next_activity_date = %s WHERE id = %s",
            [last, next_day, partner.id],
        )
        partner.invalidate_recordset()

    def test_unpaid_and_overdue(self):
        self.make_move(self.client, amount=50, due=self.today - timedelta(days=1), invoice_date=OLD)
        paid = self.make_move(self.busy, amount=20)
        self.pay(paid)
        self.make_move(self.quiet, amount=20)
        self.flush_tracking()
        self.assertEqual(self.search_filter("filter_unpaid"), self.client | self.quiet)
        self.assertEqual(self.search_filter("filter_overdue"), self.client)
        # The contact of a client with unpaid invoices is found too (figures are the company's).
        self.assertIn(self.client_contact, self.search_filter("filter_unpaid", [self.client_contact.id]))

    def test_activity_filters(self):
        self.set_dates(self.client, self.today - timedelta(days=10), self.today + timedelta(days=1))
        self.set_dates(self.busy, self.today - timedelta(days=60))
        self.set_dates(self.quiet, self.today - timedelta(days=200))
        self.assertEqual(self.search_filter("filter_active_30"), self.client)
        self.assertEqual(self.search_filter("filter_active_90"), self.client | self.busy)
        self.assertEqual(self.search_filter("filter_no_contact_90"), self.quiet)
        self.set_dates(self.quiet, None)
        self.assertEqual(self.search_filter("filter_no_contact_90"), self.quiet, "never contacted counts")
        self.assertEqual(self.search_filter("filter_no_reminder"), self.busy | self.quiet)

    def test_sort_by_turnover_and_last_activity(self):
        self.make_move(self.client, amount=10)
        self.make_move(self.busy, amount=300)
        self.flush_tracking()
        ids = [self.client.id, self.quiet.id, self.busy.id]
        found = self.Partner.search([("id", "in", ids)], order="invoiced_total desc, id")
        self.assertEqual(found.ids, [self.busy.id, self.client.id, self.quiet.id])
        self.set_dates(self.client, self.today)
        self.set_dates(self.busy, OLD)
        self.set_dates(self.quiet, self.today - timedelta(days=3))
        found = self.Partner.search([("id", "in", ids)], order="last_activity_date desc")
        self.assertEqual(found.ids, [self.client.id, self.quiet.id, self.busy.id])

    def test_unpaid_by_turnover_reads_the_index_through_one_join(self):
        query = self.Partner._search([("amount_due", ">", 0)], order="invoiced_total desc", limit=80)
        sql = query.select().code
        self.assertEqual(sql.count("res_partner_invoicing_stat"), 1, "filter and sort share one join")
        self.assertIn("NULLS LAST", sql)
        self.assertNotIn("COALESCE", sql, "a strict condition, so that the join becomes an inner one")

    def test_conditions_met_by_clients_without_invoices(self):
        self.make_move(self.busy, amount=30)
        self.flush_tracking()
        ids = [self.client.id, self.quiet.id, self.busy.id]
        found = self.Partner.search([("id", "in", ids), ("amount_due", "=", 0)])
        self.assertEqual(found, self.client | self.quiet)
        found = self.Partner.search([("id", "in", ids), ("invoiced_total", "<", 50)])
        self.assertEqual(found, self.client | self.quiet | self.busy)
        found = self.Partner.search([("id", "in", ids), ("last_invoice_date", "=", False)])
        self.assertEqual(found, self.client | self.quiet)
        found = self.Partner.search([("id", "in", ids)], order="invoiced_total asc, id")
        self.assertEqual(found[-1], self.busy)

    def test_columns_are_optional_and_sortable(self):
        view = self.env["res.partner"].get_view(view_type="list")
        for fname in ("invoiced_total", "amount_due", "last_activity_date", "next_activity_date"):
            self.assertRegex(view["arch"], rf'name="{fname}"[^>]*optional="(hide|show)"')
        fields_info = self.env["res.partner"].fields_get(["invoiced_total", "last_activity_date"], ["sortable"])
        self.assertTrue(fields_info["invoiced_total"]["sortable"])
        self.assertTrue(fields_info["last_activity_date"]["sortable"])

    def test_list_page_query_count_does_not_grow_with_page_size(self):
        for index in range(6):
            self.make_move(self.Partner.create({"name": f"Client {index}"}), amount=10 + index)
        self.flush_tracking()
        domain = [("amount_due", ">", 0)]
        fields_spec = {"display_name": {}, "invoiced_total": {}, "amount_due": {}, "last_activity_date": {}}

        def count(limit):
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            result = self.Partner.web_search_read(domain, fields_spec, order="invoiced_total desc", limit=limit)
            self.assertEqual(len(result["records"]), limit)
            return self.env.cr.sql_log_count - start

        count(6)  # warm the caches that are filled once per process
        self.assertEqual(count(2), count(6), "the query count of a list page does not grow with its size")
