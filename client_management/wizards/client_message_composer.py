"""The small composer of a phone line's WhatsApp / Viber / SMS button: pick a template, edit
the text, send. Sending logs the text on the client's timeline (a subtype per channel) and opens
the messenger with the text filled in; an SMS goes through Odoo's SMS composer when ``sms`` is
installed (which logs it itself)."""

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.mail import plaintext2html

from ..models.client_message_template import CHANNELS

SUBTYPES = {
    "whatsapp": "client_management.mt_message_whatsapp",
    "viber": "client_management.mt_message_viber",
    "sms": "client_management.mt_message_sms",
}


class ClientMessageComposer(models.TransientModel):
    _name = "client.message.composer"
    _description = "Message to a client from a template"

    phone_id = fields.Many2one("res.partner.phone", string="Number", required=True, ondelete="cascade")
    # read as the user: the composer shows nothing of a line the user may not read
    partner_id = fields.Many2one(related="phone_id.partner_id", string="Client", compute_sudo=False)
    number = fields.Char(related="phone_id.number", string="Phone", compute_sudo=False)
    channel = fields.Selection(CHANNELS, required=True)
    template_id = fields.Many2one(
        "client.message.template",
        string="Template",
        domain="[('channel', '=', channel)]",
    )
    body = fields.Text(string="Message", compute="_compute_body", store=True, readonly=False, precompute=True)
    amount_hidden = fields.Boolean("Amount due hidden", compute="_compute_amount_hidden")

    @api.model_create_multi
    def create(self, vals_list):
        composers = super().create(vals_list)
        composers._cm_check_line_access()
        return composers

    def write(self, vals):
        result = super().write(vals)
        if "phone_id" in vals:
            self._cm_check_line_access()
        return result

    def _cm_check_line_access(self):
        """A composer only opens on a line the user may read (its client's record rules and
        companies): it would otherwise show another company's number and client by their ids."""
        if not self.env.su:
            self.phone_id.check_access("read")

    @api.depends("template_id")
    def _compute_body(self):
        for composer in self:
            # picking a template replaces the text; without one, the text stays as typed
            if composer.template_id and composer.partner_id:
                composer.body = composer.template_id._cm_render(composer.partner_id)

    @api.depends("template_id")
    def _compute_amount_hidden(self):
        may_read = self.env["client.message.template"]._cm_may_read_amounts()
        for composer in self:
            composer.amount_hidden = not may_read and composer.template_id._cm_uses_amount()

    def action_send(self):
        """Log the text on the client's timeline, then open the messenger with it."""
        self.ensure_one()
        line = self.phone_id
        line.check_access("read")
        line._cm_check_channel(self.channel)
        text = (self.body or "").strip()
        if not text:
            raise UserError(self.env._("Write the message first."))
        if self.channel == "sms" and line._cm_sms_composer_available():
            # Odoo's SMS stack sends it and logs it on the client (not logged twice here)
            return line._cm_sms_composer_action(text)
        self._cm_log(text)
        return line._cm_open_link(line._cm_channel_url(self.channel, text))

    def _cm_log(self, text):
        """The text on the client's timeline, as an internal message of the channel's subtype."""
        label = dict(self._fields["channel"]._description_selection(self.env))[self.channel]
        header = Markup("<p><b>%s</b></p>") % escape(
            self.env._("%(channel)s to %(number)s", channel=label, number=self.phone_id.number)
        )
        return self.partner_id.message_post(
            body=header + plaintext2html(text),
            message_type="comment",
            subtype_xmlid=SUBTYPES[self.channel],
        )
