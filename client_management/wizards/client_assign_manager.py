from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ClientAssignManager(models.TransientModel):
    _name = "client.assign.manager"
    _description = "Assign a responsible manager to several clients"

    partner_ids = fields.Many2many(
        "res.partner",
        string="Clients",
        required=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible manager",
        domain="[('share', '=', False)]",
        help="Leave empty to remove the responsible manager from the selected clients.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "res.partner":
            values["partner_ids"] = [fields.Command.set(self.env.context.get("active_ids") or [])]
        return values

    def action_assign(self):
        self.ensure_one()
        if not self.partner_ids:
            raise UserError(_("Select at least one client."))
        self.partner_ids.write({"user_id": self.user_id.id})
        return {"type": "ir.actions.act_window_close"}
