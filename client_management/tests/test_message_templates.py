from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .test_invoicing_common import InvoicingCase

PHONE_MODEL = "odoo.addons.client_management.models.res_partner_phone_actions.ResPartnerPhone"


@tagged("post_install", "-at_install")
class TestMessageTemplates(InvoicingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client.write(
            {
                "user_id": cls.client_manager.id,
                "phone_ids": [
                    Command.create({"number": "+371 26 123 456", "whatsapp": True, "viber": True}),
                    Command.create({"number": "+7 912 345 67 89", "whatsapp": False, "viber": False}),
                ],
            }
        )
        cls.line = cls.client.phone_ids.filtered(lambda line: line.number_e164 == "+37126123456")
        cls.other_line = cls.client.phone_ids - cls.line
        cls.Template = cls.env["client.message.template"]
        cls.template = cls.Template.create(
            {
                "name": "Reminder",
                "channel": "whatsapp",
                "body": "Hello {client}, {manager} of {company}: {amount_due} to pay.",
            }
        )

    def compose(self, user, line=None, channel="whatsapp", template=None, body=None):
        line = (line or self.line).with_user(user)
        action = line.action_whatsapp() if channel == "whatsapp" else getattr(line, "action_" + channel)()
        self.assertEqual(action["res_model"], "client.message.composer")
        composer = self.env["client.message.composer"].with_user(user).with_context(**action["context"])
        values = {"template_id": template.id} if template else {}
        if body is not None:
            values["body"] = body
        return composer.create(values)

    def channel_messages(self, channel):
        self.flush_tracking()
        subtype = self.env.ref("client_management.mt_message_" + channel)
        return self.client.message_ids.filtered(lambda message: message.subtype_id == subtype)

    # ------------------------------------------------------------------ rendering
    def test_placeholders_are_filled_for_the_client(self):
        self.make_move(self.client, amount=123.45)
        self.flush_tracking()
        body = self.template.with_user(self.accountant)._cm_render(self.client.with_user(self.accountant))
        company = self.env.company
        self.assertIn(f"Hello Invoiced Client SIA, Mark Manager of {company.name}: ", body)
        self.assertIn("123.45", body, "an accounting user gets the amount due")
        self.assertNotIn("{", body)

    def test_amount_due_never_reaches_other_users(self):
        self.make_move(self.client, amount=123.45)
        self.flush_tracking()
        body = self.template.with_user(self.client_user)._cm_render(self.client.with_user(self.client_user))
        self.assertNotIn("123", body, "no figure for a user who may not read invoicing figures")
        self.assertNotIn("{amount_due}", body)
        composer = self.compose(self.client_user, template=self.template)
        self.assertNotIn("123", composer.body)
        self.assertTrue(composer.amount_hidden, "the composer says why the amount is missing")
        accountant_composer = self.compose(self.accountant, template=self.template)
        self.assertIn("123.45", accountant_composer.body)
        self.assertFalse(accountant_composer.amount_hidden)

    def test_manager_defaults_to_the_sender(self):
        self.client.user_id = False
        body = self.template.with_user(self.client_user)._cm_render(self.client.with_user(self.client_user))
        self.assertIn("Clara User of", body)

    def test_unknown_placeholder_refused_on_save_and_kept_when_typed(self):
        with self.assertRaisesRegex(ValidationError, r"\{price\}"):
            self.Template.with_user(self.client_manager).create(
                {"name": "Bad", "channel": "sms", "body": "Hello {client}, {price}"}
            )
        text = self.Template._cm_render_text("Hi {client}, {price} and {{ client }} stay", self.client)
        self.assertEqual(text, "Hi Invoiced Client SIA, {price} and {{ client }} stay", "no evaluation of user text")

    def test_template_in_the_clients_language(self):
        self.env["res.lang"]._activate_lang("lv_LV")
        self.template.with_context(lang="lv_LV").body = "Labdien, {client}!"
        self.client.lang = "lv_LV"
        self.assertEqual(self.template._cm_render(self.client), "Labdien, Invoiced Client SIA!")
        self.client.lang = "en_US"
        self.assertTrue(self.template._cm_render(self.client).startswith("Hello Invoiced Client SIA"))

    def test_shipped_templates_per_channel(self):
        shipped = self.env.ref("client_management.message_template_whatsapp_hello")
        self.assertIn("{client}", shipped.body)
        for channel in ("whatsapp", "viber", "sms"):
            self.assertTrue(self.Template.search_count([("channel", "=", channel)]), channel)

    # ------------------------------------------------------------------ sending
    def test_whatsapp_link_exact_and_logged(self):
        composer = self.compose(self.client_user, body="Привет, Анна + 2 people & co")
        action = composer.action_send()
        self.assertEqual(action["tag"], "client_management.open_link")
        self.assertEqual(
            action["params"]["url"],
            "https://wa.me/37126123456?text=%D0%9F%D1%80%D0%B8%D0%B2%D0%B5%D1%82%2C%20%D0%90%D0%BD%D0%BD%D0%B0"
            "%20%2B%202%20people%20%26%20co",
        )
        messages = self.channel_messages("whatsapp")
        self.assertEqual(len(messages), 1, "logged once, with the WhatsApp subtype")
        self.assertIn("Привет, Анна + 2 people &amp; co", messages.body)
        self.assertIn("+371 26 123 456", messages.body, "the number it went to")
        self.assertEqual(messages.author_id, self.client_user.partner_id)
        self.assertTrue(messages.subtype_id.internal, "an internal note: never mailed to the client")

    def test_viber_link_exact_and_logged(self):
        composer = self.compose(self.client_user, channel="viber", template=self.template, body="Hello Anna")
        url = composer.action_send()["params"]["url"]
        self.assertEqual(url, "viber://chat?number=%2B37126123456&text=Hello%20Anna")
        self.assertEqual(len(self.channel_messages("viber")), 1)
        self.assertFalse(self.channel_messages("whatsapp"))

    def test_template_fills_the_text_and_it_stays_editable(self):
        hello = self.env.ref("client_management.message_template_whatsapp_hello")
        composer = self.compose(self.client_user, template=hello)
        self.assertTrue(composer.body.startswith("Hello Invoiced Client SIA, this is Mark Manager"))
        composer.body = "Edited text"
        composer.action_send()
        self.assertIn("Edited text", self.channel_messages("whatsapp").body)

    def test_empty_text_refused(self):
        composer = self.compose(self.client_user, body="  ")
        with self.assertRaisesRegex(UserError, "Write the message"):
            composer.action_send()

    def test_sms_without_odoo_sms_is_logged_with_an_sms_link(self):
        with patch(PHONE_MODEL + "._cm_sms_composer_available", return_value=False):
            composer = self.compose(self.client_user, channel="sms", body="Your order is ready")
            url = composer.action_send()["params"]["url"]
        self.assertEqual(url, "sms:+37126123456?body=Your%20order%20is%20ready")
        self.assertEqual(len(self.channel_messages("sms")), 1)

    def test_sms_goes_through_odoos_sms_composer_when_installed(self):
        with patch(PHONE_MODEL + "._cm_sms_composer_available", return_value=True):
            composer = self.compose(self.client_user, channel="sms", body="Your order is ready")
            action = composer.action_send()
        self.assertEqual(action["res_model"], "sms.composer")
        self.assertEqual(action["context"]["default_body"], "Your order is ready")
        self.assertEqual(action["context"]["default_recipient_single_number_itf"], "+37126123456")
        self.assertEqual(action["context"]["default_res_id"], self.client.id)
        self.assertFalse(self.channel_messages("sms"), "Odoo's SMS stack logs it: not logged twice")
        if "sms.composer" in self.env:
            sms = self.env["sms.composer"].with_user(self.client_user).with_context(**action["context"]).create({})
            self.assertEqual(sms.body, "Your order is ready")
            self.assertEqual(sms.recipient_single_number_itf, "+37126123456")
        else:
            self.assertFalse(self.line._cm_sms_composer_available(), "without sms, its own fallback")

    # ------------------------------------------------------------------ opt-outs and access
    def test_blacklisted_number_refused(self):
        self.line.with_user(self.client_user).sms = False  # the client opted out
        self.assertTrue(self.env["phone.blacklist"].sudo().search([("number", "=", "+37126123456")]))
        with self.assertRaisesRegex(UserError, r"\+371 26 123 456 asked not to receive messages"):
            self.line.with_user(self.client_user).action_whatsapp()
        # a composer opened before the opt-out sends nothing either
        self.line.sudo().sms = True
        composer = self.compose(self.client_user, body="Hello")
        self.line.with_user(self.client_user).sms = False
        with self.assertRaisesRegex(UserError, "asked not to receive messages"):
            composer.action_send()
        self.assertFalse(self.channel_messages("whatsapp"))

    def test_channel_not_ticked_refused(self):
        with self.assertRaisesRegex(UserError, r"\+7 912 345 67 89 is not marked for WhatsApp"):
            self.other_line.with_user(self.client_user).action_whatsapp()
        arch = self.env["res.partner.phone"].get_view(
            self.env.ref("client_management.res_partner_phone_view_list_embedded").id, "list"
        )["arch"]
        self.assertIn("not whatsapp", arch, "the button is hidden when the box is unticked")

    def test_only_users_who_may_read_the_client_compose(self):
        other_company = self.env["res.company"].create({"name": "Other Company"})
        stranger = new_test_user(
            self.env,
            login="cm_stranger",
            groups="client_management.group_client_user",
            company_id=other_company.id,
            company_ids=[Command.set(other_company.ids)],
        )
        self.client.company_id = self.env.company
        with self.assertRaises(AccessError):
            self.line.with_user(stranger).action_whatsapp()
        Composer = self.env["client.message.composer"].with_user(stranger)
        with self.assertRaises(AccessError, msg="no composer on another company's line (its number, its client)"):
            Composer.create({"phone_id": self.line.id, "channel": "whatsapp", "body": "Hi"})
        own_client = self.Partner.create({"name": "Stranger's client", "company_id": other_company.id})
        own_line = self.env["res.partner.phone"].create({"partner_id": own_client.id, "number": "+37126000111"})
        composer = Composer.create({"phone_id": own_line.id, "channel": "whatsapp", "body": "Hi"})
        with self.assertRaises(AccessError, msg="nor moved onto it"):
            composer.write({"phone_id": self.line.id})
        self.assertEqual(composer.number, "+37126000111")
        self.assertFalse(self.channel_messages("whatsapp"))

    def test_users_who_may_not_edit_the_client_log_nothing(self):
        """An internal user who may only read the client has no message buttons, and posting on
        the client stays refused as everywhere in Odoo."""
        view_id = self.env.ref("client_management.res_partner_phone_view_list_embedded").id
        arch = self.env["res.partner.phone"].with_user(self.plain_user).get_view(view_id, "list")["arch"]
        self.assertNotIn('name="action_whatsapp"', arch)
        self.assertIn('name="action_call"', arch)
        composer = (
            self.env["client.message.composer"]
            .with_user(self.plain_user)
            .create({"phone_id": self.line.id, "channel": "whatsapp", "body": "Hi"})
        )
        with self.assertRaises(AccessError):
            composer.action_send()
        self.assertFalse(self.channel_messages("whatsapp"))

    def test_portal_users_get_nothing(self):
        portal = new_test_user(self.env, login="cm_portal_msg", groups="base.group_portal")
        for model in ("client.message.template", "client.message.composer"):
            with self.assertRaises(AccessError, msg=model):
                self.env[model].with_user(portal).search([])

    def test_templates_read_by_users_written_by_managers(self):
        self.assertIn(self.template, self.Template.with_user(self.plain_user).search([]))
        with self.assertRaises(AccessError):
            self.template.with_user(self.client_user).write({"body": "Changed"})
        self.template.with_user(self.client_manager).write({"body": "Changed {client}"})
        other_company = self.env["res.company"].create({"name": "Other Company"})
        foreign = self.Template.create(
            {"name": "Foreign", "channel": "sms", "body": "x", "company_id": other_company.id}
        )
        self.assertNotIn(foreign, self.Template.with_user(self.client_user).search([]), "another company's template")

    def test_composers_are_private(self):
        composer = self.compose(self.client_user, body="Secret draft")
        other = self.env["client.message.composer"].with_user(self.client_manager).search([("id", "=", composer.id)])
        self.assertFalse(other, "a user never sees another user's composer")


@tagged("post_install", "-at_install")
class TestMessageTemplateTour(HttpCase):
    def test_client_message_tour(self):
        """A Clients user opens a card, clicks WhatsApp on a line, picks a template, sees the
        client's name in the text, sends, and finds the message on the timeline."""
        new_test_user(self.env, login="cm_msg_tour", name="Tour Sender", groups="client_management.group_client_user")
        partner = self.env["res.partner"].create(
            {
                "name": "Tour Message Client",
                "phone_ids": [Command.create({"number": "+371 26 555 444", "whatsapp": True})],
            }
        )
        self.start_tour(
            f"/odoo/action-client_management.action_clients/{partner.id}",
            "client_management_message_tour",
            login="cm_msg_tour",
        )
        subtype = self.env.ref("client_management.mt_message_whatsapp")
        logged = partner.message_ids.filtered(lambda message: message.subtype_id == subtype)
        self.assertEqual(len(logged), 1)
        self.assertIn("Hello Tour Message Client, this is Tour Sender", logged.body)
