from odoo.addons.client_management.hooks import migrate_native_channels
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from .common import ClientCase


@tagged("post_install", "-at_install")
class TestOdooBehaviourUntouched(ClientCase):
    """Partners created or written by Odoo and other apps behave as without the addon."""

    def test_partners_of_other_apps_get_no_code_name_or_manager(self):
        Partner = self.Partner.with_user(self.client_user)
        for sample in ("", " ", False, "Raoul raoul@grosbedon.fr"):
            with self.subTest(sample=sample):
                partner = Partner.browse(Partner.name_create(sample)[0])
                self.assertFalse(partner.ref)
                self.assertNotIn("Client", partner.name or "")
                self.assertFalse(partner.user_id)
        company = self.env["res.company"].create({"name": "New Company"})
        self.assertFalse(company.partner_id.ref, "a company's own partner")
        user = new_test_user(self.env, login="cm_new_employee", groups="base.group_user")
        self.assertFalse(user.partner_id.ref, "a user's partner")
        invoice_address = Partner.create({"type": "invoice", "parent_id": company.partner_id.id})
        self.assertFalse(invoice_address.ref, "an address")

    def test_clients_app_numbers_its_clients_but_not_their_addresses(self):
        Clients = self.Partner.with_user(self.client_user).with_context(cm_client_code=True)
        company = Clients.create({"name": "Numbered SIA", "is_company": True})
        address = Clients.create({"type": "delivery", "parent_id": company.id})
        self.assertTrue(company.ref)
        self.assertFalse(address.ref, "an address is not a client")
        self.assertNotIn("Client", address.display_name)

    def test_client_codes_are_unique(self):
        sequence = self.env.ref("client_management.seq_client_code")
        Clients = self.Partner.with_context(cm_client_code=True)
        probe = Clients.create({"name": "Probe"})
        number = int(probe.ref[1:])
        typed = f"C{number + 1:05d}"
        self.Partner.create({"name": "Typed by hand elsewhere", "ref": typed})
        drawn = Clients.create({"name": "Next"})
        self.assertNotEqual(drawn.ref, typed, "a code typed by hand is not drawn again")
        self.assertEqual(drawn.ref, f"C{number + 2:05d}")
        with self.assertRaises(ValidationError):
            Clients.create({"name": "Same code", "ref": typed})
        self.assertTrue(sequence)

    def test_native_phone_keeps_what_was_typed(self):
        lv = self.env.ref("base.lv")
        partner = self.Partner.create({"name": "Typed", "country_id": lv.id, "phone": "26 123 456"})
        self.assertEqual(partner.phone, "26 123 456")
        self.assertEqual(partner.phone_ids.number_e164, "+37126123456", "normalised on the line")
        company = self.Partner.create({"name": "Sync SIA", "is_company": True, "phone": "+371 (67) 000-000"})
        child = self.Partner.create({"name": "Child", "parent_id": company.id, "type": "contact"})
        child.write({"street": "Brīvības 1"})
        self.assertEqual(company.phone, "+371 (67) 000-000")

    def test_each_address_of_the_native_email_is_a_line_and_the_text_is_kept(self):
        partner = self.Partner.create({"name": "Two mails", "email": "a1@x.com, B1@Y.com"})
        self.assertEqual(partner.email, "a1@x.com, B1@Y.com")
        lines = partner.email_ids.sorted("sequence")
        self.assertEqual(lines.mapped("email"), ["a1@x.com", "b1@y.com"])
        self.assertEqual(lines.mapped("is_primary"), [True, False])
        formatted = self.Partner.create({"name": "Formatted", "email": '"Anna B." <Anna@Example.lv>'})
        self.assertEqual(formatted.email, '"Anna B." <Anna@Example.lv>')
        self.assertEqual(formatted.email_ids.email, "anna@example.lv")

    def test_clearing_the_native_email_keeps_it_cleared(self):
        """As Odoo's own test_email_formatted writes it: several values, then falsy ones."""
        partner = self.Partner.create({"name": "Balázs", "email": "vlad@example.com"})
        for source, expected in (
            ("vlad@example.com, dragon@example.com", "vlad@example.com, dragon@example.com"),
            ("vlad.invalid, dragon@example.com", "vlad.invalid, dragon@example.com"),
            (False, False),
            ("", ""),
            (" ", " "),
            ("notanemail", "notanemail"),
        ):
            with self.subTest(source=source):
                partner.write({"email": source})
                self.assertEqual(partner.email or False, expected or False)
        self.assertIn("vlad@example.com", partner.email_ids.mapped("email"), "the client's other address stays")

    def test_install_migration_keeps_every_address(self):
        partner = self.Partner.create({"name": "Before the addon"})
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_partner SET email = %s WHERE id = %s", ["first@x.com; Second <second@y.com>", partner.id]
        )
        self.env.invalidate_all()
        migrate_native_channels(self.env)
        self.assertEqual(sorted(partner.email_ids.mapped("email")), ["first@x.com", "second@y.com"])
        self.assertEqual(partner.email_ids.filtered("is_primary").email, "first@x.com")
        self.assertEqual(partner.email, "first@x.com; Second <second@y.com>", "the native text is kept")

    def test_install_gives_codes_to_clients_only(self):
        Partner = self.Partner
        client = Partner.create({"name": "Old client"})
        address = Partner.create({"name": "Old address", "type": "invoice", "parent_id": client.id})
        employee = new_test_user(self.env, login="cm_old_employee", groups="base.group_user").partner_id
        typed = Partner.create({"name": "Typed code", "ref": "C90000"})
        self.env.flush_all()
        ids = [client.id, address.id, employee.id]
        self.env.cr.execute("UPDATE res_partner SET ref = NULL WHERE id = ANY(%s)", [ids])
        self.env.invalidate_all()
        Partner._assign_missing_client_codes()
        self.assertRegex(client.ref, r"^C\d{5}$")
        self.assertGreater(int(client.ref[1:]), 90000, "drawn after the codes typed by hand")
        self.assertFalse(address.ref)
        self.assertFalse(employee.ref)
        self.assertEqual(typed.ref, "C90000")
