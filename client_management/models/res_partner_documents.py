"""The client's files: a Documents smart button on the card (Odoo's attachments)."""

from odoo import fields, models
from odoo.fields import Domain


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    cm_document_count = fields.Integer("Documents", compute="_compute_cm_document_count", groups="base.group_user")

    def _compute_cm_document_count(self):
        groups = self.env["ir.attachment"]._read_group(
            [("res_model", "=", "res.partner"), ("res_id", "in", self.ids)], ["res_id"], ["__count"]
        )
        counts = dict(groups)
        for partner in self:
            partner.cm_document_count = counts.get(partner._origin.id, 0)

    def action_cm_documents(self):
        """The client's files, with their description as a comment, and an upload; removing the
        default filter also shows the files of the client's invoices (for users who may read
        them: attachments follow their document's access)."""
        self.ensure_one()
        Move = self.env["account.move"]
        moves = (
            Move.search([("commercial_partner_id", "=", self.commercial_partner_id.id)])
            if Move.has_access("read")  # invoices' files only for users who may read invoices
            else Move
        )
        domain = Domain("res_model", "=", "res.partner") & Domain("res_id", "=", self.id)
        if moves:
            domain |= Domain("res_model", "=", "account.move") & Domain("res_id", "in", moves.ids)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Documents of %(client)s", client=self.display_name),
            "res_model": "ir.attachment",
            "view_mode": "list,form",
            "views": [(self.env.ref("client_management.ir_attachment_view_list_client").id, "list"), (False, "form")],
            "search_view_id": self.env.ref("client_management.ir_attachment_view_search_client").id,
            "domain": list(domain),
            "context": {
                "default_res_model": "res.partner",
                "default_res_id": self.id,
                "search_default_filter_client_files": 1,
            },
        }
