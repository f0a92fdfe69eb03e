from odoo import api, models

from .res_partner_phone import BLACKLIST_KEY


class PhoneBlacklist(models.Model):
    _inherit = "phone.blacklist"

    # Every change of the blacklist is mirrored on the SMS box of the clients' numbers.
    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._cm_mirror()
        return records

    def write(self, vals):
        numbers = set(self.mapped("number"))
        result = super().write(vals)
        if "active" in vals or "number" in vals:
            self._cm_mirror(numbers)
        return result

    def unlink(self):
        numbers = set(self.mapped("number"))
        result = super().unlink()
        if numbers and not self.env.context.get(BLACKLIST_KEY):
            self.env["res.partner.phone"]._cm_follow_blacklist(numbers)
        return result

    def _cm_mirror(self, numbers=()):
        if self.env.context.get(BLACKLIST_KEY):
            return
        numbers = set(numbers) | set(self.mapped("number"))
        if numbers:
            self.env["res.partner.phone"]._cm_follow_blacklist(numbers)
