"""Message templates per channel (WhatsApp, Viber, SMS), filled in for one client.

The body is plain text with a small placeholder syntax, replaced in Python by a regular
expression (never evaluated, never rendered as QWeb): ``{client}`` (the client's name),
``{manager}`` (its responsible manager, else the sender), ``{company}`` (the active company, which
sends it) and ``{amount_due}`` (what the client has left to pay, filled only for users who
may read invoicing figures, empty for the others). Anything else between braces is refused when
the template is saved and left as typed in a text edited in the composer.
"""

import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import format_amount

from .res_partner_invoicing import ACCOUNTING_GROUPS

CHANNELS = [("whatsapp", "WhatsApp"), ("viber", "Viber"), ("sms", "SMS")]
PLACEHOLDER = re.compile(r"\{(\w+)\}")
PLACEHOLDERS = ("client", "manager", "company", "amount_due")


class ClientMessageTemplate(models.Model):
    _name = "client.message.template"
    _description = "Client message template"
    _order = "channel, sequence, id"

    name = fields.Char(required=True, translate=True)
    channel = fields.Selection(CHANNELS, required=True, default="whatsapp")
    body = fields.Text(
        required=True,
        translate=True,
        help="Plain text. Placeholders: {client} (the client's name), {manager} (the responsible "
        "manager, else the sender), {company} (your company), {amount_due} (what the client has left "
        "to pay; filled only for users who may read invoicing figures).",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", string="Company", index=True, help="Empty: the template is offered in every company."
    )

    @api.constrains("body")
    def _check_placeholders(self):
        for template in self:
            unknown = sorted(set(PLACEHOLDER.findall(template.body or "")) - set(PLACEHOLDERS))
            if unknown:
                raise ValidationError(
                    self.env._(
                        "Unknown placeholder(s) %(unknown)s in “%(template)s”. Use %(known)s.",
                        unknown=", ".join(f"{{{name}}}" for name in unknown),
                        template=template.name,
                        known=", ".join(f"{{{name}}}" for name in PLACEHOLDERS),
                    )
                )

    @api.model
    def _cm_may_read_amounts(self):
        """Only the users who may read invoicing figures get {amount_due} filled in."""
        return self.env.user.has_groups(ACCOUNTING_GROUPS)

    @api.model
    def _cm_placeholder_values(self, partner):
        """The value of each placeholder for ``partner``, as the current user may see it."""
        partner.check_access("read")
        company = self.env.company
        values = {
            "client": partner.name or "",
            "manager": (partner.user_id or self.env.user).name or "",
            "company": company.name or "",
            "amount_due": "",
        }
        if self._cm_may_read_amounts():
            # the figures of the active company, as on the card
            commercial = partner.commercial_partner_id
            values["amount_due"] = format_amount(
                self.env, commercial.amount_due, commercial.cm_currency_id, lang_code=partner.lang
            )
        return values

    @api.model
    def _cm_render_text(self, text, partner):
        """``text`` with each known placeholder replaced; unknown ones are left as typed."""
        values = self._cm_placeholder_values(partner)
        return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text or "")

    def _cm_render(self, partner):
        """The body of this template in the client's language, filled in for ``partner``."""
        self.ensure_one()
        body = self.with_context(lang=partner.lang or self.env.lang).body
        return self._cm_render_text(body, partner)

    def _cm_uses_amount(self):
        return any("{amount_due}" in (template.body or "") for template in self)
