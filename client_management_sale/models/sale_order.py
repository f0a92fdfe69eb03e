from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import format_amount

INTERNAL = "base.group_user"


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "client.conflict.mixin"]

    cm_partner_is_conflict = fields.Boolean(
        string="Conflict client",
        compute="_compute_cm_partner_is_conflict",
        groups=INTERNAL,
        help="The customer (or its company) is marked as a conflict client.",
    )

    @api.depends("partner_id.is_conflict", "partner_id.commercial_partner_id.is_conflict")
    def _compute_cm_partner_is_conflict(self):
        for order in self:
            partner = order.partner_id
            order.cm_partner_is_conflict = bool(partner.is_conflict or partner.commercial_partner_id.is_conflict)

    def _recompute_prices(self):
        # the user asked to update the prices: the lines get the client's discount again
        return super(SaleOrder, self.with_context(cm_reapply_client_discount=True))._recompute_prices()

    # ------------------------------------------------------------ timeline
    def message_post(self, **kwargs):
        message = super().message_post(**kwargs)
        # the quotation's own mail, sent from the *Send* composer (sale marks it as sent)
        if self.env.context.get("mark_so_as_sent") and message.message_type in ("comment", "email"):
            self._cm_post_timeline("sent")
        return message

    def action_confirm(self):
        to_confirm = self.filtered(lambda order: order.state in ("draft", "sent"))
        result = super().action_confirm()
        confirmed = to_confirm.filtered(lambda order: order.state == "sale")
        if confirmed:
            confirmed._cm_post_timeline("confirmed")
            Partner = self.env["res.partner"]
            for order in confirmed.filtered("partner_id"):
                day = fields.Date.context_today(order, order.date_order)
                Partner._cm_touch_last_activity({order.partner_id.id, order.partner_id.commercial_partner_id.id}, day)
        return result

    def _cm_event_body(self, event):
        self.ensure_one()
        amount = format_amount(self.env, self.amount_total, self.currency_id)
        link = self._get_html_link(title=self.name)
        if event == "sent":
            text = self.env._("Quotation %(link)s sent: %(amount)s")
        else:
            text = self.env._("Sales order %(link)s confirmed: %(amount)s")
        return Markup(text) % {"link": link, "amount": amount}

    def _cm_post_timeline(self, event):
        """The quotation sent / order confirmed lands on the client's (commercial partner's)
        timeline with its own internal subtype."""
        subtype = {
            "sent": "client_management_sale.mt_quotation_sent",
            "confirmed": "client_management_sale.mt_order_confirmed",
        }[event]
        author = self.env.user.partner_id
        # the timeline is a fact of the sale: the salesman (or the portal customer signing the
        # quotation) may not be allowed to write on the client
        for order in self.sudo():
            client = order.partner_id.commercial_partner_id
            if not client:
                continue
            client.message_post(
                body=order._cm_event_body(event),
                subtype_xmlid=subtype,
                message_type="notification",
                author_id=author.id,
            )
