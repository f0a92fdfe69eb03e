import re

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..tools.phone import parse_phone_or_none
from .res_partner_line_bulk import insert_keeping_opt_outs, trusted_values

# Context keys: writes made by the channel synchronisation itself (no echo back), and the
# lenient mode of the native ``phone`` field (a number that cannot be parsed is kept as typed).
SYNC_KEY = "cm_channel_sync"
LENIENT_KEY = "cm_channel_lenient"
BLACKLIST_KEY = "cm_blacklist_sync"


def blacklist_sync(env):
    """Is this the blacklist being mirrored on the lines? Only our own code does it, always as
    superuser: the key sent by an RPC caller is ignored."""
    return env.su and env.context.get(BLACKLIST_KEY)


def parse_number(text, region=None):
    """(E.164, international format) of a written number, or None when it is not a valid
    number. ``region`` (ISO code) is used for numbers written without "+" or "00". The one
    parser of the addon (``tools/phone.py``): an extension ("ext. 12", "x12") is not part of
    the E.164, and stays in the number as written."""
    phone = parse_phone_or_none(text, region)
    return (phone.e164, phone.display) if phone else None


def check_not_moved(lines, vals):
    """A phone or e-mail line belongs to its client: moving it to another one (which the user
    may not be allowed to edit) is refused; only the merge of clients moves lines, as
    superuser."""
    if "partner_id" in vals and not lines.env.su and any(line.partner_id.id != vals["partner_id"] for line in lines):
        raise UserError(lines.env._("A number or an address cannot be moved to another client: add it on that client."))


