from odoo.addons.client_management.hooks import migrate_native_channels
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ClientCase


@tagged("post_install", "-at_install")
class TestBlacklistBridge(ClientCase):
    def test_sms_unticked_is_the_phone_blacklist(self):
        partner = self.Partner.with_user(self.client_user).create(
            {"name": "Opt out", "phone_ids": [(0, 0, {"number": "+371 26 123 456"})]}
        )
        line = partner.phone_ids
        Blacklist = self.env["phone.blacklist"]
        self.assertTrue(line.sms)
        self.assertFalse(Blacklist.search([("number", "=", "+37126123456")]))
        line.with_user(self.client_user).sms = False
        self.assertTrue(Blacklist.search([("number", "=", "+37126123456")]), "unticked: blacklisted")
        with self.assertRaises(AccessError, msg="a Clients user cannot lift an opt-out"):
            line.with_user(self.client_user).sms = True
        self.assertTrue(Blacklist.search([("number", "=", "+37126123456")]), "still opted out")
        line.with_user(self.client_manager).sms = True
        self.assertFalse(Blacklist.search([("number", "=", "+37126123456")]), "ticked by an administrator: removed")
        # Odoo's side (an SMS opt-out) unticks the box
        Blacklist._add(["+37126123456"])
        self.assertFalse(line.sms)
        Blacklist._remove(["+37126123456"])
        self.assertTrue(line.sms)
        Blacklist._add(["+37126123456"])
        Blacklist.search([("number", "=", "+37126123456")]).unlink()
        self.assertTrue(line.sms, "a deleted blacklist entry ticks the box again")

    def test_new_line_of_a_blacklisted_number_is_unticked(self):
        self.env["phone.blacklist"]._add(["+420601123456"])
        partner = self.Partner.create({"name": "Known", "phone": "+420 601 123 456"})
        self.assertFalse(partner.phone_ids.sms)

    def test_consent_unticked_is_the_mail_blacklist(self):
        partner = self.Partner.with_user(self.client_user).create(
            {"name": "Mail opt out", "email_ids": [(0, 0, {"email": "optout@example.lv"})]}
        )
        line = partner.email_ids
        Blacklist = self.env["mail.blacklist"]
        line.with_user(self.client_user).consent = False
        self.assertTrue(Blacklist.search([("email", "=", "optout@example.lv")]))
        self.assertTrue(partner.is_blacklisted, "Odoo's mass mailing skips the client")
        with self.assertRaises(AccessError, msg="a Clients user cannot lift an opt-out"):
            line.with_user(self.client_user).consent = True
        self.assertTrue(Blacklist.search([("email", "=", "optout@example.lv")]), "still opted out")
        line.with_user(self.client_manager).consent = True
        self.assertFalse(Blacklist.search([("email", "=", "optout@example.lv")]))
        Blacklist._add("optout@example.lv")
        self.assertFalse(line.consent, "an unsubscribe from a mailing unticks consent")
        Blacklist._remove("optout@example.lv")
        self.assertTrue(line.consent, "taken off the blacklist: ticked again")
        Blacklist._add("optout@example.lv")
        Blacklist.search([("email", "=", "optout@example.lv")]).unlink()
        self.assertTrue(line.consent, "a deleted blacklist entry ticks the box again")


