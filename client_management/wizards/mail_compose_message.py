from odoo import api, models


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    @api.depends("subtype_id")
    def _compute_subtype_is_log(self):
        """Meeting minutes are written like a log note: no recipients, nothing sent, the
        composer's *Log* button (only for our own subtype; every other one as in Odoo)."""
        result = super()._compute_subtype_is_log()
        minutes = self.env["ir.model.data"]._xmlid_to_res_id("client_management.mt_meeting_minutes")
        for composer in self.filtered(lambda c: c.subtype_id.id == minutes):
            composer.subtype_is_log = True
        return result
