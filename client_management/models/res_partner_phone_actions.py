"""The actions of a phone line on the client card: call, and WhatsApp / Viber / SMS through
the message composer (client.message.composer)."""

import re
from urllib.parse import quote

from odoo import api, models
from odoo.exceptions import UserError


class ResPartnerPhone(models.Model):
    # the phone line is extended by concern (data and opt-outs, actions), files under 400 lines
    _inherit = "res.partner.phone"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Actions of a line
    # ------------------------------------------------------------------
    def _cm_digits(self):
        return re.sub(r"\D", "", self.number_e164 or self.number or "")

    def _cm_open_link(self, url):
        """Open ``url`` (https, tel:, sms:, viber:) in the browser. Odoo's ``act_url`` turns any
        address that does not start with "http" or "/" into a path of the server, so the links
        of the messengers go through a small client action (static/src/links)."""
        return {"type": "ir.actions.client", "tag": "client_management.open_link", "params": {"url": url}}

    def action_call(self):
        self.ensure_one()
        return self._cm_open_link("tel:" + (self.number_e164 or self.number))

    def _cm_channel_url(self, channel, text=""):
        """The deep link of a messenger for this number with ``text`` filled in: spaces, "+",
        Cyrillic and every other character percent-encoded (UTF-8).

        - WhatsApp: ``https://wa.me/<E.164 digits>?text=...`` (WhatsApp's click to chat);
        - Viber: ``viber://chat?number=%2B<digits>&text=...``: the number with its "+"
          encoded (the mobile apps read a bare "+" as a space); Viber opens the chat with the
          number, and fills the text in where the installed app supports it;
        - SMS (without Odoo's ``sms`` module): ``sms:+<digits>?body=...`` (RFC 5724)."""
        self.ensure_one()
        digits = self._cm_digits()
        encoded = quote(text or "", safe="")
        if channel == "whatsapp":
            url = "https://wa.me/" + digits
            return url + "?text=" + encoded if text else url
        if channel == "viber":
            url = "viber://chat?number=%2B" + digits
            return url + "&text=" + encoded if text else url
        url = "sms:+" + digits
        return url + "?body=" + encoded if text else url

    def _cm_check_channel(self, channel):
        """Refuse a message on a channel the line is not marked for, or to a number that opted
        out (Odoo's phone blacklist: the SMS box unticked)."""
        self.ensure_one()
        labels = dict(self.env["client.message.template"]._fields["channel"]._description_selection(self.env))
        if not self[channel]:
            raise UserError(
                self.env._(
                    "%(number)s is not marked for %(channel)s on %(client)s's card.",
                    number=self.number,
                    channel=labels[channel],
                    client=self.partner_id.display_name,
                )
            )
        if self.number_e164 and self._cm_blacklisted({self.number_e164}):
            raise UserError(
                self.env._(
                    "%(number)s asked not to receive messages (it is in the phone blacklist): nothing was sent.",
                    number=self.number,
                )
            )
        if not self.number_e164:
            raise UserError(
                self.env._("%(number)s could not be read as a phone number: correct it first.", number=self.number)
            )

    def _cm_open_composer(self, channel):
        """The small composer of the line: a template, the text, Send."""
        self.ensure_one()
        self.partner_id.check_access("read")
        self._cm_check_channel(channel)
        labels = dict(self.env["client.message.template"]._fields["channel"]._description_selection(self.env))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("%(channel)s message", channel=labels[channel]),
            "res_model": "client.message.composer",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_phone_id": self.id, "default_channel": channel},
        }

    def action_whatsapp(self):
        return self._cm_open_composer("whatsapp")

    def action_viber(self):
        return self._cm_open_composer("viber")

    def action_sms(self):
        return self._cm_open_composer("sms")

    @api.model
    def _cm_sms_composer_available(self):
        return "sms.composer" in self.env

    def _cm_sms_composer_action(self, body):
        """Odoo's SMS composer on the client, with the text and this number: Odoo's SMS stack
        sends the message and logs it on the client's timeline."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send SMS"),
            "res_model": "sms.composer",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_res_model": "res.partner",
                "default_res_id": self.partner_id.id,
                "default_composition_mode": "comment",
                "default_recipient_single_number_itf": self.number_e164 or self.number,
                "default_body": body,
            },
        }
