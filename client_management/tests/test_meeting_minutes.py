from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import html2plaintext

from ..models.res_partner_meeting_minutes import MEETING_MINUTES
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

    def test_minutes_written_from_the_card_are_a_prefilled_log_note_never_sent(self):
        company = self.Partner.create({"name": "Minutes Company SIA", "is_company": True, "email": "co@example.com"})
        contact = self.Partner.create(
            {"name": "Minutes Contact Ilze", "parent_id": company.id, "email": "ilze@example.com"}
        )
        company.message_subscribe(partner_ids=company.ids)  # the client follows itself: still nothing is sent
        arch = company.with_user(self.client_user).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="action_cm_log_meeting_minutes"', arch, "the card has the button")
        action = company.with_user(self.client_user).action_cm_log_meeting_minutes()
        composer = (
            self.env["mail.compose.message"].with_user(self.client_user).with_context(**action["context"]).create({})
        )
        text = html2plaintext(composer.body)
        self.assertIn("Meeting minutes", text)
        self.assertIn("Clara User", text, "the user takes part")
        self.assertIn("Minutes Company SIA", text)
        self.assertIn("Minutes Contact Ilze", text, "and the company's contact persons")
        self.assertTrue(composer.subtype_is_log, "the composer is in log-note mode: no recipients, a Log button")
        self.assertFalse(composer.partner_ids)
        # sudo: the outgoing mail queue, which a Clients user may not read
        mails_before = self.env["mail.mail"].sudo().search_count([])
        composer._action_send_mail()
        message = company.message_ids[0]
        self.assertEqual(message.subtype_id, self.env.ref("client_management.mt_meeting_minutes"))
        self.assertTrue(message.subtype_id.internal, "customers and portal users never see the minutes")
        self.assertFalse(message.notified_partner_ids & (company | contact), "nothing reaches the client")
        self.assertEqual(self.env["mail.mail"].sudo().search_count([]), mails_before, "no e-mail is sent")
        self.assertEqual(company.cm_meeting_minutes_count, 1)

    def test_other_composers_keep_odoo_log_detection(self):
        client = self.Partner.create({"name": "Plain composer"})
        composer = (
            self.env["mail.compose.message"]
            .with_context(
                default_model="res.partner", default_res_ids=client.ids, default_subtype_xmlid="mail.mt_comment"
            )
            .create({"body": "Hello"})
        )
        self.assertFalse(composer.subtype_is_log, "a message stays a message")
        composer.subtype_id = self.env.ref("mail.mt_note")
        self.assertTrue(composer.subtype_is_log, "a note stays a note")


@tagged("post_install", "-at_install")
class TestMeetingMinutesTour(HttpCase):
    def test_minutes_written_from_the_card(self):
        """A Clients user opens a client, logs minutes from the card: a note of the Meeting
        minutes subtype, sent to nobody, counted by the card's button."""
        user = new_test_user(
            self.env, login="cm_minutes", name="Minutes User", groups="client_management.group_client_user"
        )
        client = self.env["res.partner"].create(
            {"name": "Tour Minutes Client", "email": "minutes@client.example", "user_id": user.id}
        )
        client.message_subscribe(partner_ids=client.ids)
        self.start_tour(f"/odoo/res.partner/{client.id}", "client_management_minutes_tour", login="cm_minutes")
        minutes = client.message_ids.filtered(lambda m: m.subtype_id == self.env.ref(MEETING_MINUTES))
        self.assertEqual(len(minutes), 1)
        self.assertIn("Agreed on a yearly service contract", str(minutes.body))
        self.assertIn("Tour Minutes Client", str(minutes.body), "the pre-filled participants are kept")
        self.assertEqual(minutes.author_id, user.partner_id)
        self.assertFalse(minutes.notification_ids, "a note: nobody is notified, not even the client following itself")
