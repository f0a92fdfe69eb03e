from odoo import api, fields, models
from odoo.fields import Domain

SALESMAN = "sales_team.group_sale_salesman"


class ResPartner(models.Model):
    _inherit = "res.partner"

    cm_sale_order_count = fields.Integer(
        string="Quotations and orders",
        compute="_compute_cm_sale_orders",
        groups=SALESMAN,
    )
    cm_sale_amount = fields.Monetary(
        string="Quotations and orders amount",
        compute="_compute_cm_sale_orders",
        currency_field="cm_sale_currency_id",
        groups=SALESMAN,
        help="Untaxed amount of the client's quotations and orders (not cancelled) in the active "
        "company, in its currency.",
    )
    cm_sale_currency_id = fields.Many2one(
        "res.currency",
        string="Currency of the orders amount",
        compute="_compute_cm_sale_orders",
        groups=SALESMAN,
    )

    def _cm_sale_order_domain(self):
        """The quotations and orders of these clients (and their contacts) in the active company."""
        return (
            Domain("partner_id", "child_of", self.ids)
            & Domain("company_id", "=", self.env.company.id)
            & Domain("state", "!=", "cancel")
        )

    @api.depends_context("uid", "company")  # the orders this user may read, in the active company
    def _compute_cm_sale_orders(self):
        company = self.env.company
        self.cm_sale_order_count = 0
        self.cm_sale_amount = 0.0
        self.cm_sale_currency_id = company.currency_id
        real = self.filtered("id")
        if not real:
            return
        # the orders the user may read (record rules apply), of the clients and their contacts
        groups = self.env["sale.order"]._read_group(
            real._cm_sale_order_domain(),
            groupby=["partner_id", "currency_id"],
            aggregates=["__count", "amount_untaxed:sum"],
        )
        ids = set(real._ids)
        today = fields.Date.context_today(self)
        for partner, currency, count, amount in groups:
            converted = currency._convert(amount, company.currency_id, company, today) if currency else amount
            while partner:
                if partner.id in ids:
                    target = real.browse(partner.id)
                    target.cm_sale_order_count += count
                    target.cm_sale_amount += converted
                partner = partner.parent_id

    def action_cm_sale_orders(self):
        """The client's quotations and orders of the active company, as the smart button counts them."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action.pop("path", None)  # the URL of the full list would drop the client filter on reload
        action.update(
            {
                "name": self.env._("Quotations and orders of %(client)s", client=self.display_name),
                "domain": list(self._cm_sale_order_domain()),
                "context": {"default_partner_id": self.id},
            }
        )
        return action

    def action_cm_new_quotation(self):
        """A new quotation of this client."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New quotation"),
            "res_model": "sale.order",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {"default_partner_id": self.id},
        }
