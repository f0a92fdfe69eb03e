from odoo import api, fields, models
from odoo.tools import SQL

# Customer documents counted in the client's figures (company currency, signed).
CUSTOMER_MOVE_TYPES = ("out_invoice", "out_refund", "out_receipt")


class ResPartnerInvoicingStat(models.Model):
    """Invoicing figures of one commercial partner in one company.

    One row per (commercial partner, company) having posted customer documents. Rows are
    rewritten by one set-based statement for the partners an accounting event touched
    (never for everyone), and filled for every partner when the addon is installed.
    """

    _name = "res.partner.invoicing.stat"
    _description = "Client invoicing figures per company"
    _log_access = False
    _rec_name = "partner_id"
    # accessible exactly when this client is (its record rules apply, see models/ir_rule.py)
    _cm_client_field = "partner_id"

    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="company_id.currency_id")
    invoiced_total = fields.Monetary("Turnover", currency_field="currency_id")
    amount_due = fields.Monetary("Outstanding", currency_field="currency_id")
    amount_overdue = fields.Monetary("Overdue", currency_field="currency_id")
    first_due_date = fields.Date("Earliest due date of an unpaid invoice")
    last_invoice_date = fields.Date()

    _partner_company_uniq = models.Constraint(
        "UNIQUE(partner_id, company_id)", "One row of invoicing figures per client and company."
    )
    # Sorting the client list by turnover / last invoice walks these in order.
    _company_turnover_desc_idx = models.Index("(company_id, invoiced_total DESC NULLS LAST)")
    _company_last_invoice_idx = models.Index("(company_id, last_invoice_date DESC NULLS LAST)")
    _company_due_idx = models.Index("(company_id, amount_due) WHERE amount_due <> 0")

    def init(self):
        res = super().init()
        self.env.cr.execute(SQL("SELECT 1 FROM %s LIMIT 1", SQL.identifier(self._table)))
        if not self.env.cr.fetchone():
            self._refresh(None)
            self.env["res.partner"]._cm_fill_activity_dates(None)
        return res

    @api.model
    def _refresh(self, partner_ids):
        """Rewrite the rows of ``partner_ids`` (commercial partners), or of everyone when None,
        from the posted customer documents, by two set-based statements."""
        if partner_ids is not None:
            partner_ids = list(partner_ids)
            if not partner_ids:
                return
            self.env["account.move"].flush_model()
        only = SQL("")
        if partner_ids is not None:
            only = SQL("AND m.commercial_partner_id = ANY(%s)", partner_ids)
            table = SQL.identifier(self._table)
            self.env.cr.execute(SQL("DELETE FROM %s WHERE partner_id = ANY(%s)", table, partner_ids))
        else:
            self.env.cr.execute(SQL("DELETE FROM %s", SQL.identifier(self._table)))
        today = fields.Date.context_today(self)
        unpaid = SQL("m.payment_state IN ('not_paid', 'partial') AND m.amount_residual_signed <> 0")
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO %(table)s (partner_id, company_id, invoiced_total, amount_due, amount_overdue,
                                       first_due_date, last_invoice_date)
                SELECT m.commercial_partner_id, m.company_id,
                       COALESCE(SUM(m.amount_untaxed_signed), 0),
                       COALESCE(SUM(m.amount_residual_signed) FILTER (WHERE %(unpaid)s), 0),
                       COALESCE(SUM(m.amount_residual_signed)
                                FILTER (WHERE %(unpaid)s AND m.invoice_date_due < %(today)s), 0),
                       MIN(m.invoice_date_due) FILTER (WHERE %(unpaid)s AND m.amount_residual_signed > 0),
                       MAX(m.invoice_date)
                  FROM account_move m
                 WHERE m.state = 'posted' AND m.move_type IN %(types)s
                   AND m.commercial_partner_id IS NOT NULL %(only)s
                 GROUP BY m.commercial_partner_id, m.company_id
                """,
                table=SQL.identifier(self._table),
                unpaid=unpaid,
                today=today,
                types=CUSTOMER_MOVE_TYPES,
                only=only,
            )
        )
        self.invalidate_model()
        self.env["res.partner"].invalidate_model(self.env["res.partner"]._CM_STAT_FIELDS)

    @api.model
    def _cron_refresh_overdue(self):
        """Invoices fall due without any event: once a day, refresh only the clients having an
        unpaid invoice that fell due during the last week (one statement, no full recompute)."""
        today = fields.Date.context_today(self)
        self.env["account.move"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT commercial_partner_id FROM account_move
                 WHERE state = 'posted' AND move_type IN %s AND payment_state IN ('not_paid', 'partial')
                   AND invoice_date_due >= %s AND invoice_date_due < %s
                """,
                CUSTOMER_MOVE_TYPES,
                fields.Date.subtract(today, days=7),
                today,
            )
        )
        self._refresh([row[0] for row in self.env.cr.fetchall()])
