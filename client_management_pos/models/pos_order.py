from markupsafe import Markup

from odoo import fields, models
from odoo.tools import format_amount

_EVENTS = {"paid", "done", "cancel"}


class PosOrder(models.Model):
    _inherit = "pos.order"

    def write(self, vals):
        if "state" not in vals:
            return super().write(vals)
        old_states = {order.id: order.state for order in self}
        result = super().write(vals)
        changed = self.filtered(
            lambda order: order.partner_id and order.state in _EVENTS and old_states.get(order.id) != order.state
        )
        if changed:
            changed._cm_post_timeline()
        return result

    def _cm_post_timeline(self):
        """The order lands on the client's (commercial partner's) timeline with its own subtype;
        a paid order is activity with the client."""
        labels = dict(self._fields["state"]._description_selection(self.env))
        author = self.env.user.partner_id
        # the timeline is a fact of the sale: a cashier may not be allowed to write the client
        Partner = self.env["res.partner"].sudo()
        for order in self.sudo():  # as above
            client = order.partner_id.commercial_partner_id
            body = Markup(self.env._("Point of sale order %(link)s %(state)s: %(amount)s")) % {
                "link": order._get_html_link(title=order.name),
                "state": labels.get(order.state, order.state).lower(),
                "amount": format_amount(self.env, order.amount_total, order.currency_id),
            }
            client.message_post(
                body=body,
                subtype_xmlid="client_management_pos.mt_pos_order",
                message_type="notification",
                author_id=author.id,
            )
            if order.state in ("paid", "done"):
                # the day in the user's time zone, as the filters' "today"
                day = fields.Date.context_today(order, order.date_order or order.create_date)
                Partner._cm_touch_last_activity({client.id, order.partner_id.id}, day)
