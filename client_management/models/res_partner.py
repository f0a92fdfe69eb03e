import calendar
from datetime import timedelta

from odoo import _, api, fields, models, tools
from odoo.fields import Domain
from odoo.orm.domains import DomainBool, DomainCondition, DomainNary, DomainNot
from odoo.tools import SQL, email_normalize

from .res_partner_phone import LENIENT_KEY, SYNC_KEY, parse_number

# Fields of a client copied on its phone lines (stored related fields of res.partner.phone)
_MIRRORED_ON_PHONE_LINES = {
    "id": "partner_id",
    "active": "partner_active",
    "company_id": "company_id",
    "partner_share": "partner_share",
}


def _on_phone_lines(domain):
    """``domain`` on clients rewritten on their phone lines, or None when it tests a field
    (or holds custom SQL) that the lines do not copy."""
    if isinstance(domain, DomainBool):
        return domain
    if isinstance(domain, DomainCondition):
        head, dot, tail = domain.field_expr.partition(".")
        if head not in _MIRRORED_ON_PHONE_LINES:
            return None
        return Domain(_MIRRORED_ON_PHONE_LINES[head] + dot + tail, domain.operator, domain.value)
    if isinstance(domain, DomainNot):
        child = _on_phone_lines(domain.child)
        return None if child is None else ~child
    if isinstance(domain, DomainNary):
        children = [_on_phone_lines(child) for child in domain.children]
        return None if any(child is None for child in children) else type(domain).apply(children)
    return None


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

    # Contact channels (see res_partner_phone.py / res_partner_email.py)
    phone_ids = fields.One2many("res.partner.phone", "partner_id", string="Phones", copy=False)
    email_ids = fields.One2many("res.partner.email", "partner_id", string="E-mails", copy=False)
    phone_lookup = fields.Char(
        string="Phone (any format)",
        compute="_compute_phone_lookup",
        search="_search_phone_lookup",
        help="Finds the clients owning a number however it is written.",
    )
    duplicate_partner_ids = fields.Many2many(
        "res.partner",
        string="Possible duplicates",
        compute="_compute_duplicate_partner_ids",
        help="Other clients sharing a phone number, an e-mail address or the VAT.",
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
        partners = super().create(vals_list)
        if not self.env.context.get(SYNC_KEY):
            for partner, vals in zip(partners, vals_list, strict=True):
                if vals.get("phone") and not vals.get("phone_ids"):
                    partner._cm_phone_from_native()
                if vals.get("email") and not vals.get("email_ids"):
                    partner._cm_email_from_native()
        return partners

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

    # ------------------------------------------------------------------
    # Contact channels: native phone / email <-> primary lines
    # ------------------------------------------------------------------
    def _cm_phone_region(self):
        """ISO code used for numbers written without "+": the client's country, else the
        company's."""
        partner = self[:1]
        country = partner.country_id or (partner.company_id or self.env.company).country_id
        return country.code or None

    def _cm_sync_phones(self):
        """Exactly one primary line whenever lines exist; the native phone equals it."""
        self._cm_sync_primary("phone_ids", "number", "phone")

    def _cm_sync_emails(self):
        """Exactly one primary line whenever lines exist; the native e-mail equals it."""
        self._cm_sync_primary("email_ids", "email", "email")

    def _cm_sync_primary(self, lines_field, value_field, native_field):
        for partner in self:
            lines = partner[lines_field].sorted(lambda line: (line.sequence, line.id))
            primaries = lines.filtered("is_primary")
            if len(primaries) > 1:
                primaries[1:].with_context(**{SYNC_KEY: True}).write({"is_primary": False})
                primaries[1:].flush_recordset(["is_primary"])
                primaries = primaries[:1]
            if lines and not primaries:
                primaries = lines[:1]
                primaries.with_context(**{SYNC_KEY: True}).write({"is_primary": True})
            value = primaries[value_field] or False
            if (partner[native_field] or False) != value:
                partner.with_context(**{SYNC_KEY: True}).write({native_field: value})

    def _cm_phone_from_native(self):
        """The native phone was written (form, another module, RPC): the lines follow."""
        Line = self.env["res.partner.phone"].sudo().with_context(**{SYNC_KEY: True, LENIENT_KEY: True})
        for partner in self.sudo():
            value = (partner.phone or "").strip()
            lines = partner.phone_ids
            primary = lines.filtered("is_primary")[:1]
            if not value:
                primary.with_context(**{SYNC_KEY: True}).unlink()
            else:
                parsed = parse_number(value, partner._cm_phone_region())
                same = lines.filtered(
                    lambda line, p=parsed, v=value: (p and line.number_e164 == p[0]) or line.number == v
                )[:1]
                if same:
                    if not same.is_primary:
                        Line.browse(same.id).write({"is_primary": True})
                elif primary:
                    Line.browse(primary.id).write({"number": value})
                else:
                    Line.create({"partner_id": partner.id, "number": value, "is_primary": True, "sequence": 1})
            partner._cm_sync_phones()

    def _cm_email_from_native(self):
        Line = self.env["res.partner.email"].sudo().with_context(**{SYNC_KEY: True, LENIENT_KEY: True})
        for partner in self.sudo():
            value = (partner.email or "").strip()
            lines = partner.email_ids
            primary = lines.filtered("is_primary")[:1]
            if not value:
                primary.with_context(**{SYNC_KEY: True}).unlink()
            else:
                normalized = email_normalize(value) or value
                same = lines.filtered(lambda line, n=normalized: line.email == n)[:1]
                if same:
                    if not same.is_primary:
                        Line.browse(same.id).write({"is_primary": True})
                elif primary:
                    Line.browse(primary.id).write({"email": value})
                else:
                    Line.create({"partner_id": partner.id, "email": value, "is_primary": True, "sequence": 1})
            partner._cm_sync_emails()

    def _cm_channels_after_write(self, vals_list):
        if self.env.context.get(SYNC_KEY):
            return
        for partner, vals in zip(self, vals_list, strict=True):
            if "phone_ids" not in vals and "phone" in vals:
                partner._cm_phone_from_native()
            if "email_ids" not in vals and "email" in vals:
                partner._cm_email_from_native()

    def write(self, vals):
        result = super().write(vals)
        self._cm_channels_after_write([vals] * len(self))
        return result

    # ------------------------------------------------------------------
    # Lookup by phone
    # ------------------------------------------------------------------
    @api.model
    def find_by_phone(self, number, country_code=None):
        """Clients owning ``number`` however it is written ("+7 777 785 99 54",
        "8 (777) 785-99-54", "0077777859954", "26123456" with country_code "LV").

        Numbers written without "+" or "00" are read in ``country_code``, else in the
        company's country. Matching is an equality on the indexed ``number_e164``.
        Entry point of telephony integrations (callable over RPC).
        """
        candidates = self.env["res.partner.phone"]._cm_lookup_candidates(number, country_code)
        if not candidates:
            return self.browse()
        self.check_access("read")
        # one statement: the indexed equality on the phone lines of the clients this user
        # may read (record rules, archived clients), as a search would filter them, without
        # building the rules' domain again at every call; execute_query flushes what it reads
        from_clause, where_clause = self._cm_readable_phone_lines()
        phone_fields = self.env["res.partner.phone"]._fields
        rows = self.env.execute_query(
            SQL(
                """SELECT DISTINCT res_partner_phone.partner_id FROM %s
                    WHERE res_partner_phone.number_e164 = ANY(%s) AND %s
                 ORDER BY res_partner_phone.partner_id""",
                from_clause,
                SQL("%s", list(candidates), to_flush=(phone_fields["number_e164"], phone_fields["partner_id"])),
                where_clause,
            )
        )
        return self.browse(row[0] for row in rows)

    @api.model
    @tools.ormcache(
        "self.env.uid",
        "self.env.su",
        "self.env.context.get('active_test', True)",
        "tuple(self.env['ir.rule']._compute_domain_context_values())",
    )
    def _cm_readable_phone_lines(self):
        """FROM and WHERE clauses selecting the phone lines of the clients this user may
        read, cached with the same key as Odoo's record rules (``ir.rule._compute_domain``),
        so cleared with them.

        When the rules only test fields the lines copy from their client (Odoo's own rules:
        company, internal users' partners, archiving, the client itself), they are applied
        to the copies on ``res_partner_phone``; otherwise the lines are joined to the
        readable clients."""
        Phone = self.env["res.partner.phone"].sudo().with_context(active_test=False)
        domain = Domain.TRUE
        if self.env.context.get("active_test", True):
            domain = Domain("active", "=", True)
        if not self.env.su:
            domain &= self.env["ir.rule"]._compute_domain(self._name, "read")
        on_lines = _on_phone_lines(domain)
        if on_lines is None:
            on_lines = Domain("partner_id", "in", self._search([]))
        query = Phone._search(on_lines, bypass_access=True)
        assert query.table == "res_partner_phone"
        return query.from_clause, query.where_clause or SQL("TRUE")

    def _compute_phone_lookup(self):
        for partner in self:
            partner.phone_lookup = partner.phone

    def _search_phone_lookup(self, operator, value):
        if operator not in ("ilike", "=", "like", "=ilike") or not isinstance(value, str):
            return NotImplemented
        ids = self.find_by_phone(value).ids
        return ["|", "|", ("id", "in", ids), ("phone_ids.number", "ilike", value), ("phone", "ilike", value)]

    # ------------------------------------------------------------------
    # Duplicates
    # ------------------------------------------------------------------
    def _compute_duplicate_partner_ids(self):
        self.env["res.partner.phone"].flush_model(["number_e164", "partner_id"])
        self.env["res.partner.email"].flush_model(["email", "partner_id"])
        self.flush_model(["vat", "commercial_partner_id", "active"])
        for partner in self:
            pid = partner._origin.id
            if not pid:
                partner.duplicate_partner_ids = False
                continue
            self.env.cr.execute(
                SQL(
                    """
                    WITH me AS (SELECT id, commercial_partner_id,
                                       upper(replace(coalesce(vat, ''), ' ', '')) AS vat
                                  FROM res_partner WHERE id = %(pid)s)
                    SELECT o.partner_id FROM res_partner_phone o
                      JOIN res_partner_phone m ON m.number_e164 = o.number_e164
                     WHERE m.partner_id = %(pid)s AND o.partner_id <> %(pid)s
                    UNION
                    SELECT o.partner_id FROM res_partner_email o
                      JOIN res_partner_email m ON m.email = o.email
                     WHERE m.partner_id = %(pid)s AND o.partner_id <> %(pid)s
                    UNION
                    SELECT p.id FROM res_partner p, me
                     WHERE me.vat <> '' AND p.id <> me.id
                       AND upper(replace(coalesce(p.vat, ''), ' ', '')) = me.vat
                       AND p.commercial_partner_id <> me.commercial_partner_id
                       AND p.commercial_partner_id = p.id
                    """,
                    pid=pid,
                )
            )
            ids = [row[0] for row in self.env.cr.fetchall()]
            family = partner._origin.commercial_partner_id
            others = self.search([("id", "in", ids)]) if ids else self.browse()
            others = others.filtered(lambda p, f=family: p.commercial_partner_id != f or not f)
            partner.duplicate_partner_ids = others

    def action_merge_duplicates(self):
        """Odoo's merge wizard on this client and its possible duplicates."""
        self.ensure_one()
        ids = [self.id, *self.duplicate_partner_ids.ids]
        return {
            "type": "ir.actions.act_window",
            "name": _("Merge clients"),
            "res_model": "base.partner.merge.automatic.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"active_model": "res.partner", "active_ids": ids, "active_id": self.id},
        }
