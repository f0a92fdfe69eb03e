import operator as py_operator
from urllib.parse import quote_plus

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from .res_partner_invoicing_stat import CUSTOMER_MOVE_TYPES

ACCOUNTING_GROUPS = "account.group_account_invoice,account.group_account_readonly"
_OPERATORS = {
    "=": py_operator.eq,
    "!=": py_operator.ne,
    ">": py_operator.gt,
    ">=": py_operator.ge,
    "<": py_operator.lt,
    "<=": py_operator.le,
}


class ResPartner(models.Model):
    # res.partner is extended by concern (card, channels, invoicing, merge), files under 400 lines
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # Figures of the commercial partner in the active company (see res.partner.invoicing.stat):
    # read, searched and sorted through that table, never recomputed for everyone.
    _CM_STAT_FIELDS = ("invoiced_total", "amount_due", "amount_overdue", "last_invoice_date")

    cm_currency_id = fields.Many2one("res.currency", compute="_compute_cm_invoicing", string="Company currency")
    invoiced_total = fields.Monetary(
        "Turnover",
        currency_field="cm_currency_id",
        compute="_compute_cm_invoicing",
        search="_search_invoiced_total",
        groups=ACCOUNTING_GROUPS,
        help="Posted customer invoices minus credit notes, without taxes, in the company currency.",
    )
    amount_due = fields.Monetary(
        "Outstanding",
        currency_field="cm_currency_id",
        compute="_compute_cm_invoicing",
        search="_search_amount_due",
        groups=ACCOUNTING_GROUPS,
        help="What is left to pay on posted customer invoices, less open credit notes.",
    )
    amount_overdue = fields.Monetary(
        "Overdue",
        currency_field="cm_currency_id",
        compute="_compute_cm_invoicing",
        search="_search_amount_overdue",
        groups=ACCOUNTING_GROUPS,
        help="Outstanding amount of the invoices whose due date has passed.",
    )
    last_invoice_date = fields.Date(
        compute="_compute_cm_invoicing",
        search="_search_last_invoice_date",
        groups=ACCOUNTING_GROUPS,
    )
    last_activity_date = fields.Date(
        readonly=True,
        groups="base.group_user",
        copy=False,
        index=True,
        help="Latest invoice, payment, logged message, finished activity or e-mail.",
    )
    next_activity_date = fields.Date(
        readonly=True,
        groups="base.group_user",
        copy=False,
        index=True,
        help="Deadline of the earliest planned activity (reminder).",
    )
    cm_invoice_ids = fields.Many2many(
        "account.move",
        string="Latest invoices",
        compute="_compute_cm_invoice_ids",
        groups=ACCOUNTING_GROUPS,
    )
    cm_payment_count = fields.Integer("Payments", compute="_compute_cm_payment_count", groups=ACCOUNTING_GROUPS)

    # ------------------------------------------------------------------ figures
    @api.depends_context("company")
    def _compute_cm_invoicing(self):
        company = self.env.company
        Stat = self.env["res.partner.invoicing.stat"]
        stats = []
        # Read as the user: only accounting users may read the figures (the currency, computed
        # here too, is for everyone), and the figures' record rules hide those of a client the
        # user may not read.
        if Stat.has_access("read"):
            stats = Stat.search_read(
                [("company_id", "=", company.id), ("partner_id", "in", self.commercial_partner_id.ids)],
                ["partner_id", *self._CM_STAT_FIELDS],
            )
        by_partner = {row["partner_id"][0]: row for row in stats}
        for partner in self:
            row = by_partner.get(partner.commercial_partner_id.id, {})
            partner.cm_currency_id = company.currency_id
            partner.invoiced_total = row.get("invoiced_total", 0.0)
            partner.amount_due = row.get("amount_due", 0.0)
            partner.amount_overdue = row.get("amount_overdue", 0.0)
            partner.last_invoice_date = row.get("last_invoice_date", False)

    def _cm_stat_alias(self, alias, query):
        """LEFT JOIN the figures of the active company once per query; return its alias."""
        stat_alias = query.make_alias(alias, "cm_stat")
        query.add_join(
            "LEFT JOIN",
            stat_alias,
            "res_partner_invoicing_stat",
            SQL(
                "%s = %s AND %s = %s",
                SQL.identifier(stat_alias, "partner_id"),
                SQL.identifier(alias, "commercial_partner_id"),
                SQL.identifier(stat_alias, "company_id"),
                self.env.company.id,
            ),
        )
        return stat_alias

    def _field_to_sql(self, alias, field_expr, query=None):
        if field_expr in self._CM_STAT_FIELDS and query is not None:
            self._check_field_access(self._fields[field_expr], "read")
            return SQL.identifier(self._cm_stat_alias(alias, query), field_expr)
        return super()._field_to_sql(alias, field_expr, query)

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        if field_name in self._CM_STAT_FIELDS:
            # Clients without invoices in the company come last in a descending sort, first in
            # an ascending one: the order then matches the (company, figure) indexes.
            if not nulls.code:
                nulls = SQL("NULLS LAST") if direction.code == "DESC" else SQL("NULLS FIRST")
            return SQL("%s %s %s", self._field_to_sql(alias, field_name, query), direction, nulls)
        return super()._order_field_to_sql(alias, field_name, direction, nulls, query)

    def _cm_search_stat(self, fname, operator, value, column=None):
        """Condition on a figure, written on the same join as the sort: a condition that a
        client without figures cannot meet turns the join into an inner one, so that the list
        "has unpaid invoices, by turnover" is read from the indexes."""
        self._check_field_access(self._fields[fname], "read")
        if operator not in _OPERATORS or isinstance(value, (list, tuple)):
            return NotImplemented
        column = column or fname
        is_date = self._fields[fname].type == "date" or column == "first_due_date"
        if value is None:
            value = False
        if not is_date and value is False:
            value = 0.0
        if is_date and value is False:
            if operator not in ("=", "!="):
                return NotImplemented
            test = SQL("IS NULL") if operator == "=" else SQL("IS NOT NULL")
            return Domain.custom(
                to_sql=lambda model, alias, query: SQL(
                    "%s %s", SQL.identifier(model._cm_stat_alias(alias, query), column), test
                )
            )
        empty_matches = not is_date and _OPERATORS[operator](0.0, value)

        def to_sql(model, alias, query):
            sql_column = SQL.identifier(model._cm_stat_alias(alias, query), column)
            if empty_matches:
                sql_column = SQL("COALESCE(%s, 0)", sql_column)
            return SQL("%s %s %s", sql_column, SQL(operator), value)

        return Domain.custom(to_sql=to_sql)

    def _search_invoiced_total(self, operator, value):
        return self._cm_search_stat("invoiced_total", operator, value)

    def _search_amount_due(self, operator, value):
        return self._cm_search_stat("amount_due", operator, value)

    def _search_amount_overdue(self, operator, value):
        if operator == ">" and not value:
            # Exact at any time, even before the daily refresh of the overdue amounts.
            today = fields.Date.context_today(self)
            return self._cm_search_stat("amount_overdue", "<", today, column="first_due_date")
        return self._cm_search_stat("amount_overdue", operator, value)

    def _search_last_invoice_date(self, operator, value):
        return self._cm_search_stat("last_invoice_date", operator, value)

    def _cm_refresh_invoicing(self):
        """Refresh the figures of these partners' commercial partners (all companies)."""
        self.env["res.partner.invoicing.stat"]._refresh(set(self.commercial_partner_id.ids))

    # --------------------------------------------------------- activity dates
    @api.model
    def _cm_fill_activity_dates(self, partner_ids):
        """Set last/next activity dates of ``partner_ids`` (or everyone when None) by SQL."""
        if partner_ids is not None and not partner_ids:
            return
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH last AS (
                    SELECT partner_id, MAX(day) AS day FROM (
                        SELECT commercial_partner_id AS partner_id, MAX(invoice_date) AS day
                          FROM account_move WHERE state = 'posted' AND invoice_date IS NOT NULL
                           AND move_type IN ('out_invoice', 'out_refund', 'out_receipt',
                                             'in_invoice', 'in_refund', 'in_receipt')
                         GROUP BY 1
                        UNION ALL
                        SELECT partner_id, MAX(date) FROM account_payment
                         WHERE state IN ('in_process', 'paid') GROUP BY 1
                        UNION ALL
                        SELECT res_id, MAX(date)::date FROM mail_message
                         WHERE model = 'res.partner'
                           AND (message_type <> 'notification' OR subtype_id = ANY(%(subtypes)s))
                         GROUP BY 1
                    ) AS days GROUP BY partner_id
                ), next AS (
                    SELECT res_id AS partner_id, MIN(date_deadline) AS day FROM mail_activity
                     WHERE res_model = 'res.partner' AND active GROUP BY 1
                )
                UPDATE res_partner p
                   SET last_activity_date = last.day, next_activity_date = next.day
                  FROM res_partner p2
                  LEFT JOIN last ON last.partner_id = p2.id
                  LEFT JOIN next ON next.partner_id = p2.id
                 WHERE p2.id = p.id
                   AND (p.last_activity_date IS DISTINCT FROM last.day
                        OR p.next_activity_date IS DISTINCT FROM next.day)
                   %(only)s
                """,
                subtypes=self._cm_activity_subtype_ids(),
                only=SQL("AND p.id = ANY(%s)", list(partner_ids)) if partner_ids is not None else SQL(""),
            )
        )
        self.invalidate_model(["last_activity_date", "next_activity_date"])

    @api.model
    def _cm_activity_subtype_ids(self):
        """Notification subtypes that count as activity with the client."""
        xmlids = [
            "mail.mt_activities",
            "client_management.mt_invoice_posted",
            "client_management.mt_invoice_payment",
            "client_management.mt_invoice_sent",
            "client_management.mt_bill_posted",
            "client_management.mt_bill_payment",
        ]
        return [sub.id for xmlid in xmlids if (sub := self.env.ref(xmlid, raise_if_not_found=False))]

    @api.model
    def _cm_touch_last_activity(self, partner_ids, day):
        """Move the last activity date of ``partner_ids`` forward to ``day`` (never backwards),
        right after this transaction commits: the client's row is written in a short transaction
        of its own, so that posting a message or an invoice never waits for, nor makes fail,
        another user working on the same client (see res.partner.invoicing.stat)."""
        self.env["res.partner.invoicing.stat"]._cm_queue_pending("last", partner_ids, day)

    @api.model
    def _cm_refresh_next_activity(self, partner_ids):
        """Recompute the next activity date of ``partner_ids`` from their planned activities
        (run after commit, see mail.activity)."""
        if not partner_ids:
            return
        self.env["mail.activity"].flush_model(["res_model", "res_id", "date_deadline", "active"])
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner p SET next_activity_date = n.day
                  FROM (SELECT p2.id, (SELECT MIN(a.date_deadline) FROM mail_activity a
                                        WHERE a.res_model = 'res.partner' AND a.res_id = p2.id AND a.active) AS day
                          FROM res_partner p2 WHERE p2.id = ANY(%s)) AS n
                 WHERE p.id = n.id AND p.next_activity_date IS DISTINCT FROM n.day
                """,
                list(partner_ids),
            )
        )
        self.browse(partner_ids).invalidate_recordset(["next_activity_date"])

    # ------------------------------------------------------------------ card
    def _cm_invoice_domain(self):
        return [
            ("commercial_partner_id", "=", self.commercial_partner_id.id),
            ("move_type", "in", CUSTOMER_MOVE_TYPES),
            ("state", "!=", "cancel"),
        ]

    @api.depends_context("company")
    def _compute_cm_invoice_ids(self):
        # the active company's, as the figures beside the list
        company = [("company_id", "=", self.env.company.id)]
        for partner in self:
            partner.cm_invoice_ids = self.env["account.move"].search(
                partner._cm_invoice_domain() + company, order="invoice_date desc, id desc", limit=20
            )

    def _compute_cm_payment_count(self):
        groups = self.env["account.payment"]._read_group(
            [("partner_id", "child_of", self.commercial_partner_id.ids)],
            ["partner_id"],
            ["__count"],
        )
        counts = {}
        for partner, count in groups:
            key = partner.commercial_partner_id.id
            counts[key] = counts.get(key, 0) + count
        for partner in self:
            partner.cm_payment_count = counts.get(partner.commercial_partner_id.id, 0)

    def _cm_invoices_action(self, search_default=None):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id("account.action_move_out_invoice_type")
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id),
            ("move_type", "in", CUSTOMER_MOVE_TYPES),
        ]
        context = {"default_move_type": "out_invoice", "default_partner_id": self.id}
        if search_default:
            context[f"search_default_{search_default}"] = 1
        action["context"] = context
        action["display_name"] = self.env._("Invoices of %s", self.commercial_partner_id.display_name)
        return action

    def action_cm_invoices(self):
        return self._cm_invoices_action()

    def action_cm_unpaid_invoices(self):
        return self._cm_invoices_action("open")

    def action_cm_overdue_invoices(self):
        return self._cm_invoices_action("late")

    def action_cm_payments(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id("account.action_account_payments")
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id, "default_payment_type": "inbound"}
        return action

    def action_cm_new_invoice(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id("account.action_move_out_invoice_type")
        action.update(
            {
                "views": [(False, "form")],
                "view_mode": "form",
                "context": {"default_move_type": "out_invoice", "default_partner_id": self.id},
            }
        )
        return action

    def action_cm_send_email(self):
        self.ensure_one()
        return self._cm_composer_action(
            self.env._("Send e-mail"), default_partner_ids=self.ids, default_subtype_xmlid="mail.mt_comment"
        )

    def _cm_composer_action(self, name, **context):
        """Odoo's composer on this client, in comment mode, with ``context`` as its defaults."""
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_composition_mode": "comment",
                "default_model": "res.partner",
                "default_res_ids": self.ids,
                **context,
            },
        }

    def _cm_map_query(self):
        self.ensure_one()
        parts = [self.street, self.street2, self.zip, self.city, self.state_id.name, self.country_id.name]
        return ", ".join(part for part in parts if part)

    def action_cm_show_on_map(self):
        self.ensure_one()
        query = self._cm_map_query()
        if not query:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {"message": self.env._("The client has no address."), "type": "warning"},
            }
        return {
            "type": "ir.actions.act_url",
            "url": f"https://www.openstreetmap.org/search?query={quote_plus(query)}",
            "target": "new",
        }
