from odoo.tests import HttpCase, tagged

from .common import CrmClientCase


@tagged("post_install", "-at_install")
class TestCrmUi(HttpCase, CrmClientCase):
    def test_conflict_client_picked_on_a_new_opportunity(self):
        """A salesman finds the contact of a conflict company by its number on a new
        opportunity, gets the warning with the note, and the kanban marks the deal."""
        self.env.company.country_id = self.env.ref("base.kz")
        self.Partner.create(
            {
                "name": "Tour Conflict Contact",
                "parent_id": self.conflict_company.id,
                "country_id": self.env.ref("base.kz").id,
                "phone": "+7 777 785 99 54",
            }
        )
        self.salesman.password = "cm_crm_sales"
        self.flush_tracking()
        self.start_tour(
            "/odoo/action-crm.crm_lead_opportunities/new", "client_management_crm_conflict_tour", login="cm_crm_sales"
        )
        lead = self.env["crm.lead"].search([("name", "=", "Tour Deal")])
        self.assertEqual(lead.partner_id.name, "Tour Conflict Contact")
        self.assertTrue(lead.partner_is_conflict)
