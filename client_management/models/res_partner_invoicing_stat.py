import logging
import time

from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED

from odoo import api, fields, models
from odoo.modules.db import FunctionStatus
from odoo.sql_db import Cursor
from odoo.tools import SQL
from odoo.tools.sql import create_index, table_exists

_logger = logging.getLogger(__name__)

# Customer documents counted in the client's figures (company currency, signed).
CUSTOMER_MOVE_TYPES = ("out_invoice", "out_refund", "out_receipt")

# Bookkeeping that lands on a client's row (last / next activity date, figures) is queued in
# this table by the user's transaction (a plain INSERT: no row shared with anybody) and applied
# right after the commit, in short transactions of its own that skip the clients another
# transaction holds (see _cm_apply_pending). A table of the addon, not a model: nobody reads it
# but that code; dropped on uninstall.
PENDING_TABLE = "client_management_pending"
PENDING_KINDS = ("last", "next", "figures")
_PENDING_KEY = "client_management.pending"
# Partners applied per transaction, and extra queued ones (left by others) taken along.
_PENDING_BATCH = 500
# Waits (seconds) before retrying the clients another transaction held at the first try.
_PENDING_RETRIES = (0.05, 0.2)

# The client list's searches are ``ilike`` on these columns (name: complete_name, ref, email,
# vat, company_registry; e-mail; tax number; phone: the native phone and the lines' numbers):
# trigram indexes, as Odoo's own ``index="trigram"`` fields, when the database has pg_trgm
# (an administrator's choice: without it Odoo skips its trigram indexes too). Dropped on
# uninstall (see uninstall.py); the lines' one goes with their table.
TRIGRAM_INDEXES = (
    ("res_partner", "complete_name"),
    ("res_partner", "ref"),
    ("res_partner", "email"),
    ("res_partner", "vat"),
    ("res_partner", "company_registry"),
    ("res_partner", "phone"),
    ("res_partner_phone", "number"),
)


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
        self._cm_create_trigram_indexes()
        self.env.cr.execute(
            SQL(
                """CREATE TABLE IF NOT EXISTS %(table)s (
                       id bigserial PRIMARY KEY, partner_id integer NOT NULL, kind varchar NOT NULL, day date);
                   CREATE INDEX IF NOT EXISTS %(index)s ON %(table)s (partner_id)""",
                table=SQL.identifier(PENDING_TABLE),
                index=SQL.identifier(f"{PENDING_TABLE}_partner_idx"),
            )
        )
        self.env.cr.execute(SQL("SELECT 1 FROM %s LIMIT 1", SQL.identifier(self._table)))
        if not self.env.cr.fetchone():
            self._refresh(None)
            self.env["res.partner"]._cm_fill_activity_dates(None)
        return res

    @api.model
    def _cm_create_trigram_indexes(self):
        registry = self.env.registry
        if not registry.has_trigram:
            return
        for table, column in TRIGRAM_INDEXES:
            if not table_exists(self.env.cr, table):
                continue
            expression = SQL.identifier(column)
            if registry.has_unaccent == FunctionStatus.INDEXABLE:  # as Odoo's searches then do
                expression = registry.unaccent(expression)
            create_index(
                self.env.cr,
                f"{table}_cm_{column}_trgm_index",
                table,
                [SQL("%s gin_trgm_ops", expression)],
                method="gin",
                where=SQL("%s IS NOT NULL", SQL.identifier(column)),
            )

    @api.model
    def _refresh(self, partner_ids):
        """Recompute the rows of ``partner_ids`` (commercial partners), or of everyone when None,
        from the posted customer documents, by one set-based statement: an upsert of the rows
        that changed (``INSERT ... ON CONFLICT DO UPDATE``) and a delete of those left without
        documents; rows that did not change are not written."""
        if partner_ids is not None:
            partner_ids = list(partner_ids)
            if not partner_ids:
                return
        self.env["account.move"].flush_model()
        self.flush_model()
        today = fields.Date.context_today(self)
        unpaid = SQL("m.payment_state IN ('not_paid', 'partial') AND m.amount_residual_signed <> 0")
        columns = ("invoiced_total", "amount_due", "amount_overdue", "first_due_date", "last_invoice_date")
        self.env.cr.execute(
            SQL(
                """
                WITH fresh AS (
                    SELECT m.commercial_partner_id AS partner_id, m.company_id,
                           COALESCE(SUM(m.amount_untaxed_signed), 0) AS invoiced_total,
                           COALESCE(SUM(m.amount_residual_signed) FILTER (WHERE %(unpaid)s), 0) AS amount_due,
                           COALESCE(SUM(due.overdue) FILTER (WHERE %(unpaid)s), 0) AS amount_overdue,
                           MIN(due.first_due) FILTER (WHERE %(unpaid)s AND m.amount_residual_signed > 0)
                               AS first_due_date,
                           MAX(m.invoice_date) AS last_invoice_date
                      FROM account_move m
                      -- each instalment of the payment terms falls due on its own date: the open
                      -- receivable lines, not the document's last due date
                      LEFT JOIN LATERAL (
                          SELECT SUM(l.amount_residual) FILTER (WHERE l.date_maturity < %(today)s) AS overdue,
                                 MIN(l.date_maturity) FILTER (WHERE l.amount_residual > 0) AS first_due
                            FROM account_move_line l
                           WHERE l.move_id = m.id AND l.display_type = 'payment_term' AND NOT l.reconciled
                      ) due ON TRUE
                     WHERE m.state = 'posted' AND m.move_type IN %(types)s
                       AND m.commercial_partner_id IS NOT NULL %(only_moves)s
                     GROUP BY m.commercial_partner_id, m.company_id
                ), gone AS (
                    DELETE FROM %(table)s s
                     WHERE NOT EXISTS (SELECT 1 FROM fresh f
                                        WHERE f.partner_id = s.partner_id AND f.company_id = s.company_id)
                       %(only_stats)s
                )
                INSERT INTO %(table)s AS s (partner_id, company_id, %(columns)s)
                SELECT partner_id, company_id, %(columns)s FROM fresh
                    ON CONFLICT (partner_id, company_id) DO UPDATE
                   SET (%(columns)s) = (%(excluded)s)
                 WHERE (%(current)s) IS DISTINCT FROM (%(excluded)s)
                """,
                table=SQL.identifier(self._table),
                unpaid=unpaid,
                today=today,
                types=CUSTOMER_MOVE_TYPES,
                only_moves=SQL("AND m.commercial_partner_id = ANY(%s)", partner_ids)
                if partner_ids is not None
                else SQL(""),
                only_stats=SQL("AND s.partner_id = ANY(%s)", partner_ids) if partner_ids is not None else SQL(""),
                columns=SQL(", ").join(SQL.identifier(column) for column in columns),
                excluded=SQL(", ").join(SQL.identifier("excluded", column) for column in columns),
                current=SQL(", ").join(SQL.identifier("s", column) for column in columns),
            )
        )
        self.invalidate_model()
        self.env["res.partner"].invalidate_model(self.env["res.partner"]._CM_STAT_FIELDS)

    # ------------------------------------------------------- after-commit bookkeeping
    @api.model
    def _cm_queue_pending(self, kind, partner_ids, day=None):
        """Queue ``kind`` bookkeeping (see PENDING_KINDS) for ``partner_ids``: applied right
        after this transaction commits (nothing if it rolls back)."""
        assert kind in PENDING_KINDS
        partner_ids = sorted({pid for pid in partner_ids if pid})
        if not partner_ids or (kind == "last" and not day):
            return
        self.env.cr.execute(
            SQL(
                "INSERT INTO %s (partner_id, kind, day) SELECT unnest(%s::int[]), %s, %s",
                SQL.identifier(PENDING_TABLE),
                partner_ids,
                kind,
                day,
            )
        )
        postcommit = self.env.cr.postcommit
        own = postcommit.data.get(_PENDING_KEY)
        if own is None:
            own = postcommit.data[_PENDING_KEY] = set()
            registry, uid, context = self.env.registry, self.env.uid, dict(self.env.context)

            @postcommit.add
            def apply_pending():
                _apply_pending_after_commit(registry, uid, context, own)

        own.update(partner_ids)

    @api.model
    def _cm_apply_pending(self, partner_ids=None):
        """Apply the queued bookkeeping of ``partner_ids`` (and of up to a batch of partners
        queued by others), in this transaction, for the partners no other transaction holds
        (``FOR NO KEY UPDATE SKIP LOCKED``: never waits); the queue rows of the others stay for
        a later call. Returns the ids of ``partner_ids`` left queued.

        Dates only move forward (``GREATEST``), the next activity and the figures are
        recomputed from the documents: applying in any order or twice gives the same result."""
        cr = self.env.cr
        own = sorted(set(partner_ids or ()))
        table = SQL.identifier(PENDING_TABLE)
        cr.execute(
            SQL(
                "SELECT DISTINCT partner_id FROM %s WHERE NOT partner_id = ANY(%s) ORDER BY partner_id LIMIT %s",
                table,
                own,
                _PENDING_BATCH,
            )
        )
        candidates = own[:_PENDING_BATCH] + [pid for (pid,) in cr.fetchall()]
        if not candidates:
            return set()
        self.env.flush_all()
        cr.execute(
            SQL(
                "SELECT id FROM res_partner WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE SKIP LOCKED",
                candidates,
            )
        )
        locked = [pid for (pid,) in cr.fetchall()]
        # queue rows of the partners now held by this transaction, or deleted since
        cr.execute(
            SQL(
                """DELETE FROM %s q WHERE q.partner_id = ANY(%s)
                      AND (q.partner_id = ANY(%s) OR NOT EXISTS (SELECT 1 FROM res_partner p WHERE p.id = q.partner_id))
                   RETURNING q.partner_id, q.kind, q.day""",
                table,
                candidates,
                locked,
            )
        )
        last, next_ids, figure_ids = {}, set(), set()
        for pid, kind, day in cr.fetchall():
            if kind == "last":
                last[pid] = max(day, last.get(pid, day))
            elif kind == "next":
                next_ids.add(pid)
            else:
                figure_ids.add(pid)
        # bookkeeping queued by whoever posted: the dates and figures are written for every client
        Partner = self.env["res.partner"].sudo()
        if last:
            cr.execute(
                SQL(
                    """UPDATE res_partner p SET last_activity_date = d.day
                         FROM unnest(%s::int[], %s::date[]) AS d(id, day)
                        WHERE p.id = d.id AND (p.last_activity_date IS NULL OR p.last_activity_date < d.day)""",
                    list(last),
                    list(last.values()),
                )
            )
            Partner.browse(last).invalidate_recordset(["last_activity_date"])
        Partner._cm_refresh_next_activity(next_ids)
        if figure_ids:
            self._refresh(figure_ids)
        cr.execute(SQL("SELECT DISTINCT partner_id FROM %s WHERE partner_id = ANY(%s)", table, own))
        return {pid for (pid,) in cr.fetchall()}

    @api.model
    def _cron_refresh_overdue(self):
        """Invoices fall due without any event: once a day, refresh only the clients having an
        unpaid instalment that fell due during the last week (one statement, no full recompute)."""
        today = fields.Date.context_today(self)
        self.env["account.move"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT m.commercial_partner_id
                  FROM account_move m
                  JOIN account_move_line l ON l.move_id = m.id AND l.display_type = 'payment_term'
                 WHERE m.state = 'posted' AND m.move_type IN %s AND m.payment_state IN ('not_paid', 'partial')
                   AND NOT l.reconciled AND l.date_maturity >= %s AND l.date_maturity < %s
                """,
                CUSTOMER_MOVE_TYPES,
                fields.Date.subtract(today, days=7),
                today,
            )
        )
        self._refresh([row[0] for row in self.env.cr.fetchall()])
        self._cron_apply_pending()

    @api.model
    def _cron_apply_pending(self):
        """Apply the bookkeeping that post-commit hooks left queued (clients busy then)."""
        for _batch in range(20):
            self.env.cr.execute(SQL("SELECT 1 FROM %s LIMIT 1", SQL.identifier(PENDING_TABLE)))
            if not self.env.cr.fetchone():
                return
            self._cm_apply_pending()


def _apply_pending_after_commit(registry, uid, context, partner_ids):
    """Post-commit hook of a transaction that queued bookkeeping: apply it in short
    transactions of their own (read committed: each statement sees the latest commits, so the
    figures recomputed after taking a client's row include every committed document). Clients
    another transaction holds are retried a couple of times, then left queued for the next
    transaction or the cron. Never raises: the user's transaction is already committed."""
    left, waits = set(partner_ids), iter(_PENDING_RETRIES)
    while left:
        count = len(left)
        try:
            with registry.cursor() as cr:
                if isinstance(cr, Cursor):  # a real connection (not the test cursor)
                    cr.connection.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
                # superuser: the bookkeeping of what the user did, written whatever the user may edit
                env = api.Environment(cr, uid, context, su=True)
                left = env["res.partner.invoicing.stat"]._cm_apply_pending(left)
        except Exception:  # the rows stay queued, applied by the next transaction or the cron
            _logger.info("client_management: bookkeeping left queued for %s clients", len(left), exc_info=True)
        if len(left) < count:
            continue  # a batch was applied: on with the next one
        wait = next(waits, None)
        if wait is None:
            break
        time.sleep(wait)
    if left:
        _logger.info("client_management: bookkeeping of %s busy clients left queued", len(left))
