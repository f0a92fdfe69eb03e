from collections import defaultdict

from odoo import api, fields, models


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model_create_multi
    def create(self, vals_list):
        messages = super().create(vals_list)
        messages._cm_touch_partners()
        return messages

    def _cm_touch_partners(self):
        """A message logged on a client, an e-mail, a finished activity or an invoicing event
        moves the client's last activity date forward (only the clients concerned)."""
        on_partners = self.filtered(lambda m: m.model == "res.partner" and m.res_id)
        if not on_partners:
            return
        counted = set(self.env["res.partner"]._cm_activity_subtype_ids())
        by_day = defaultdict(set)
        for message in on_partners:
            if message.message_type != "notification" or message.subtype_id.id in counted:
                # the day in the user's time zone, as the filters' "today"
                by_day[fields.Date.context_today(message, message.date)].add(message.res_id)
        # bookkeeping of a date: the author of a message may not be allowed to write the client
        Partner = self.env["res.partner"].sudo()
        for day, partner_ids in by_day.items():
            partners = Partner.browse(partner_ids).exists()
            ids = set(partners.ids) | set(partners.commercial_partner_id.ids)
            Partner._cm_touch_last_activity(ids, day)
