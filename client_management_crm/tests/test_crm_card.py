from odoo.tests import tagged

from .common import CrmClientCase


@tagged("post_install", "-at_install")
class TestCrmCard(CrmClientCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client = cls.quiet_client
        cls.contact = cls.Partner.create({"name": "Kārlis Contact", "parent_id": cls.client.id})
        cls.open_own = cls.opportunity(cls, cls.client, name="Own open")
        cls.open_contact = cls.opportunity(cls, cls.contact, name="Contact open")
        cls.open_other = cls.opportunity(cls, cls.client, user=cls.other_salesman, name="Other salesman open")
        cls.won = cls.opportunity(cls, cls.client, name="Won one")
        cls.won.action_set_won()
        cls.lost = cls.opportunity(cls, cls.client, name="Lost one")
        cls.lost.action_set_lost()
        cls.lead = cls.Lead.create(
            {"name": "Just a lead", "type": "lead", "partner_id": cls.client.id, "user_id": cls.salesman.id}
        )

    def test_open_opportunities_counted_as_each_user_may_read_them(self):
        self.assertEqual(self.client.with_user(self.salesman).cm_open_opportunity_count, 2, "own leads only")
        self.assertEqual(self.client.with_user(self.sales_manager).cm_open_opportunity_count, 3)
        self.assertEqual(self.contact.with_user(self.sales_manager).cm_open_opportunity_count, 1)
        # Odoo's own count (won and lost included) is unchanged
        self.assertEqual(self.client.with_user(self.sales_manager).opportunity_count, 6)
        # a contact who left (archived) still brought its deal
        self.contact.action_archive()
        self.assertEqual(self.client.with_user(self.sales_manager).cm_open_opportunity_count, 3)

    def test_another_company_counts_only_its_opportunities(self):
        self.client.company_id = False
        self.opportunity(self.client, user=self.salesman_b, name="Branch deal", company_id=self.company_b.id)
        client_b = self.client.with_user(self.salesman_b).with_context(allowed_company_ids=self.company_b.ids)
        self.assertEqual(client_b.cm_open_opportunity_count, 1)
        self.assertEqual(self.client.with_user(self.salesman).cm_open_opportunity_count, 2)

    def test_smart_button_opens_the_open_ones_with_their_stage(self):
        action = self.client.with_user(self.salesman).action_cm_open_opportunities()
        self.assertEqual(action["res_model"], "crm.lead")
        self.assertEqual(action["views"][0][1], "list")
        self.assertIn("kanban", [mode for _id, mode in action["views"]])
        self.assertTrue(action["context"]["search_default_filter_won_status_pending"])
        Lead = self.Lead.with_user(self.salesman).with_context(**action["context"])
        ongoing = self.env.ref("crm.view_crm_case_opportunities_filter")
        self.assertIn('name="filter_won_status_pending"', ongoing.arch)
        everything = Lead.search(action["domain"])
        self.assertEqual(everything, self.open_own | self.open_contact | self.won | self.lost)
        shown = Lead.search(action["domain"] + [("won_status", "=", "pending"), ("active", "=", True)])
        self.assertEqual(shown, self.open_own | self.open_contact)
        self.assertIn("stage_id", self.Lead.with_user(self.salesman).get_view(view_type="list")["arch"])

    def test_card_buttons(self):
        arch = self.client.with_user(self.salesman).get_view(view_type="form")["arch"]
        self.assertIn("cm_open_opportunity_count", arch)
        self.assertIn("action_cm_new_opportunity", arch)
        self.assertNotIn('name="action_view_opportunity"', arch, "one opportunities button, not two")
        plain = self.client.with_user(self.plain_user).get_view(view_type="form")["arch"]
        self.assertNotIn("action_cm_new_opportunity", plain, "for salesmen only")

    def test_new_opportunity_is_prefilled(self):
        action = self.client.with_user(self.salesman).action_cm_new_opportunity()
        lead = self.Lead.with_user(self.salesman).with_context(**action["context"]).create({"name": "From the card"})
        self.assertEqual(lead.partner_id, self.client)
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(self.client.with_user(self.salesman).cm_open_opportunity_count, 3)

    def test_leads_found_by_the_customers_number(self):
        self.env.company.country_id = self.env.ref("base.lv")
        self.contact.phone = "+371 26 111 222"
        self.env.flush_all()  # the lookup reads the company's country in SQL
        Lead = self.Lead.with_user(self.salesman)
        # the customer field of the search box (crm's filter_domain: partner_id ilike)
        self.assertEqual(Lead.search([("partner_id", "ilike", "26 111 222")]), self.open_contact)
        picked = [pid for pid, _name in self.Partner.with_user(self.salesman).name_search("0037126111222")]
        self.assertEqual(picked, self.contact.ids)
