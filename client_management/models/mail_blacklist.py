from odoo import api, models

from .res_partner_phone import BLACKLIST_KEY


class MailBlacklist(models.Model):
    _inherit = "mail.blacklist"

    # Every change of the blacklist is mirrored on the consent box of the clients' e-mails.
    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._cm_mirror()
        return records

    def write(self, vals):
        emails = set(self.mapped("email"))
        result = super().write(vals)
        if "active" in vals or "email" in vals:
            self._cm_mirror(emails)
        return result

    def unlink(self):
        emails = set(self.mapped("email"))
        result = super().unlink()
        if emails and not self.env.context.get(BLACKLIST_KEY):
            self.env["res.partner.email"]._cm_follow_blacklist(emails)
        return result

    def _cm_mirror(self, emails=()):
        if self.env.context.get(BLACKLIST_KEY):
            return
        emails = set(emails) | set(self.mapped("email"))
        if emails:
            self.env["res.partner.email"]._cm_follow_blacklist(emails)
