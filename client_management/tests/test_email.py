from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ClientCase


@tagged("post_install", "-at_install")
class TestEmailLines(ClientCase):
    def client(self, **vals):
        return self.Partner.with_user(self.client_user).create({"name": "Mail Client", **vals})

    def test_addresses_are_normalised_and_once_per_client(self):
        partner = self.client(email_ids=[(0, 0, {"email": "  Anna.Berzina@Example.LV "})])
        self.assertEqual(partner.email_ids.email, "anna.berzina@example.lv")
        self.assertEqual(partner.email, "anna.berzina@example.lv")
        with self.assertRaises(ValidationError):
            partner.write({"email_ids": [(0, 0, {"email": "ANNA.berzina@example.lv"})]})

    def test_invalid_address_is_refused_quoting_it(self):
        partner = self.client()
        with self.assertRaises(ValidationError) as caught:
            partner.write({"email_ids": [(0, 0, {"email": "anna at example"})]})
        self.assertIn("anna at example", str(caught.exception))

    def test_primary_and_native_email_both_ways(self):
        partner = self.client(email="first@example.lv")
        self.assertEqual(partner.email_ids.mapped("email"), ["first@example.lv"])
        self.assertTrue(partner.email_ids.is_primary)
        partner.write({"email_ids": [(0, 0, {"email": "second@example.lv", "is_primary": True})]})
        self.assertEqual(partner.email, "second@example.lv")
        self.assertEqual(len(partner.email_ids.filtered("is_primary")), 1)
        partner.email = "third@example.lv"  # another module / RPC writes the native field
        self.assertEqual(sorted(partner.email_ids.mapped("email")), ["first@example.lv", "third@example.lv"])
        self.assertEqual(partner.email_ids.filtered("is_primary").email, "third@example.lv")
        partner.email = "first@example.lv"
        self.assertEqual(len(partner.email_ids), 2, "an address it already has becomes primary, no duplicate")
        self.assertEqual(partner.email_ids.filtered("is_primary").email, "first@example.lv")
