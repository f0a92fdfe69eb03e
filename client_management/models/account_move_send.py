from odoo import api, models

# context key: the user who asked for each invoice's sending (moves_data of account.move.send)
_AUTHORS_KEY = "cm_send_author_partner_ids"


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _send_mails(self, moves_data):
        authors = {move.id: data.get("author_partner_id") for move, data in moves_data.items()}
        return super(AccountMoveSend, self.with_context(**{_AUTHORS_KEY: authors}))._send_mails(moves_data)

    @api.model
    def _send_mail(self, move, mail_template, **kwargs):
        """Each invoice e-mailed by *Send* (the dialog or the sending cron of a batch) is logged
        on its client's timeline as "Invoice sent", by the user who asked for the sending."""
        result = super()._send_mail(move, mail_template, **kwargs)
        recipients = self.env["res.partner"].browse(kwargs.get("partner_ids") or []).exists()
        author_id = self.env.context.get(_AUTHORS_KEY, {}).get(move.id) or kwargs.get("author_id")
        move._cm_log_sent(recipients, author_id=author_id)
        return result
