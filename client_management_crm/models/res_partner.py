from odoo import api, fields, models
from odoo.fields import Domain

_OPEN = Domain([("type", "=", "opportunity"), ("won_status", "=", "pending"), ("active", "=", True)])


class ResPartner(models.Model):
    _inherit = "res.partner"

    cm_open_opportunity_count = fields.Integer(
        string="Open opportunities",
        compute="_compute_cm_open_opportunity_count",
        groups="sales_team.group_sale_salesman",
        help="Opportunities of the client and of its contacts that are neither won nor lost.",
    )

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_cm_open_opportunity_count(self):
        self.cm_open_opportunity_count = 0
        partners = self.filtered("id")
        if not partners:
            return
        # only the opportunities this user may read (record rules: own leads, companies)
        # archived contacts' opportunities count too, as in CRM's own count
        groups = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            ._read_group(
                Domain("partner_id", "child_of", partners.ids) & _OPEN,
                groupby=["partner_id"],
                aggregates=["__count"],
            )
        )
        current = set(partners.ids)
        for partner, count in groups:
            # an opportunity of a contact counts for its company too; only ids are compared on
            # the way up (a contact may belong to a company not active in the switcher)
            partner = partner.sudo()
            seen = set()
            while partner and partner.id not in seen:
                seen.add(partner.id)
                if partner.id in current:
                    self.browse(partner.id).cm_open_opportunity_count += count
                partner = partner.parent_id

    def action_cm_open_opportunities(self):
        """The client's opportunities (and its contacts'), the open ones first: the *Ongoing*
        filter is on, removing it shows the won and lost ones too."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm.crm_lead_opportunities")
        action["domain"] = [("type", "=", "opportunity"), ("partner_id", "child_of", self.id)]
        action["context"] = {
            "default_partner_id": self.id,
            "default_type": "opportunity",
            "search_default_filter_won_status_pending": 1,
            "active_test": False,
        }
        action["views"] = sorted(action["views"], key=lambda view: view[1] != "list")
        return action

    def action_cm_new_opportunity(self):
        """A new opportunity for this client, its customer filled in."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New opportunity"),
            "res_model": "crm.lead",
            "views": [(False, "form")],
            "target": "current",
            "context": {
                "default_partner_id": self.id,
                "default_type": "opportunity",
            },
        }