@tagged("post_install", "-at_install")
class TestDuplicates(ClientCase):
    def test_banner_lists_clients_sharing_a_number_email_or_vat(self):
        Partner = self.Partner.with_user(self.client_user)
        anna = Partner.create({"name": "Anna", "phone": "+371 26 123 456", "email": "anna@example.lv"})
        twin = Partner.create({"name": "Anna B.", "phone_ids": [(0, 0, {"number": "0037126123456"})]})
        mail_twin = Partner.create({"name": "A. B.", "email": "ANNA@example.lv"})
        alone = Partner.create({"name": "Alone", "phone": "+371 26 999 999"})
        self.assertEqual(anna.duplicate_partner_ids, twin | mail_twin)
        self.assertEqual(twin.duplicate_partner_ids, anna)
        self.assertFalse(alone.duplicate_partner_ids)
        company = Partner.create({"name": "SIA A", "is_company": True, "vat": "LV40003000001"})
        Partner.create({"name": "Employee", "parent_id": company.id})  # same VAT through its company
        self.assertFalse(company.duplicate_partner_ids, "own contacts are not duplicates")
        other = Partner.create({"name": "SIA A (old)", "is_company": True, "vat": "LV 40003000001"})
        company.invalidate_recordset(["duplicate_partner_ids"])
        self.assertEqual(company.duplicate_partner_ids, other)
        arch = anna.get_view(view_type="form")["arch"]
        self.assertIn("o_client_duplicate_banner", arch)

    def test_merge_keeps_every_number_and_address(self):
        Partner = self.Partner.with_user(self.client_user)
        kept = Partner.create({"name": "Kept", "phone": "+371 26 123 456", "email": "kept@example.lv"})
        gone = Partner.create(
            {
                "name": "Gone",
                "phone_ids": [(0, 0, {"number": "0037126123456"}), (0, 0, {"number": "+371 26 999 999"})],
                "email_ids": [(0, 0, {"email": "gone@example.lv"})],
            }
        )
        wizard = self.env["base.partner.merge.automatic.wizard"].create({})
        wizard._merge((kept | gone).ids, kept, extra_checks=False)
        self.assertFalse(gone.exists())
        self.assertEqual(sorted(kept.phone_ids.mapped("number_e164")), ["+37126123456", "+37126999999"])
        self.assertEqual(sorted(kept.email_ids.mapped("email")), ["gone@example.lv", "kept@example.lv"])
        self.assertEqual(len(kept.phone_ids.filtered("is_primary")), 1)
        self.assertEqual(kept.phone, "+371 26 123 456", "the kept client's primary stays")


@tagged("post_install", "-at_install")
class TestInstallMigration(ClientCase):
    def test_native_phone_and_email_become_primary_lines(self):
        lv = self.env.ref("base.lv")
        kz = self.env.ref("base.kz")
        # partners as they were before the addon: native fields only, no lines
        partners = self.Partner.create(
            [
                {"name": "Old LV", "country_id": lv.id},
                {"name": "Old KZ", "country_id": kz.id},
                {"name": "Old junk"},
            ]
        )
        self.env.flush_all()
        self.env.cr.execute(
            """UPDATE res_partner SET phone = v.phone, email = v.email, email_normalized = v.norm
                 FROM (VALUES (%s, '26 123 456', 'Old@Example.lv', 'old@example.lv'),
                              (%s, '8 (777) 785-99-54', NULL, NULL),
                              (%s, 'ask the boss', 'not-an-address', NULL)) AS v(id, phone, email, norm)
                WHERE res_partner.id = v.id""",
            partners.ids,
        )
        self.env.cr.execute("INSERT INTO phone_blacklist (number, active) VALUES ('+77777859954', TRUE)")
        self.env.invalidate_all()
        unparsed = migrate_native_channels(self.env)
        old_lv, old_kz, junk = partners
        self.assertEqual(old_lv.phone_ids.number_e164, "+37126123456")
        self.assertTrue(old_lv.phone_ids.is_primary)
        self.assertEqual(old_lv.phone_ids.number, "26 123 456", "the line keeps the number as typed")
        self.assertEqual(old_lv.phone, "26 123 456", "the native phone keeps what was typed")
        self.assertEqual(old_lv.email_ids.email, "old@example.lv")
        self.assertEqual(old_lv.email, "Old@Example.lv", "the native e-mail keeps what was typed")
        self.assertEqual(old_kz.phone_ids.number_e164, "+77777859954")
        self.assertFalse(old_kz.phone_ids.sms, "blacklisted numbers keep their opt-out")
        self.assertEqual(junk.phone_ids.number, "ask the boss", "kept as typed, never dropped")
        self.assertFalse(junk.phone_ids.number_e164)
        self.assertIn("ask the boss", unparsed, "listed")
        self.assertEqual(
            self.Partner.with_user(self.client_user).find_by_phone("+371 26 123 456"),
            old_lv,
            "migrated numbers are found by the lookup",
        )
        self.assertEqual(junk.email_ids.email, "not-an-address")
        # partners that already had lines are left alone; running again adds nothing
        before = self.env["res.partner.phone"].search_count([])
        migrate_native_channels(self.env)
        self.assertEqual(self.env["res.partner.phone"].search_count([]), before)
        action = self.env.ref("client_management.action_phone_numbers")
        self.assertIn("filter_to_check", action.context)

    def test_migration_is_set_based(self):
        import inspect

        from .. import hooks

        source = inspect.getsource(hooks.migrate_native_channels)
        self.assertIn("INSERT INTO res_partner_phone", source)
        self.assertNotIn(".create(", source)


