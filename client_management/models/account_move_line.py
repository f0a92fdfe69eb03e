from odoo import api, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    @api.onchange("product_id")
    def _onchange_product_id_client_discount(self):
        """A new product line of a customer invoice or credit note gets the client's personal
        discount by default, when the line has none yet; the user can still change it. Lines
        created by code (sales, point of sale, imports) keep what their caller gives them."""
        for line in self:
            move = line.move_id
            if (
                line._origin.id  # a saved line keeps its discount
                or line.discount
                or not line.product_id
                or line.display_type != "product"
                or move.move_type not in ("out_invoice", "out_refund")
                or not move.partner_id
            ):
                continue
            line.discount = move.partner_id._cm_effective_discount()
