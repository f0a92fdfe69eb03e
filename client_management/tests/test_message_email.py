from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import ClientCase


@tagged("post_install", "-at_install")
class TestEmailLineComposer(ClientCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client = cls.Partner.create(
            {
                "name": "Mail Client",
                "email_ids": [
                    Command.create({"email": "main@client.example"}),
                    Command.create({"email": "accounting@client.example"}),
                ],
            }
        )
        cls.primary = cls.client.email_ids.filtered("is_primary")
        cls.secondary = cls.client.email_ids - cls.primary

    def composer(self, line, user, body="Here is the offer"):
        action = line.with_user(user).action_send_email()
        self.assertEqual(action["res_model"], "mail.compose.message")
        Composer = self.env["mail.compose.message"].with_user(user).with_context(**action["context"])
        return Composer.create({"body": body, "subject": "Offer"})

    def test_secondary_address_gets_the_mail_and_it_is_logged(self):
        partners_before = self.Partner.with_context(active_test=False).search_count([])
        composer = self.composer(self.secondary, self.client_user)
        self.assertEqual(composer.cm_email_to, "accounting@client.example")
        self.assertFalse(composer.partner_ids, "the client's primary address is not a recipient")
        composer.action_send_mail()
        message = self.client.message_ids.filtered(lambda m: m.subject == "Offer")
        self.assertEqual(len(message), 1, "logged on the client's timeline")
        self.assertEqual(message.outgoing_email_to, "accounting@client.example")
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        mails = self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)])
        self.assertIn("accounting@client.example", " ".join(mails.mapped("email_to")), "sent to that address")
        self.assertNotIn(self.client, mails.recipient_ids, "not to the primary address")
        self.assertEqual(
            self.Partner.with_context(active_test=False).search_count([]),
            partners_before,
            "no contact created for the address",
        )

    def test_composer_shows_the_address(self):
        arch = self.env["mail.compose.message"].with_user(self.client_user).get_view(view_type="form")["arch"]
        self.assertIn('name="cm_email_to"', arch)
        self.assertIn("not cm_email_to", arch, "shown only for another address of the client")

    def test_primary_address_goes_to_the_client(self):
        composer = self.composer(self.primary, self.client_user)
        self.assertFalse(composer.cm_email_to)
        self.assertEqual(composer.partner_ids, self.client)

    def test_opted_out_address_refused(self):
        self.secondary.with_user(self.client_user).consent = False
        with self.assertRaisesRegex(UserError, "accounting@client.example asked not to receive e-mails"):
            self.secondary.with_user(self.client_user).action_send_email()
        # a composer opened before the opt-out sends nothing
        self.secondary.sudo().consent = True
        composer = self.composer(self.secondary, self.client_user)
        self.secondary.with_user(self.client_user).consent = False
        with self.assertRaisesRegex(UserError, "asked not to receive e-mails"):
            composer.action_send_mail()
        self.assertFalse(self.client.message_ids.filtered(lambda m: m.subject == "Offer"))

    def test_other_composers_unchanged(self):
        composer = (
            self.env["mail.compose.message"]
            .with_user(self.client_user)
            .with_context(default_model="res.partner", default_res_ids=self.client.ids)
            .create({"body": "Plain", "subject": "Plain", "partner_ids": [Command.set(self.client.ids)]})
        )
        self.assertFalse(composer.cm_email_to)
        composer.action_send_mail()
        message = self.client.message_ids.filtered(lambda m: m.subject == "Plain")
        self.assertFalse(message.outgoing_email_to)

    def test_only_users_who_may_read_the_client(self):
        other_company = self.env["res.company"].create({"name": "Mail Other Company"})
        stranger = new_test_user(
            self.env,
            login="cm_mail_stranger",
            groups="client_management.group_client_user",
            company_id=other_company.id,
            company_ids=[Command.set(other_company.ids)],
        )
        self.client.company_id = self.env.company
        with self.assertRaises(AccessError):
            self.secondary.with_user(stranger).action_send_email()
