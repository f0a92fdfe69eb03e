from odoo.tests import tagged
from odoo.tools import html2plaintext

from .common import ClientCase


@tagged("post_install", "-at_install")
class TestMeetingMinutes(ClientCase):
    def test_minutes_have_their_own_subtype_and_are_filtered_apart(self):
        client = self.Partner.create({"name": "Meeting Client"})
        partner = client.with_user(self.client_user)
        partner.message_post(body="Just a note", message_type="comment", subtype_xmlid="mail.mt_note")
        partner.log_meeting_minutes("Agreed on a yearly contract")
        subtype = self.env.ref("client_management.mt_meeting_minutes")
        self.assertTrue(subtype.internal, "minutes stay internal like notes")
        self.assertEqual(partner.cm_meeting_minutes_count, 1)
        action = partner.action_cm_meeting_minutes()
        minutes = self.env["mail.message"].with_user(self.client_user).search(action["domain"])
        self.assertEqual([html2plaintext(body) for body in minutes.mapped("body")], ["Agreed on a yearly contract"])
        self.assertNotIn("Just a note", " ".join(map(str, minutes.mapped("body"))))

    def test_log_minutes_button_opens_composer_with_subtype(self):
        client = self.Partner.create({"name": "Meeting Client"})
        action = client.with_user(self.client_user).action_cm_log_meeting_minutes()
        self.assertEqual(action["res_model"], "mail.compose.message")
        self.assertEqual(action["context"]["default_subtype_xmlid"], "client_management.mt_meeting_minutes")
        composer = (
            self.env["mail.compose.message"]
            .with_user(self.client_user)
            .with_context(**action["context"])
            .create({"body": "<p>Minutes of the visit</p>"})
        )
        composer._action_send_mail()
        self.assertEqual(client.cm_meeting_minutes_count, 1)

    def test_send_email_and_map_buttons(self):
        client = self.Partner.create(
            {"name": "Mapped", "email": "mapped@example.com", "street": "Brivibas iela 1", "city": "Riga"}
        )
        action = client.with_user(self.client_user).action_cm_show_on_map()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertTrue(action["url"].startswith("https://www.openstreetmap.org/search?query="))
        self.assertIn("Brivibas+iela+1%2C+Riga", action["url"])
        email = client.with_user(self.client_user).action_cm_send_email()
        self.assertEqual(email["context"]["default_partner_ids"], client.ids)
        nowhere = self.Partner.create({"name": "No address"})
        self.assertEqual(nowhere.action_cm_show_on_map()["tag"], "display_notification")