class ResPartnerPhone(models.Model):
    _name = "res.partner.phone"
    _description = "Client phone number"
    _order = "partner_id, sequence, id"
    _rec_name = "number"
    # accessible exactly when this client is (its record rules apply, see models/ir_rule.py)
    _cm_client_field = "partner_id"

    # no index of its own: the unique index of (client, number) serves the client's lines
    partner_id = fields.Many2one("res.partner", string="Client", required=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    number = fields.Char(required=True, help="The number as it was written.")
    number_e164 = fields.Char(
        string="International number",
        readonly=True,
        index=True,
        copy=False,
        help="The number in international (E.164) form; empty when it could not be read.",
    )
    type_id = fields.Many2one(
        "res.partner.phone.type",
        string="Type",
        ondelete="restrict",
        default=lambda self: self.env.ref("client_management.phone_type_mobile", raise_if_not_found=False),
    )
    is_primary = fields.Boolean(string="Primary")
    whatsapp = fields.Boolean(string="WhatsApp")
    viber = fields.Boolean()
    sms = fields.Boolean(
        string="SMS",
        default=True,
        help="Unticked: the number is in Odoo's phone blacklist, so no SMS is sent to it.",
    )
    is_conflict = fields.Boolean(related="partner_id.is_conflict", string="Conflict client", groups="base.group_user")
    # Copies of the client's fields that Odoo's record rules on clients test (multi-company,
    # internal users' partners, archiving): the phone lookup filters the clients a user may
    # read on this table alone, without planning a join over res_partner at every call
    # (see res.partner._cm_readable_phone_lines).
    company_id = fields.Many2one(related="partner_id.company_id", store=True, string="Company")
    partner_active = fields.Boolean(related="partner_id.active", store=True, string="Client active")
    partner_share = fields.Boolean(
        related="partner_id.partner_share",
        store=True,
        string="External client",
        help="Copied from the client: it is not the partner of an internal user.",
    )

    _partner_e164_uniq = models.Constraint(
        "UNIQUE(partner_id, number_e164)", "This number is already one of this client's numbers."
    )
    _one_primary = models.UniqueIndex("(partner_id) WHERE is_primary", "A client has only one primary phone.")

    # ------------------------------------------------------------------
    # Normalisation
    # ------------------------------------------------------------------
    def _cm_normalised(self, number, partner):
        """{number, number_e164} for ``number`` written on ``partner``'s card."""
        parsed = parse_number(number, partner._cm_phone_region())
        if parsed:
            return {"number": number.strip(), "number_e164": parsed[0]}
        if self.env.context.get(LENIENT_KEY):
            return {"number": (number or "").strip(), "number_e164": False}
        raise ValidationError(
            self.env._(
                "“%(number)s” is not a valid phone number. Write it with its country code "
                "(+371 …) or set the client's country.",
                number=number,
            )
        )

    def _cm_check_unique(self, partner, e164, exclude=None):
        if not e164:
            return
        others = partner.phone_ids - (exclude or self.browse())
        if e164 in others.mapped("number_e164"):
            raise ValidationError(
                self.env._("%(number)s is already a number of %(client)s.", number=e164, client=partner.display_name)
            )

    @api.model_create_multi
    def create(self, vals_list):
        Partner = self.env["res.partner"]
        primary_taken = set()
        blacklisted = set()
        for vals in vals_list:
            partner = Partner.browse(vals.get("partner_id"))
            if vals.get("number"):
                vals.update(self._cm_normalised(vals["number"], partner))
                self._cm_check_unique(partner, vals.get("number_e164"))
            if partner:
                # the copies of the client's fields are inserted with the line (whatever the
                # caller sent), instead of being computed and written by a second query
                copied = partner.sudo()  # the same values as the related fields (computed as superuser)
                vals["company_id"] = copied.company_id.id
                vals["partner_active"] = copied.active
                vals["partner_share"] = copied.partner_share
            if vals.get("is_primary"):
                if partner.id in primary_taken:
                    vals["is_primary"] = False
                else:
                    primary_taken.add(partner.id)
                    previous = partner.phone_ids.filtered("is_primary")
                    previous.with_context(**{SYNC_KEY: True}).write({"is_primary": False})
                    previous.flush_recordset(["is_primary"])
            if vals.get("number_e164") and vals.get("sms", True):
                blacklisted.add(vals["number_e164"])
        listed = self._cm_blacklisted(blacklisted)
        for vals in vals_list:
            if vals.get("number_e164") in listed:
                vals["sms"] = False
        lines = super().create(vals_list)
        if not blacklist_sync(self.env):
            # only a new opt-out changes the blacklist: a ticked box on a number that is not
            # listed, or an unticked one on a listed number, leaves everything as it is
            lines.filtered(
                lambda line: line.number_e164 and not line.sms and line.number_e164 not in listed
            )._cm_bridge_blacklist()
        if not self.env.context.get(SYNC_KEY):
            lines.partner_id._cm_sync_phones()
        return lines

    @api.model
    def _cm_create_trusted(self, vals_list, defer_rules=False):
        """The client import's bulk path for the lines of the clients it has just created: one
        INSERT per thousand lines (``res_partner_line_bulk``), without the defaults,
        normalisation and synchronisation ``create`` does line by line. The caller vouches for the values:
        ``number`` is the international form of ``number_e164``, a number is once per client,
        the first line of a client is its primary one and the client's native ``phone`` is
        that number. As ``create``: access rights and record rules, the copies of the client's
        fields, the SMS box unticked on a number of Odoo's phone blacklist (an opt-out is
        never lifted), a new opt-out written to the blacklist. With ``defer_rules`` the caller
        checks the record rules (``res_partner_line_bulk.check_create_access``)."""
        if not vals_list:
            return self.browse()
        stored_list = trusted_values(self, vals_list)
        return insert_keeping_opt_outs(self, stored_list, "number_e164", "sms", blacklist_sync, defer_rules)

    def write(self, vals):
        if self.env.context.get(SYNC_KEY) and not vals.get("is_primary") and set(vals) <= {"is_primary", "sequence"}:
            return super().write(vals)
        vals = dict(vals)
        check_not_moved(self, vals)
        if not self.env.su:
            # the copies of the client's fields follow the client only: the phone lookup
            # filters on them (a line written "of no company" would show in every company)
            for copy in ("company_id", "partner_active", "partner_share"):
                vals.pop(copy, None)
        sms = vals.pop("sms", None)
        renumbered = self.browse()
        if "number" in vals or "partner_id" in vals:
            for line in self:
                partner = self.env["res.partner"].browse(vals.get("partner_id", line.partner_id.id))
                own = line._cm_normalised(vals.get("number", line.number), partner)
                line._cm_check_unique(partner, own.get("number_e164"), exclude=line)
                if "partner_id" in vals:
                    own["partner_id"] = vals["partner_id"]
                if own.get("number_e164") != line.number_e164:
                    renumbered |= line
                    # another number starts with that number's opt-out: an edit never lifts one
                    own["sms"] = own.get("number_e164") not in self._cm_blacklisted({own.get("number_e164")})
                super(ResPartnerPhone, line).write(own)
            vals = {k: v for k, v in vals.items() if k not in ("number", "partner_id")}
        if vals.get("is_primary"):
            first = self.browse()
            for partner in self.partner_id:
                first |= self.filtered(lambda line, p=partner: line.partner_id == p)[:1]
            previous = self.partner_id.phone_ids.filtered("is_primary") - first
            previous.with_context(**{SYNC_KEY: True}).write({"is_primary": False})
            previous.flush_recordset(["is_primary"])
            result = super(ResPartnerPhone, first).write(vals)
            rest = self - first
            if rest:
                super(ResPartnerPhone, rest).write(dict(vals, is_primary=False))
        else:
            result = super().write(vals) if vals else True
        if sms is not None:
            self._cm_write_sms(bool(sms), renumbered)
        if not self.env.context.get(SYNC_KEY):
            self.partner_id._cm_sync_phones()
        return result

    def _cm_write_sms(self, sms, renumbered):
        """The SMS box set by a user: unticking opts the number out (Odoo's phone blacklist),
        ticking lifts an opt-out, which needs the right to do so. A line whose number changed
        in the same save keeps the box of its new number."""
        if blacklist_sync(self.env):
            # the blacklist itself changed: the box only follows it
            return super().write({"sms": sms})
        lines = self - renumbered if sms else self
        if sms:
            lines._cm_check_lift_opt_out()
        super(ResPartnerPhone, lines).write({"sms": sms})
        lines._cm_bridge_blacklist()
        return True

    def _cm_check_lift_opt_out(self):
        """Only a user allowed to manage opt-outs may lift one (tick SMS on a blacklisted number)."""
        listed = self._cm_blacklisted({line.number_e164 for line in self if line.number_e164})
        if listed and not self._cm_may_lift_opt_outs("phone.blacklist"):
            raise AccessError(
                self.env._(
                    "%(numbers)s asked not to receive SMS. Only a Clients administrator (or a user who "
                    "manages Odoo's blacklist) can lift that opt-out.",
                    numbers=", ".join(sorted(listed)),
                )
            )

    @api.model
    def _cm_may_lift_opt_outs(self, blacklist_model):
        return (
            self.env.su
            or self.env.user.has_group("client_management.group_client_manager")
            or self.env[blacklist_model].has_access("write")
        )

    def unlink(self):
        partners = self.partner_id
        result = super().unlink()
        if not self.env.context.get(SYNC_KEY):
            partners.exists()._cm_sync_phones(lines_removed=True)
        return result

    # ------------------------------------------------------------------
    # SMS opt-out <-> phone.blacklist
    # ------------------------------------------------------------------
    def _cm_bridge_blacklist(self):
        """SMS unticked puts the number in Odoo's phone blacklist, ticked takes it out."""
        # Odoo's blacklists are written by administrators only; the box is the user's explicit
        # action (lifting an opt-out was checked before, see _cm_check_lift_opt_out)
        blacklist = self.env["phone.blacklist"].sudo().with_context(**{BLACKLIST_KEY: True})
        add = [line.number_e164 for line in self if line.number_e164 and not line.sms]
        remove = [line.number_e164 for line in self if line.number_e164 and line.sms]
        if add:
            blacklist._add(sorted(set(add)))
        listed = self._cm_blacklisted(remove)
        if listed:
            blacklist._remove(sorted(listed))
        # every client holding the same number follows the blacklist
        numbers = set(add) | set(remove)
        if numbers:
            # every client with that value follows, also those this user cannot see
            self.env["res.partner.phone"].sudo()._cm_follow_blacklist(numbers)

    @api.model
    def _cm_blacklisted(self, numbers):
        """The E.164 numbers among ``numbers`` that are active in Odoo's phone blacklist
        (which stores them in E.164 too: compared as they are, without parsing them again)."""
        if not numbers:
            return set()
        blacklist_fields = self.env["phone.blacklist"]._fields
        rows = self.env.execute_query(
            SQL(
                "SELECT number FROM phone_blacklist WHERE active AND number = ANY(%s)",
                SQL("%s", list(numbers), to_flush=[blacklist_fields["number"], blacklist_fields["active"]]),
            )
        )
        return {number for (number,) in rows}

    @api.model
    def _cm_follow_blacklist(self, numbers):
        listed = self._cm_blacklisted(numbers)
        # every client with that value follows the blacklist, also those this user cannot see
        lines = (
            self.sudo()
            .with_context(**{BLACKLIST_KEY: True, SYNC_KEY: True})
            .search([("number_e164", "in", list(numbers))])
        )
        for line in lines:
            wanted = line.number_e164 not in listed
            if line.sms != wanted:
                line.write({"sms": wanted})

    # ------------------------------------------------------------------
    # Lookup
    # ------------------------------------------------------------------
    @api.model
    def _cm_lookup_candidates(self, number, country_code=None):
        """E.164 forms a written number may stand for."""
        regions = [country_code] if country_code else []
        if not regions and not re.match(r"^\s*(\+|00)", number or ""):
            # the company's country, read without computing the company's address fields
            self.env.cr.execute(
                """SELECT c.code FROM res_company comp
                     JOIN res_partner p ON p.id = comp.partner_id
                     JOIN res_country c ON c.id = p.country_id
                    WHERE comp.id = %s""",
                [self.env.company.id],
            )
            regions = [row[0] for row in self.env.cr.fetchall()]
        for region in regions or [None]:
            parsed = parse_number(number, region)
            if parsed:
                return {parsed[0]}
        candidates = set()
        if re.sub(r"\D", "", number or ""):
            self.env.cr.execute(
                """SELECT DISTINCT c.code FROM res_country c
                    WHERE EXISTS (SELECT 1 FROM res_partner p WHERE p.country_id = c.id)"""
            )
            for (code,) in self.env.cr.fetchall():
                parsed = parse_number(number, code)
                if parsed:
                    candidates.add(parsed[0])
        return candidates
