from odoo import api, models


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _send_mail(self, move, mail_template, **kwargs):
        """Each invoice e-mailed by *Send* (the wizard or the sending cron) is logged on its
        client's timeline as "Invoice sent"."""
        result = super()._send_mail(move, mail_template, **kwargs)
        recipients = self.env["res.partner"].browse(kwargs.get("partner_ids") or []).exists()
        move._cm_log_sent(recipients)
        return result
