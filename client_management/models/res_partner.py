import calendar
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.tools import SQL


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Native fields, re-declared only to add tracking and user-facing labels.
    company_type = fields.Selection(
        selection=[("person", "Individual"), ("company", "Company")],
    )
    is_company = fields.Boolean(tracking=True)
    user_id = fields.Many2one(
        string="Responsible manager",
        default=lambda self: self._default_responsible_manager(),
        tracking=True,
    )
    category_id = fields.Many2many(tracking=True)
    ref = fields.Char(tracking=True)
    active = fields.Boolean(tracking=True)

    is_supplier = fields.Boolean(
        string="Supplier",
        tracking=True,
        index=True,
        help="Set by hand, or automatically when a vendor bill of this partner is posted.",
    )
    is_conflict = fields.Boolean(
        string="Conflict client",
        tracking=True,
        index=True,
        help="Marks a client to be handled with care: a warning is shown when the "
        "client is picked on an invoice or a bill.",
    )
    conflict_note = fields.Text(
        string="Conflict note",
        tracking=True,
        help="What happened with this client; shown in the conflict banner and warnings.",
    )
    birthdate = fields.Date(string="Birthdate", tracking=True)
    birthday_key = fields.Integer(
        string="Birthday (month and day)",
        compute="_compute_birthday_key",
        store=True,
        index=True,
        help="Month * 100 + day of the birthdate, used by the birthday filters.",
    )
    is_birthday_this_week = fields.Boolean(
        string="Birthday this week",
        compute="_compute_is_birthday",
        search="_search_is_birthday_this_week",
    )
    is_birthday_this_month = fields.Boolean(
        string="Birthday this month",
        compute="_compute_is_birthday",
        search="_search_is_birthday_this_month",
    )
    acquisition_source_id = fields.Many2one(
        "utm.source",
        string="How did the client hear about us",
        ondelete="set null",
        index="btree_not_null",
        tracking=True,
    )

    # ------------------------------------------------------------------
    # Defaults
    # ------------------------------------------------------------------
    @api.model
    def _default_responsible_manager(self):
        user = self.env.user
        if user._is_internal() and not user._is_superuser():
            return user.id
        return False

    # ------------------------------------------------------------------
    # Birthdays
    # ------------------------------------------------------------------
    @api.depends("birthdate")
    def _compute_birthday_key(self):
        for partner in self:
            date = partner.birthdate
            partner.birthday_key = date.month * 100 + date.day if date else 0

    def _compute_is_birthday(self):
        today = fields.Date.context_today(self)
        week_keys = set(self._birthday_keys_of_week(today))
        for partner in self:
            key = partner.birthday_key
            partner.is_birthday_this_week = bool(key) and key in week_keys
            partner.is_birthday_this_month = bool(key) and key // 100 == today.month

    @api.model
    def _birthday_keys_of_week(self, day):
        """Month*100+day keys of the ISO week (Monday to Sunday) containing ``day``.

        Someone born on 29 February celebrates on 28 February in common years.
        """
        monday = day - timedelta(days=day.weekday())
        keys = []
        for offset in range(7):
            date = monday + timedelta(days=offset)
            keys.append(date.month * 100 + date.day)
            if date.month == 2 and date.day == 28 and not calendar.isleap(date.year):
                keys.append(229)
        return keys

    def _birthday_search(self, operator, value, keys_domain):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        positive = (operator == "=") == value
        if positive:
            return keys_domain
        return ["!", *keys_domain]

    def _search_is_birthday_this_week(self, operator, value):
        today = fields.Date.context_today(self)
        keys = self._birthday_keys_of_week(today)
        return self._birthday_search(operator, value, [("birthday_key", "in", keys)])

    def _search_is_birthday_this_month(self, operator, value):
        month = fields.Date.context_today(self).month
        domain = [
            ("birthday_key", ">=", month * 100 + 1),
            ("birthday_key", "<=", month * 100 + 31),
        ]
        return self._birthday_search(operator, value, domain)

    # ------------------------------------------------------------------
    # Codes and names
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        sequence = self.env["ir.sequence"].sudo()
        for vals in vals_list:
            if not vals.get("ref"):
                vals["ref"] = sequence.next_by_code("client_management.client_code")
            if not vals.get("name") and not vals.get("parent_id") and vals.get("ref"):
                # A contact of type 'contact' needs a name: give it one from its code.
                vals["name"] = _("Client %(code)s", code=vals["ref"])
        return super().create(vals_list)

    @api.model
    def _assign_missing_client_codes(self):
        """Give every existing contact without a code one from the client code sequence.

        Runs once at install, as one UPDATE drawing numbers from the sequence's own
        PostgreSQL sequence (no loop over records), so that codes stay unique with the ones
        ``create`` draws later.
        """
        sequence = self.env.ref("client_management.seq_client_code", raise_if_not_found=False)
        if not sequence or sequence.implementation != "standard" or sequence.use_date_range:
            for partner in self.with_context(active_test=False).search([("ref", "in", [False, ""])]):
                partner.ref = self.env["ir.sequence"].sudo().next_by_code("client_management.client_code")
            return
        prefix, suffix = sequence._get_prefix_suffix()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner
                   SET ref = %(prefix)s
                             || lpad(nextval(%(seq_name)s)::text, %(padding)s, '0')
                             || %(suffix)s
                 WHERE ref IS NULL OR ref = ''
                """,
                prefix=prefix,
                suffix=suffix,
                padding=sequence.padding,
                seq_name=f"ir_sequence_{sequence.id:03d}",
            )
        )
        self.invalidate_model(["ref"])

    # ------------------------------------------------------------------
    # Markers next to the name (list buttons)
    # ------------------------------------------------------------------
    def action_open_supplier_bills(self):
        """The truck marker: open the vendor bills of this supplier (its card for users
        who may not see bills)."""
        self.ensure_one()
        user = self.env.user
        if not (user.has_group("account.group_account_invoice") or user.has_group("account.group_account_readonly")):
            return {
                "type": "ir.actions.act_window",
                "res_model": "res.partner",
                "res_id": self.id,
                "views": [(False, "form")],
            }
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_in_invoice_type")
        action["domain"] = [
            ("move_type", "in", ("in_invoice", "in_refund", "in_receipt")),
            ("partner_id", "child_of", self.commercial_partner_id.id),
        ]
        action["context"] = {"default_move_type": "in_invoice", "default_partner_id": self.id}
        return action

    def action_show_conflict_note(self):
        """The red marker: show why this client is a conflict client."""
        self.ensure_one()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "danger",
                "sticky": True,
                "title": _("Conflict client: %(client)s", client=self.display_name),
                "message": self.conflict_note or _("No note was written."),
            },
        }

    # ------------------------------------------------------------------
    # Conflict warning, reused by invoices and bills
    # ------------------------------------------------------------------
    def _get_conflict_warning(self):
        """Return an onchange warning dict when this client is a conflict client."""
        partner = self.commercial_partner_id if self.commercial_partner_id else self
        flagged = self if self.is_conflict else partner
        if not flagged.is_conflict:
            return False
        message = _("%(client)s is marked as a conflict client.", client=flagged.display_name)
        if flagged.conflict_note:
            message += "\n\n" + flagged.conflict_note
        return {"title": _("Conflict client"), "message": message}
