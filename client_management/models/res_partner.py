import re

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools.index_lookup import index_lookups

# Context key of the callers that create *clients*: the Clients app's actions, the import and
# API callers that ask for it. Only they get a client code, the "Client <code>" name and the
# creating user as responsible manager; every other partner Odoo creates (name_create,
# addresses, users' partners, companies) is created exactly as without this addon.
CLIENT_KEY = "cm_client_code"
# The Clients app's own actions say it as a "default_" key, which Odoo's web client does not
# pass on to the actions opened from their records (an invoice, the mail composer): the
# partners created there are no clients.
CLIENT_ACTION_KEY = "default_" + CLIENT_KEY
# Context key of callers that create clients without drawing codes (a dry-run import) but
# check the codes they were given.
CODE_CHECK_KEY = "cm_client_code_check"

# Internal information: never readable by portal or public users (closed at the field).
INTERNAL = "base.group_user"


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
        groups=INTERNAL,
        help="Set by hand, or automatically when a vendor bill of this partner is posted.",
    )
    is_conflict = fields.Boolean(
        string="Conflict client",
        tracking=True,
        groups=INTERNAL,
        help="Marks a client to be handled with care: a warning is shown when the "
        "client is picked on an invoice or a bill.",
    )
    conflict_note = fields.Text(
        string="Conflict note",
        tracking=True,
        groups=INTERNAL,
        help="What happened with this client; shown in the conflict banner and warnings.",
    )
    # The lists filter the few suppliers and conflict clients: indexes of those rows only, in
    # the form Odoo's domains test them ("IS TRUE", which an index of the flag cannot serve);
    # an index of every partner's flag was written twice for each new partner and never read
    _cm_supplier_idx = models.Index("(id) WHERE is_supplier IS TRUE")
    _cm_conflict_idx = models.Index("(id) WHERE is_conflict IS TRUE")
    is_client = fields.Boolean(
        string="Client",
        compute="_compute_is_client",
        search="_search_is_client",
        groups=INTERNAL,
        help="A person or company the business works with, as the Clients list shows them: not a "
        "delivery, invoice or other address, not the partner of an internal user or of a company "
        "of this database.",
    )
    acquisition_source_id = fields.Many2one(
        "utm.source",
        string="How did the client hear about us",
        ondelete="set null",
        index="btree_not_null",
        tracking=True,
        groups=INTERNAL,
    )

    # ------------------------------------------------------------------
    # Defaults
    # ------------------------------------------------------------------
    @api.model
    def _default_responsible_manager(self):
        """The user who creates a client in the Clients app is its manager; partners created
        elsewhere keep Odoo's default (none)."""
        user = self.env.user
        if self._cm_creates_clients() and user._is_internal() and not user._is_superuser():
            return user.id
        return False

    def _cm_boolean_search(self, operator, value, keys_domain):
        """The domain of a boolean search field: ``keys_domain`` for True, its negation for False
        (Odoo 19 hands boolean conditions over as ``in`` / ``not in``)."""
        if operator in ("=", "!="):
            asked = {bool(value)}
        elif operator in ("in", "not in"):
            asked = {bool(v) for v in value}
        else:
            return NotImplemented
        if operator in ("!=", "not in"):
            asked = {True, False} - asked
        if asked == {True}:
            return Domain(keys_domain)
        if asked == {False}:
            return ~Domain(keys_domain)
        return Domain.TRUE if asked else Domain.FALSE

    # ------------------------------------------------------------------
    # Who is a client (the Clients list's default filter)
    # ------------------------------------------------------------------
    @api.model
    def _cm_company_partner_ids(self):
        # sudo: the partners of every company, also of the companies this user does not work in
        companies = self.env["res.company"].sudo().with_context(active_test=False)
        # every company of the database: a handful of records
        return companies.search([]).partner_id.ids  # pylint: disable=no-search-all

    @api.depends("type", "partner_share")
    def _compute_is_client(self):
        companies = set(self._cm_company_partner_ids())
        for partner in self:
            partner.is_client = (
                partner.type == "contact" and partner.partner_share and partner._origin.id not in companies
            )

    def _search_is_client(self, operator, value):
        domain = [
            ("type", "=", "contact"),
            ("partner_share", "=", True),
            ("id", "not in", self._cm_company_partner_ids()),
        ]
        return self._cm_boolean_search(operator, value, domain)

    # ------------------------------------------------------------------
    # Codes and names
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if self._cm_creates_clients():
            self._cm_give_client_codes(vals_list)
        partners = super().create(vals_list)
        partners._cm_channels_after_create(vals_list)
        return partners

    @api.model
    def _cm_creates_clients(self):
        """Does the caller create clients (see CLIENT_KEY)?"""
        return bool(self.env.context.get(CLIENT_KEY) or self.env.context.get(CLIENT_ACTION_KEY))

    @api.model
    def _cm_is_client_vals(self, vals):
        """Values of a client (a person or a company), not of an address of one."""
        return vals.get("type", "contact") == "contact"

    @api.model
    def _cm_give_client_codes(self, vals_list):
        """Client code from the sequence for clients created without one, and the name
        "Client <code>" for those created without a name."""
        wanting = [vals for vals in vals_list if self._cm_is_client_vals(vals) and not vals.get("ref")]
        for vals, code in zip(wanting, self._cm_draw_client_codes(len(wanting)), strict=True):
            vals["ref"] = code
        for vals in vals_list:
            if not (vals.get("name") or "").strip() and not vals.get("parent_id") and vals.get("ref"):
                vals["name"] = self.env._("Client %(code)s", code=vals["ref"])

    @api.model
    def _cm_client_code_sequence(self):
        sequence = self.env.ref("client_management.seq_client_code", raise_if_not_found=False)
        # the sequence is configuration: users who create clients may not read it
        return sequence.sudo() if sequence else self.env["ir.sequence"].sudo()  # configuration, see above

    @api.model
    def _cm_draw_client_codes(self, count):
        """``count`` new client codes, none of them already the code of a partner (a code
        typed by hand may have taken a number of the sequence)."""
        codes = []
        while len(codes) < count:
            drawn = self._cm_next_codes(count - len(codes))
            self.flush_model(["ref"])
            with index_lookups(self.env.cr):
                self.env.cr.execute(SQL("SELECT ref FROM res_partner WHERE ref = ANY(%s)", drawn))
                taken = {ref for (ref,) in self.env.cr.fetchall()}
            codes += [code for code in drawn if code not in taken]
        return codes

    @api.model
    def _cm_next_codes(self, count):
        sequence = self._cm_client_code_sequence()
        if not sequence:
            raise UserError(self.env._("The client code sequence was deleted: create it again to number clients."))
        if sequence.implementation != "standard" or sequence.use_date_range:
            return [sequence._next() for _i in range(count)]
        # a standard sequence is a PostgreSQL sequence: draw all numbers in one query
        prefix, suffix = sequence._get_prefix_suffix()
        self.env.cr.execute(
            SQL("SELECT nextval(%s) FROM generate_series(1, %s)", f"ir_sequence_{sequence.id:03d}", count)
        )
        return [f"{prefix}{str(number).zfill(sequence.padding)}{suffix}" for (number,) in self.env.cr.fetchall()]

    @api.constrains("ref")
    def _check_client_code_unique(self):
        """A client code typed in the Clients app (or imported) is not another client's."""
        if not (self._cm_creates_clients() or self.env.context.get(CODE_CHECK_KEY)):
            return
        codes = {ref for ref in self.mapped("ref") if ref}
        if not codes:
            return
        # one query for all: codes are unique across companies, also with clients this user
        # cannot see (only the clashing codes are told, no data of those clients)
        self.flush_model(["ref", "type"])
        with index_lookups(self.env.cr):
            self.env.cr.execute(
                SQL(
                    """SELECT ref FROM res_partner WHERE ref = ANY(%s) AND coalesce(type, 'contact') = 'contact'
                        GROUP BY ref HAVING count(*) > 1 ORDER BY ref""",
                    sorted(codes),
                )
            )
            clashes = [ref for (ref,) in self.env.cr.fetchall()]
        if clashes:
            raise ValidationError(
                self.env._("The client code %(code)s is already used by another client.", code=", ".join(clashes))
            )

    @api.model
    def _assign_missing_client_codes(self):
        """At install, the existing clients without a code get one from the sequence.

        Clients are the contacts of type "contact" that are neither the partner of an internal
        user nor the partner of a company of the database (those keep Odoo's empty reference,
        as partners created for them later do). One UPDATE draws the numbers from the
        sequence's own PostgreSQL sequence after moving it past the codes typed by hand.
        """
        sequence = self._cm_client_code_sequence()
        self.env.flush_all()
        where = SQL(
            """(p.ref IS NULL OR p.ref = '') AND coalesce(p.type, 'contact') = 'contact'
               AND NOT EXISTS (SELECT 1 FROM res_users u WHERE u.partner_id = p.id AND NOT u.share)
               AND NOT EXISTS (SELECT 1 FROM res_company c WHERE c.partner_id = p.id)"""
        )
        if not sequence or sequence.implementation != "standard" or sequence.use_date_range:
            self.env.cr.execute(SQL("SELECT p.id FROM res_partner p WHERE %s ORDER BY p.id", where))
            ids = [pid for (pid,) in self.env.cr.fetchall()]
            for partner, code in zip(self.browse(ids), self._cm_draw_client_codes(len(ids)), strict=True):
                partner.ref = code
            return
        prefix, suffix = sequence._get_prefix_suffix()
        seq_name = f"ir_sequence_{sequence.id:03d}"
        # codes typed by hand before the install (C00042) must not be drawn again
        self.env.cr.execute(
            SQL(
                """SELECT max(substring(ref FROM %(start)s FOR char_length(ref) - %(fixed)s)::bigint)
                     FROM res_partner
                    WHERE ref ~ %(pattern)s""",
                start=len(prefix) + 1,
                fixed=len(prefix) + len(suffix),
                pattern="^" + re.escape(prefix) + r"\d+" + re.escape(suffix) + "$",
            )
        )
        highest = self.env.cr.fetchone()[0]
        if highest:
            self.env.cr.execute(
                SQL(
                    "SELECT setval(%s, greatest(%s, (SELECT last_value FROM %s)))",
                    seq_name,
                    highest,
                    SQL.identifier(seq_name),
                )
            )
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner p
                   SET ref = %(prefix)s || lpad(nextval(%(seq_name)s)::text, %(padding)s, '0') || %(suffix)s
                 WHERE %(where)s
                """,
                prefix=prefix,
                suffix=suffix,
                padding=sequence.padding,
                seq_name=seq_name,
                where=where,
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
                "title": self.env._("Conflict client: %(client)s", client=self.display_name),
                "message": self.conflict_note or self.env._("No note was written."),
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
        message = self.env._("%(client)s is marked as a conflict client.", client=flagged.display_name)
        if flagged.conflict_note:
            message += "\n\n" + flagged.conflict_note
        return {"title": self.env._("Conflict client"), "message": message}
