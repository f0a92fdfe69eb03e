from odoo import models


class AccountPayment(models.Model):
    _inherit = "account.payment"

    def action_post(self):
        result = super().action_post()
        # bookkeeping of a date: an accountant may not be allowed to write the client
        Partner = self.env["res.partner"].sudo()
        for payment in self.filtered("partner_id"):
            partner = payment.partner_id
            Partner._cm_touch_last_activity({partner.id, partner.commercial_partner_id.id}, payment.date)
        return result
