from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestClientCardUi(HttpCase):
    def test_client_card_tour(self):
        """A Clients user opens the app, sees the conflict marker and banner, flags a supplier."""
        new_test_user(self.env, login="cm_tour", name="Tour User", groups="client_management.group_client_user")
        partner = self.env["res.partner"].create(
            {
                "name": "Tour Conflict Client",
                "is_conflict": True,
                "conflict_note": "Never lend tools to this client",
                "phone_ids": [(0, 0, {"number": "+371 67 123 456 ext. 12", "whatsapp": True, "viber": True})],
            }
        )
        self.start_tour("/odoo", "client_management_card_tour", login="cm_tour")
        self.assertTrue(partner.is_supplier, "the tour saved the supplier flag")
