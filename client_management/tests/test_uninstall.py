from odoo import Command
from odoo.addons.client_management import uninstall_hook
from odoo.tests import tagged

from .common import ClientCase


@tagged("post_install", "-at_install")
class TestUninstallKeepsChannels(ClientCase):
    def notes(self, partner):
        note = self.env.ref("mail.mt_note")
        return partner.message_ids.filtered(
            lambda message: message.subtype_id == note and "Clients app was uninstalled" in str(message.body)
        )

    def test_hook_posts_every_number_and_address_on_the_timeline(self):
        Partner = self.Partner.with_user(self.client_user)
        work = self.env.ref("client_management.phone_type_work")
        many = Partner.create(
            {
                "name": "Many channels",
                "phone_ids": [
                    Command.create({"number": "+371 26 123 456", "is_primary": True}),
                    Command.create({"number": "+371 67 000 000", "type_id": work.id, "whatsapp": True}),
                    Command.create({"number": "+371 29 000 111", "viber": True, "sms": False}),
                ],
                "email_ids": [
                    Command.create({"email": "main@example.lv", "is_primary": True}),
                    Command.create({"email": "old@example.lv", "consent": False}),
                ],
            }
        )
        simple = Partner.create({"name": "Simple", "phone": "+371 26 999 999", "email": "simple@example.lv"})
        opted_out = Partner.create({"name": "Opted out", "email": "stop@example.lv"})
        opted_out.email_ids.consent = False
        whatsapp_only = Partner.create({"name": "WhatsApp", "phone": "+371 26 888 888"})
        whatsapp_only.phone_ids.whatsapp = True

        count = uninstall_hook(self.env)

        self.assertFalse(self.notes(simple), "nothing the native fields cannot hold")
        self.assertEqual(len(self.notes(opted_out)), 1, "an e-mail opt-out is noted")
        self.assertEqual(len(self.notes(whatsapp_only)), 1, "WhatsApp is noted")
        note = self.notes(many)
        self.assertEqual(len(note), 1)
        self.assertGreaterEqual(count, 3)
        body = str(note.body)
        for expected in (
            "<li>+371 26 123 456 (Mobile, primary)</li>",
            "<li>+371 67 000 000 (Work, WhatsApp)</li>",
            "<li>+371 29 000 111 (Mobile, Viber, no SMS (opted out))</li>",
            "<li>main@example.lv (primary)</li>",
            "<li>old@example.lv (no e-mail (opted out))</li>",
        ):
            self.assertIn(expected, body)
        self.assertLess(body.index("+371 26 123 456"), body.index("+371 67 000 000"), "primary first")
        self.assertTrue(note.is_internal, "an internal note, never shown to portal users")
        self.assertEqual(note.message_type, "comment")

    def test_user_text_is_escaped(self):
        odd_type = self.env["res.partner.phone.type"].create({"name": "Dacha & <b>Co</b>"})
        partner = self.Partner.create(
            {"name": "Hostile", "phone": "<img src=x onerror=alert(1)>", "email": "<script>alert('x')</script>"}
        )
        partner.phone_ids.type_id = odd_type
        self.assertEqual(partner.phone_ids.number, "<img src=x onerror=alert(1)>", "kept as typed")

        uninstall_hook(self.env)

        body = str(self.notes(partner).body)
        self.assertNotIn("<img", body)
        self.assertNotIn("<script", body)
        self.assertNotIn("<b>Co", body)
        self.assertIn("&lt;img src=x onerror=alert(1)&gt;", body)
        self.assertIn("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", body)
        self.assertIn("Dacha &amp; &lt;b&gt;Co&lt;/b&gt;", body)

    def test_hook_keeps_conflict_note_birthdate_and_channel(self):
        source = self.env["utm.source"].create({"name": "Fair <2026>"})
        partner = self.Partner.create(
            {
                "name": "Remembered",
                "is_conflict": True,
                "conflict_note": "Insulted the cashier & left",
                "birthdate": "1980-02-29",
                "acquisition_source_id": source.id,
            }
        )
        plain = self.Partner.create({"name": "Nothing to keep"})

        uninstall_hook(self.env)

        note = partner.message_ids.filtered(lambda m: "what it recorded about this client" in str(m.body))
        self.assertEqual(len(note), 1)
        body = str(note.body)
        self.assertIn("<li>Conflict client</li>", body)
        self.assertIn("<li>Conflict note: Insulted the cashier &amp; left</li>", body)
        self.assertIn("<li>Birthdate: 1980-02-29</li>", body)
        self.assertIn("<li>How did the client hear about us: Fair &lt;2026&gt;</li>", body)
        self.assertTrue(note.is_internal)
        self.assertFalse(plain.message_ids.filtered(lambda m: "what it recorded" in str(m.body)))
