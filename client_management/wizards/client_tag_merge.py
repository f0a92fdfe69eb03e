from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ClientTagMerge(models.TransientModel):
    _name = "client.tag.merge"
    _description = "Merge client tags"

    tag_ids = fields.Many2many(
        "res.partner.category",
        string="Tags to merge",
        required=True,
        help="Every client carrying one of these tags gets the kept tag instead.",
    )
    target_tag_id = fields.Many2one(
        "res.partner.category",
        string="Tag to keep",
        required=True,
        domain="[('id', 'in', tag_ids)]",
    )
    partner_count = fields.Integer(string="Clients affected", compute="_compute_partner_count")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "res.partner.category":
            active_ids = self.env.context.get("active_ids") or []
            values["tag_ids"] = [fields.Command.set(active_ids)]
            if active_ids:
                values["target_tag_id"] = active_ids[0]
        return values

    @api.depends("tag_ids", "target_tag_id")
    def _compute_partner_count(self):
        Partner = self.env["res.partner"].with_context(active_test=False)
        for wizard in self:
            merged = wizard.tag_ids - wizard.target_tag_id
            wizard.partner_count = Partner.search_count([("category_id", "in", merged.ids)]) if merged else 0

    def action_merge(self):
        self.ensure_one()
        target = self.target_tag_id
        merged = self.tag_ids - target
        if not target:
            raise UserError(_("Choose the tag to keep."))
        if not merged:
            raise UserError(_("Choose at least one other tag to merge into %(tag)s.", tag=target.name))
        if target.parent_id and target.parent_id in merged:
            target.parent_id = target.parent_id.parent_id
        self.env["res.partner"].with_context(active_test=False).search([("category_id", "in", merged.ids)]).write(
            {"category_id": [fields.Command.link(target.id)] + [fields.Command.unlink(tag.id) for tag in merged]}
        )
        children = (
            self.env["res.partner.category"]
            .with_context(active_test=False)
            .search([("parent_id", "in", merged.ids), ("id", "not in", (merged | target).ids)])
        )
        children.write({"parent_id": target.id})
        names = ", ".join(merged.mapped("name"))
        merged.unlink()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _("Tags %(merged)s were merged into %(kept)s.", merged=names, kept=target.name),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
