from odoo import fields, models
from odoo.tools import SQL

from .res_partner_invoicing import ACCOUNTING_GROUPS

# Days without any contact after which a client counts as "slipping away".
NO_CONTACT_DAYS = 90


class ClientChannelReport(models.Model):
    """Client analysis: one row per client and company, read by grouped reads only.

    A SQL view (like ``sale.report``) over stored, indexed columns: the client
    (``res_partner``) and its invoicing figures in that company
    (``res_partner_invoicing_stat``). The record rules keep the rows of the active company
    and, through ``_cm_client_field``, of the clients the user may read; the accounting
    measures are restricted to accounting users like the figures on the client are. Shares
    are stored as 100 or 0 per client, so that their average is a percentage.
    """

    _name = "client.channel.report"
    _description = "Client analysis"
    _auto = False
    _rec_name = "partner_id"
    _order = "create_date desc"
    # accessible exactly when this client is (its record rules apply, see models/ir_rule.py)
    _cm_client_field = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Client", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    create_date = fields.Datetime("Created on", readonly=True)
    active = fields.Boolean(readonly=True)
    is_company = fields.Boolean("Is a company", readonly=True)
    acquisition_source_id = fields.Many2one("utm.source", string="Acquisition channel", readonly=True)
    user_id = fields.Many2one("res.users", string="Responsible manager", readonly=True)
    country_id = fields.Many2one("res.country", string="Country", readonly=True)
    category_ids = fields.Many2many(related="partner_id.category_id", string="Tags")
    last_activity_date = fields.Date("Last activity", readonly=True)
    no_contact_rate = fields.Float(
        "% not contacted for 90+ days",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Share of the clients without any activity for 90 days or more.",
    )
    invoiced_rate = fields.Float(
        "% with invoices",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        groups=ACCOUNTING_GROUPS,
        help="Share of the clients with at least one posted customer invoice in the company.",
    )
    invoiced_total = fields.Monetary("Turnover", readonly=True, groups=ACCOUNTING_GROUPS)
    turnover_per_client = fields.Monetary(
        "Turnover per client", readonly=True, aggregator="avg", groups=ACCOUNTING_GROUPS
    )
    amount_due = fields.Monetary("Outstanding", readonly=True, groups=ACCOUNTING_GROUPS)
    amount_overdue = fields.Monetary("Overdue", readonly=True, groups=ACCOUNTING_GROUPS)
    # exact at any time (the overdue amounts are refreshed daily), as the client list's filter
    first_due_date = fields.Date("Earliest due date of an unpaid invoice", readonly=True, groups=ACCOUNTING_GROUPS)

    @property
    def _table_query(self):
        # Clients as `is_client` defines them (contacts, not users' nor companies' partners),
        # once per company they may belong to; the figures are those of the client itself
        # (a company's contact persons have none: nothing is counted twice).
        return SQL(
            """
            SELECT p.id * %(companies)s + c.id AS id,
                   p.id AS partner_id, c.id AS company_id, c.currency_id AS currency_id,
                   p.create_date, p.active, p.is_company, p.acquisition_source_id, p.user_id,
                   p.country_id, p.last_activity_date,
                   CASE WHEN p.last_activity_date IS NULL
                          OR p.last_activity_date < CURRENT_DATE - %(days)s THEN 100.0 ELSE 0.0 END
                       AS no_contact_rate,
                   CASE WHEN s.id IS NULL THEN 0.0 ELSE 100.0 END AS invoiced_rate,
                   COALESCE(s.invoiced_total, 0) AS invoiced_total,
                   COALESCE(s.invoiced_total, 0) AS turnover_per_client,
                   COALESCE(s.amount_due, 0) AS amount_due,
                   COALESCE(s.amount_overdue, 0) AS amount_overdue,
                   s.first_due_date
              FROM res_partner p
              JOIN res_company c ON p.company_id IS NULL OR p.company_id = c.id
              LEFT JOIN res_partner_invoicing_stat s ON s.partner_id = p.id AND s.company_id = c.id
             WHERE p.type = 'contact' AND p.partner_share
               AND NOT EXISTS (SELECT 1 FROM res_company rc WHERE rc.partner_id = p.id)
            """,
            companies=SQL("(SELECT COALESCE(MAX(id), 0) + 1 FROM res_company)"),
            days=NO_CONTACT_DAYS,
        )
