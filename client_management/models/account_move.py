from odoo import api, models


class AccountMove(models.Model):
    _inherit = "account.move"

    @api.onchange("partner_id")
    def _onchange_partner_id_conflict_warning(self):
        if self.partner_id and self.is_invoice(include_receipts=True):
            warning = self.partner_id._get_conflict_warning()
            if warning:
                return {"warning": warning}
        return None

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        bills = posted.filtered(lambda move: move.move_type in ("in_invoice", "in_receipt"))
        suppliers = bills.commercial_partner_id.filtered(lambda partner: not partner.is_supplier)
        if suppliers:
            # Being a supplier is a fact established by accounting, whoever posts the bill.
            suppliers.sudo().write({"is_supplier": True})
        return posted
