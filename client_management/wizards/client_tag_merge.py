from odoo import api, fields, models
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
    partner_count = fields.Integer(
        string="Clients affected",
        compute="_compute_partner_count",
        help="Clients carrying one of the merged tags, in every company: all of them get the kept tag.",
    )
    hidden_partner_count = fields.Integer(
        string="Clients you cannot see",
        compute="_compute_partner_count",
        help="Clients of other companies carrying one of the merged tags: they get the kept tag too.",
    )

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
            if not merged:
                wizard.partner_count = wizard.hidden_partner_count = 0
                continue
            domain = [("category_id", "in", merged.ids)]
            visible = Partner.search_count(domain)
            # sudo: a count only, so that the administrator knows the merge also re-tags
            # clients they cannot see (other companies); no data of those clients is shown
            wizard.partner_count = Partner.sudo().search_count(domain)
            wizard.hidden_partner_count = wizard.partner_count - visible

    def action_merge(self):
        self.ensure_one()
        target = self.target_tag_id
        merged = self.tag_ids - target
        if not target:
            raise UserError(self.env._("Choose the tag to keep."))
        if not merged:
            raise UserError(self.env._("Choose at least one other tag to merge into %(tag)s.", tag=target.name))
        if target.parent_id and target.parent_id in merged:
            target.parent_id = target.parent_id.parent_id
        # sudo: merging tags is the administrator's configuration decision, and tags are shared
        # by all companies: every client carrying a merged tag, also those this administrator
        # cannot see (other companies), must get the kept tag, or it would silently lose the
        # merged tag when it is deleted below. The change is tracked on each client in the
        # administrator's name.
        partners = (
            self.env["res.partner"].sudo().with_context(active_test=False).search([("category_id", "in", merged.ids)])
        )
        partners.write(
            {"category_id": [fields.Command.link(target.id)] + [fields.Command.unlink(tag.id) for tag in merged]}
        )
        # write the tracking messages now, while the merged tags exist: once they are deleted,
        # Odoo's tracking at commit cannot read the old value and drops the clients' message
        partners._track_finalize()
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
                "message": self.env._("Tags %(merged)s were merged into %(kept)s.", merged=names, kept=target.name),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
