from odoo.tests import tagged

from .common import CrmClientCase


@tagged("post_install", "-at_install")
class TestCrmTimeline(CrmClientCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.won_subtype = cls.env.ref("client_management_crm.mt_opportunity_won")
        cls.lost_subtype = cls.env.ref("client_management_crm.mt_opportunity_lost")

    def events(self, partner, subtype):
        return partner.message_ids.filtered(lambda m: m.subtype_id == subtype)

    def test_subtypes_can_be_followed_or_muted(self):
        for subtype in (self.won_subtype, self.lost_subtype):
            self.assertEqual(subtype.res_model, "res.partner")
            self.assertTrue(subtype.internal, "never sent to a client following itself")
            self.assertTrue(subtype.default)
            self.assertFalse(subtype.hidden)

    def test_won_lands_on_the_company_of_the_contact(self):
        self.env.cr.execute(
            "UPDATE res_partner SET last_activity_date = NULL WHERE id = %s", [self.conflict_company.id]
        )
        self.conflict_company.invalidate_recordset()
        lead = self.opportunity(self.conflict_contact, expected_revenue=1500)
        lead.with_user(self.salesman).action_set_won()
        self.commit_events()
        messages = self.events(self.conflict_company, self.won_subtype)
        self.assertEqual(len(messages), 1)
        self.assertIn(f'data-oe-id="{lead.id}"', str(messages.body))
        self.assertIn("1,500.00", str(messages.body))
        self.assertEqual(messages.author_id, self.salesman.partner_id)
        self.assertFalse(self.events(self.conflict_contact, self.won_subtype), "on the commercial partner")
        # the clients' bookkeeping lands right after the commit (res.partner.invoicing.stat)
        self.env["res.partner.invoicing.stat"]._cm_apply_pending()
        self.conflict_company.invalidate_recordset(["last_activity_date"])
        self.assertTrue(self.conflict_company.last_activity_date, "a won deal is activity with the client")

    def test_lost_with_its_reason(self):
        reason = self.env["crm.lost.reason"].create({"name": "Too expensive"})
        lead = self.opportunity(self.quiet_client)
        wizard = (
            self.env["crm.lead.lost"]
            .with_user(self.salesman)
            .create({"lead_ids": [(6, 0, lead.ids)], "lost_reason_id": reason.id})
        )
        wizard.action_lost_reason_apply()
        self.commit_events()
        messages = self.events(self.quiet_client, self.lost_subtype)
        self.assertEqual(len(messages), 1)
        self.assertIn("Too expensive", str(messages.body))
        self.assertIn(f'data-oe-id="{lead.id}"', str(messages.body))
        self.assertFalse(self.events(self.quiet_client, self.won_subtype))

    def test_lost_at_zero_probability_keeps_the_reason(self):
        # archived first at 0 %: the lead is lost before its reason is written
        reason = self.env["crm.lost.reason"].create({"name": "No budget"})
        lead = self.opportunity(self.quiet_client, probability=0)
        lead.with_user(self.salesman).action_set_lost(lost_reason_id=reason.id)
        self.commit_events()
        self.assertIn("No budget", str(self.events(self.quiet_client, self.lost_subtype).body))

    def test_nothing_without_customer_or_when_reopened(self):
        before = self.env["mail.message"].search_count(
            [("subtype_id", "in", (self.won_subtype | self.lost_subtype).ids)]
        )
        anonymous = self.Lead.create({"name": "No customer", "type": "opportunity"})
        anonymous.action_set_won()
        reopened = self.opportunity(self.quiet_client)
        reopened.action_set_lost()
        reopened.action_unarchive()
        reopened.probability = 10
        self.commit_events()
        after = self.env["mail.message"].search_count(
            [("subtype_id", "in", (self.won_subtype | self.lost_subtype).ids)]
        )
        self.assertEqual(before, after)

    def test_salesman_of_another_company(self):
        shared = self.Partner.create({"name": "Shared Client"})
        lead = self.Lead.with_user(self.salesman_b).create(
            {"name": "Branch deal", "type": "opportunity", "partner_id": shared.id, "company_id": self.company_b.id}
        )
        lead.action_set_won()
        self.commit_events()
        self.assertEqual(len(self.events(shared, self.won_subtype)), 1)
