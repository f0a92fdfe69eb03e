from odoo import api, models


class ClientConflictMixin(models.AbstractModel):
    """A document with a customer (``partner_id``) that warns when a conflict client is picked:
    the same warning with the note as on invoices, and the red marker of the lists opening the
    note. Used by the bridges (quotations, leads); a conflict company flags its contacts too."""

    _name = "client.conflict.mixin"
    _description = "Warning on documents of conflict clients"

    @api.model
    def _cm_conflict_client(self, partner):
        """The partner whose conflict flag applies to ``partner``: itself, else its company."""
        return partner if partner.is_conflict else partner.commercial_partner_id

    @api.onchange("partner_id")
    def _onchange_partner_id_conflict_warning(self):
        if self.partner_id:
            warning = self.partner_id._get_conflict_warning()
            if warning:
                return {"warning": warning}
        return None

    def action_cm_show_conflict_note(self):
        """The red marker of the list: why the customer is a conflict client."""
        self.ensure_one()
        return self._cm_conflict_client(self.partner_id).action_show_conflict_note()
