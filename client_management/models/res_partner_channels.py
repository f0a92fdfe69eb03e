from odoo import api, fields, models, tools
from odoo.fields import Domain
from odoo.orm.domains import DomainBool, DomainCondition, DomainNary, DomainNot
from odoo.tools import SQL, email_normalize_all

from .res_partner import INTERNAL
from .res_partner_phone import LENIENT_KEY, SYNC_KEY, parse_number

# Above this many matching numbers, a phone search is left to a scan (see _search_phone_lookup).
_PHONE_IDS_LIMIT = 5000

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
    """Several phones and e-mails per client; the native ``phone`` / ``email`` stay what was
    written and correspond to the primary lines."""

    # res.partner is extended by concern (card, channels, invoicing, merge), files under 400 lines
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    phone_ids = fields.One2many("res.partner.phone", "partner_id", string="Phones", copy=False, groups=INTERNAL)
    email_ids = fields.One2many("res.partner.email", "partner_id", string="E-mails", copy=False, groups=INTERNAL)
    phone_lookup = fields.Char(
        string="Phone (any format)",
        compute="_compute_phone_lookup",
        search="_search_phone_lookup",
        groups=INTERNAL,
        help="Finds the clients owning a number however it is written.",
    )
    duplicate_partner_ids = fields.Many2many(
        "res.partner",
        string="Possible duplicates",
        compute="_compute_duplicate_partner_ids",
        groups=INTERNAL,
        help="Other clients sharing a phone number, an e-mail address or the VAT.",
    )

    # ------------------------------------------------------------------
    # Native phone / email <-> primary lines
    # ------------------------------------------------------------------
    def _cm_phone_region(self):
        """ISO code used for numbers written without "+": the client's country, else the
        company's."""
        partner = self[:1]
        country = partner.country_id or (partner.company_id or self.env.company).country_id
        return country.code or None

    def _cm_phone_matches(self, text, line):
        """Does the native ``text`` stand for the number of ``line``?"""
        text = (text or "").strip()
        if not text or not line:
            return not text and not line
        if text == (line.number or "").strip():
            return True
        parsed = line.number_e164 and parse_number(text, self._cm_phone_region())
        return bool(parsed) and parsed[0] == line.number_e164

    def _cm_email_matches(self, text, primary, lines):
        """Does the native ``text`` stand for the primary address (its first address) with
        every other address it holds among the lines?"""
        text = (text or "").strip()
        if not text or not primary:
            return not text and not primary
        addresses = email_normalize_all(text)
        if not addresses:
            return text == primary.email
        return addresses[0] == primary.email and set(addresses) <= set(lines.mapped("email"))

    def _cm_sync_phones(self, lines_removed=False, keep_native=False):
        """Exactly one primary line whenever lines exist; the native phone stands for it."""
        self._cm_sync_primary("phone_ids", "number", "phone", lines_removed, keep_native)

    def _cm_sync_emails(self, lines_removed=False, keep_native=False):
        """Exactly one primary line whenever lines exist; the native e-mail stands for it."""
        self._cm_sync_primary("email_ids", "email", "email", lines_removed, keep_native)

    def _cm_sync_primary(self, lines_field, value_field, native_field, lines_removed=False, keep_native=False):
        """After the lines changed in the Clients app: one primary line, and the native field
        rewritten when it no longer stands for it. With ``keep_native`` (the native field was
        just written), only the primary flags are put right: what was written stays."""
        for partner in self:
            lines = partner[lines_field].sorted(lambda line: (line.sequence, line.id))
            if not lines and not lines_removed:
                continue  # a client without lines keeps its native value: nothing to follow
            primaries = lines.filtered("is_primary")
            if len(primaries) > 1:
                primaries[1:].with_context(**{SYNC_KEY: True}).write({"is_primary": False})
                primaries[1:].flush_recordset(["is_primary"])
                primaries = primaries[:1]
            if keep_native:
                continue
            if lines and not primaries:
                primaries = lines[:1]
                primaries.with_context(**{SYNC_KEY: True}).write({"is_primary": True})
            native = partner[native_field]
            if native_field == "phone":
                matches = partner._cm_phone_matches(native, primaries)
            else:
                matches = partner._cm_email_matches(native, primaries, lines)
            if not matches:
                # the lines were edited: the native field takes the primary line's value
                partner.with_context(**{SYNC_KEY: True}).write({native_field: primaries[value_field] or False})

    def _cm_phone_from_native(self):
        """The native phone was written (form, another module, RPC) and keeps the text as
        written; the lines follow it: a line the client already has with that number becomes
        the primary one, else the primary line takes the new number; cleared, the primary line
        goes. The client's other numbers stay."""
        # the lines follow whoever wrote the native field, even a user without Clients rights
        Line = self.env["res.partner.phone"].sudo().with_context(**{SYNC_KEY: True, LENIENT_KEY: True})  # see above
        for partner in self.sudo():  # its lines, whoever wrote the native field
            value = (partner.phone or "").strip()
            lines = partner.phone_ids
            primary = lines.filtered("is_primary")[:1]
            if not value:
                Line.browse(primary.ids).unlink()
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
            partner._cm_sync_phones(keep_native=True)

    def _cm_email_from_native(self):
        """The native e-mail was written and keeps the text as written; the lines follow it:
        its first address is the primary line (the former primary line takes it, unless the
        client already has it), each other address it holds ("a@x.com, b@y.com") a line of its
        own; cleared, the primary line goes. The client's other addresses stay."""
        # the lines follow whoever wrote the native field, even a user without Clients rights
        Line = self.env["res.partner.email"].sudo().with_context(**{SYNC_KEY: True, LENIENT_KEY: True})  # see above
        for partner in self.sudo():  # its lines, whoever wrote the native field
            value = (partner.email or "").strip()
            # text that holds no address is kept as typed on the primary line
            addresses = list(dict.fromkeys(email_normalize_all(value) or ([value] if value else [])))
            lines = partner.email_ids
            primary = lines.filtered("is_primary")[:1]
            if not addresses:
                Line.browse(primary.ids).unlink()
            else:
                same = lines.filtered(lambda line, a=addresses[0]: line.email == a)[:1]
                if same:
                    if not same.is_primary:
                        Line.browse(same.id).write({"is_primary": True})
                elif primary:
                    Line.browse(primary.id).write({"email": addresses[0]})
                else:
                    Line.create({"partner_id": partner.id, "email": addresses[0], "is_primary": True, "sequence": 1})
            known = set(partner.email_ids.mapped("email"))
            new = [address for address in addresses[1:] if address not in known]
            if new:
                sequence = max(partner.email_ids.mapped("sequence") or [0]) + 1
                Line.create(
                    [
                        {"partner_id": partner.id, "email": address, "sequence": sequence + index}
                        for index, address in enumerate(new)
                    ]
                )
            partner._cm_sync_emails(keep_native=True)

    def _cm_channels_after_create(self, vals_list):
        if self.env.context.get(SYNC_KEY):
            return
        for partner, vals in zip(self, vals_list, strict=True):
            # partner.phone / email: also a value given as a default (``default_phone`` in context)
            if not vals.get("phone_ids") and (vals.get("phone") or partner.phone):
                partner._cm_phone_from_native()
            if not vals.get("email_ids") and (vals.get("email") or partner.email):
                partner._cm_email_from_native()

    def write(self, vals):
        result = super().write(vals)
        if not self.env.context.get(SYNC_KEY):
            if "phone" in vals and "phone_ids" not in vals:
                self._cm_phone_from_native()
            if "email" in vals and "email_ids" not in vals:
                self._cm_email_from_native()
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
        # the lookup reads phone lines, which only employees may read (portal users have no
        # access to them: they must not learn whose secondary number a number is)
        if not self.env["res.partner.phone"].has_access("read"):
            return self.browse()
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
        # the lines are filtered here by the rules of their clients, as a search would do
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
        # the lines' numbers matching as typed, read from their trigram index, given as ids: the
        # whole condition is then index scans OR-ed together (a sub-select of the lines would
        # make PostgreSQL walk every partner). The client's record rules apply to the result.
        lines = self.env["res.partner.phone"].with_context(active_test=False)
        lines.flush_model(["number", "partner_id"])
        query = lines._search([("number", "ilike", value)], limit=_PHONE_IDS_LIMIT + 1, bypass_access=True)
        self.env.cr.execute(query.select(SQL.identifier(query.table, "partner_id")))
        line_partner_ids = [pid for (pid,) in self.env.cr.fetchall()]
        if len(line_partner_ids) > _PHONE_IDS_LIMIT:  # a few digits match half the base: let PostgreSQL scan
            return ["|", "|", ("id", "in", ids), ("phone_ids.number", "ilike", value), ("phone", "ilike", value)]
        return ["|", ("id", "in", ids + line_partner_ids), ("phone", "ilike", value)]

    # ------------------------------------------------------------------
    # Duplicates
    # ------------------------------------------------------------------
    @api.depends_context("uid", "allowed_company_ids")
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
                       -- read from res_partner_cm_vat_key_index, not a scan of every partner
                       AND p.vat IS NOT NULL AND upper(replace(p.vat, ' ', '')) = me.vat
                       AND p.commercial_partner_id <> me.commercial_partner_id
                       AND p.commercial_partner_id = p.id
                    """,
                    pid=pid,
                )
            )
            ids = [row[0] for row in self.env.cr.fetchall()]
            family = partner._origin.commercial_partner_id
            # only the duplicates this user may read (record rules): never a hidden client's name
            others = self.search([("id", "in", ids)]) if ids else self.browse()
            others = others.filtered(lambda p, f=family: p.commercial_partner_id != f or not f)
            partner.duplicate_partner_ids = others