@tagged("post_install", "-at_install")
class TestLineActions(ClientCase):
    def test_actions_per_line(self):
        partner = self.Partner.create(
            {
                "name": "Actions",
                "phone_ids": [(0, 0, {"number": "+371 26 123 456", "whatsapp": True, "viber": True})],
                "email_ids": [(0, 0, {"email": "act@example.lv"})],
            }
        )
        line = partner.phone_ids.with_user(self.client_user)
        self.assertEqual(line.action_call()["params"]["url"], "tel:+37126123456")
        # the messengers open the message composer (see test_message_templates.py)
        for channel in ("whatsapp", "viber", "sms"):
            action = getattr(line, "action_" + channel)()
            self.assertEqual(action["res_model"], "client.message.composer")
            self.assertEqual(action["context"], {"default_phone_id": line.id, "default_channel": channel})
        self.assertEqual(line._cm_channel_url("whatsapp"), "https://wa.me/37126123456")
        self.assertIn("%2B37126123456", line._cm_channel_url("viber"))
        self.assertEqual(line._cm_channel_url("sms"), "sms:+37126123456")
        mail = partner.email_ids.with_user(self.client_user).action_send_email()
        self.assertEqual(mail["res_model"], "mail.compose.message")
        arch = self.env["res.partner.phone"].get_view(
            self.env.ref("client_management.res_partner_phone_view_list_embedded").id, "list"
        )["arch"]
        self.assertIn('name="action_whatsapp"', arch)
        self.assertIn("not whatsapp", arch, "WhatsApp shown only when ticked")


@tagged("post_install", "-at_install")
class TestChannelsCardAndAccess(ClientCase):
    def test_card_has_editable_reorderable_lists(self):
        arch = self.Partner.with_user(self.client_user).get_view(view_type="form")["arch"]
        self.assertIn('name="phone_ids"', arch)
        self.assertIn('name="email_ids"', arch)
        phones = self.env["res.partner.phone"].get_view(
            self.env.ref("client_management.res_partner_phone_view_list_embedded").id, "list"
        )["arch"]
        for needle in ('widget="handle"', 'name="is_primary"', 'name="whatsapp"', 'name="viber"', 'name="sms"'):
            self.assertIn(needle, phones)
        emails = self.env["res.partner.email"].get_view(
            self.env.ref("client_management.res_partner_email_view_list_embedded").id, "list"
        )["arch"]
        self.assertIn('name="consent"', emails)

    def test_access_of_both_clients_groups(self):
        partner = self.Partner.create({"name": "Access", "phone": "+371 26 123 456", "email": "acc@example.lv"})
        for user in (self.client_user, self.client_manager):
            line = (
                self.env["res.partner.phone"]
                .with_user(user)
                .create({"partner_id": partner.id, "number": f"+371 26 00{user.id:04d}"[:15]})
            )
            self.assertTrue(line.number_e164)
            line.unlink()
        plain = self.env["res.partner.phone"].with_user(self.plain_user)
        self.assertEqual(plain.search([("partner_id", "=", partner.id)]).number, "+371 26 123 456", "employees read")
        with self.assertRaises(AccessError):
            plain.create({"partner_id": partner.id, "number": "+371 26 777 777"})
        with self.assertRaises(AccessError):
            self.env["res.partner.email"].with_user(self.plain_user).create(
                {"partner_id": partner.id, "email": "x@example.lv"}
            )
