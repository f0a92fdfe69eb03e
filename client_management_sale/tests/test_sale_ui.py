from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestSaleConflictUi(HttpCase):
    def test_conflict_client_on_new_quotation_shows_the_warning(self):
        """A salesman picks a conflict client on a new quotation: the warning with the note pops up."""
        new_test_user(
            self.env,
            login="cm_sale_tour",
            name="Sale Tour User",
            groups="sales_team.group_sale_salesman,client_management.group_client_user",
        )
        client = self.env["res.partner"].create(
            {"name": "Tour Sale Conflict", "is_conflict": True, "conflict_note": "Only with prepayment"}
        )
        self.start_tour(
            "/odoo/action-sale.action_quotations_with_onboarding/new",
            "client_management_sale_conflict_tour",
            login="cm_sale_tour",
        )
        self.assertFalse(self.env["sale.order"].search([("partner_id", "=", client.id)]), "the tour discarded it")
