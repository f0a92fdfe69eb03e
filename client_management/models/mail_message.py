from collections import defaultdict

from odoo import api, fields, models
from odoo.fields import Domain

# the invoices whose e-mails show on their client's timeline
_INVOICE_TYPES = ("out_invoice", "out_refund", "out_receipt", "in_invoice", "in_refund", "in_receipt")


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

    @api.model
    def _message_fetch(self, domain, *, thread=None, limit=30, **kwargs):
        """The timeline of a client (its chatter) also shows the e-mails exchanged on its
        invoices and bills: linked, not copied (each message stays on its invoice, shown with
        "on INV/…", once), and only those of the invoices the user may read."""
        res = super()._message_fetch(domain, thread=thread, limit=limit, **kwargs)
        if not thread or thread._name != "res.partner" or len(thread) != 1 or not self.env.user._is_internal():
            return res
        Move = self.env["account.move"]
        if not Move.has_access("read"):
            return res
        # the invoices of the client and of its contacts that the user may read (record rules)
        moves = Move._search([("partner_id", "child_of", thread.id), ("move_type", "in", _INVOICE_TYPES)])
        linked = (
            Domain("model", "=", "account.move")
            & Domain("res_id", "any!", moves)
            & Domain("message_type", "in", ("comment", "email", "email_outgoing"))
            & Domain("subtype_id", "=", self.env.ref("mail.mt_comment").id)
        )
        if domain is not None:
            linked &= Domain(domain)
        more = super()._message_fetch(linked, limit=limit, **kwargs)
        messages = (res["messages"] | more["messages"]).sorted("id", reverse=True)
        if kwargs.get("around") is not None:
            around = kwargs["around"]
            newer = messages.filtered(lambda m: m.id > around).sorted("id")[: limit // 2]
            older = messages.filtered(lambda m: m.id <= around)[: limit // 2]
            messages = (newer | older).sorted("id", reverse=True)
        else:
            messages = (
                messages[:limit]
                if not kwargs.get("after")
                else messages.sorted("id")[:limit].sorted("id", reverse=True)
            )
        if "count" in res:
            res["count"] += more.get("count", 0)
        res["messages"] = messages
        return res
