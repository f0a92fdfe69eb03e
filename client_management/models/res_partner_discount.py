from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .res_partner import INTERNAL


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # A client's personal discount (RemOnline's "personal discount"): tracked, so each change
    # stays on the timeline with who and when. The bridges (sales, point of sale) and customer
    # invoices apply it by default to new lines; a user can still change a line.
    client_discount = fields.Float(
        string="Personal discount (%)",
        digits="Discount",
        tracking=True,
        groups=INTERNAL,
        help="Applied by default to the new lines of this client's quotations, customer invoices "
        "and point of sale orders. A contact without a discount of its own gets its company's.",
    )

    @api.constrains("client_discount")
    def _check_client_discount(self):
        for partner in self:
            if not 0 <= partner.client_discount <= 100:
                raise ValidationError(
                    self.env._(
                        "The personal discount of %(client)s must be between 0 and 100 %%, not %(value)s.",
                        client=partner.display_name,
                        value=partner.client_discount,
                    )
                )

    def _cm_effective_discount(self):
        """The discount that applies to a document of this partner: its own, else its company's
        (the commercial partner's)."""
        self.ensure_one()
        return self.client_discount or self.commercial_partner_id.client_discount
