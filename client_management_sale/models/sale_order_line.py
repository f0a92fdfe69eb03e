from odoo import models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _compute_discount(self):
        """A new line of a quotation gets the client's personal discount by default, when
        neither a pricelist nor the user gave it one; the user can still change it."""
        super()._compute_discount()
        if not self.env.user.has_group("sale.group_discount_per_so_line"):
            return  # without the Discounts setting the line's discount is hidden: apply nothing
        # "Update prices" resets every line's discount: the client's comes back with the pricelist's
        reapply = self.env.context.get("cm_reapply_client_discount")
        for line in self:
            if (
                (line._origin.id and not reapply)  # a saved line keeps the discount it has
                or line.discount
                or not line.product_id
                or line.display_type
                or line.combo_item_id
                or line.is_downpayment
                or line.order_id.state not in ("draft", "sent")
            ):
                continue
            partner = line.order_id.partner_id
            if partner:
                # the line's user may edit the order without reading its customer's card (a record
                # rule on clients, a customer of another company); online customers never get here
                line.discount = partner.sudo()._cm_effective_discount()
