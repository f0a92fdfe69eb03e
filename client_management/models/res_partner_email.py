import re

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import email_normalize

from .res_partner_line_bulk import insert_keeping_opt_outs, trusted_values
from .res_partner_phone import (
    BLACKLIST_KEY,
    LENIENT_KEY,
    SYNC_KEY,
    blacklist_sync,
    check_not_moved,
)

# An address email_normalize leaves as it is (lower case ASCII, no display name, no quotes)
_PLAIN_NORMALISED = re.compile(r"^[a-z0-9_+-]+(?:\.[a-z0-9_+-]+)*@[a-z0-9-]+(?:\.[a-z0-9-]+)+$")


class ResPartnerEmail(models.Model):
    _name = "res.partner.email"
    _description = "Client e-mail address"
    _order = "partner_id, sequence, id"
    _rec_name = "email"
    # accessible exactly when this client is (its record rules apply, see models/ir_rule.py)
    _cm_client_field = "partner_id"

    # no index of its own: the unique index of (client, e-mail) serves the client's lines
    partner_id = fields.Many2one("res.partner", string="Client", required=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    email = fields.Char(string="E-mail", required=True, index=True)
    is_primary = fields.Boolean(string="Primary")
    consent = fields.Boolean(
        string="Agrees to receive e-mail",
        default=True,
        help="Unticked: the address is in Odoo's e-mail blacklist, so no mass mailing reaches it.",
    )

    _partner_email_uniq = models.Constraint(
        "UNIQUE(partner_id, email)", "This address is already one of this client's e-mail addresses."
    )
    _one_primary = models.UniqueIndex("(partner_id) WHERE is_primary", "A client has only one primary e-mail.")

    def _cm_normalised(self, email):
        normalized = email_normalize(email or "")
        if normalized:
            return normalized
        if self.env.context.get(LENIENT_KEY):
            return (email or "").strip()
        raise ValidationError(self.env._("“%(email)s” is not a valid e-mail address.", email=email))

    def _cm_check_unique(self, partner, email, exclude=None):
        others = partner.email_ids - (exclude or self.browse())
        if email and email in others.mapped("email"):
            raise ValidationError(
                self.env._(
                    "%(email)s is already an e-mail address of %(client)s.", email=email, client=partner.display_name
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        Partner = self.env["res.partner"]
        primary_taken = set()
        candidates = set()
        for vals in vals_list:
            partner = Partner.browse(vals.get("partner_id"))
            if vals.get("email"):
                vals["email"] = self._cm_normalised(vals["email"])
                self._cm_check_unique(partner, vals["email"])
            if vals.get("is_primary"):
                if partner.id in primary_taken:
                    vals["is_primary"] = False
                else:
                    primary_taken.add(partner.id)
                    previous = partner.email_ids.filtered("is_primary")
                    previous.with_context(**{SYNC_KEY: True}).write({"is_primary": False})
                    previous.flush_recordset(["is_primary"])
            if vals.get("email"):
                candidates.add(vals["email"])
        # a new line of an opted-out address starts unticked, whatever the form said
        listed = self._cm_blacklisted(candidates)
        for vals in vals_list:
            if vals.get("email") in listed:
                vals["consent"] = False
        lines = super().create(vals_list)
        if not blacklist_sync(self.env):
            # only a new opt-out changes the blacklist
            lines.filtered(lambda line: not line.consent and line.email not in listed)._cm_bridge_blacklist()
        if not self.env.context.get(SYNC_KEY):
            lines.partner_id._cm_sync_emails()
        return lines

    @api.model
    def _cm_create_trusted(self, vals_list, defer_rules=False):
        """The client import's bulk path for the lines of the clients it has just created
        (see ``res.partner.phone._cm_create_trusted``): one INSERT per batch. The caller
        vouches for the values: an address is once per client, the first line of a client is
        its primary one and the client's native ``email`` is that address. As ``create``: the
        address normalised, access rights and record rules, the consent box unticked on an
        address of Odoo's e-mail blacklist (an opt-out is never lifted), a new opt-out written
        to the blacklist."""
        if not vals_list:
            return self.browse()
        stored_list = trusted_values(self, vals_list)
        seen = set()
        for stored in stored_list:
            email = stored["email"]
            stored["email"] = email if _PLAIN_NORMALISED.match(email) else self._cm_normalised(email)
            if (stored["partner_id"], stored["email"]) in seen:
                partner = self.env["res.partner"].browse(stored["partner_id"])
                raise ValidationError(
                    self.env._(
                        "%(email)s is already an e-mail address of %(client)s.",
                        email=stored["email"],
                        client=partner.display_name,
                    )
                )
            seen.add((stored["partner_id"], stored["email"]))
        return insert_keeping_opt_outs(self, stored_list, "email", "consent", blacklist_sync, defer_rules)

    def write(self, vals):
        if self.env.context.get(SYNC_KEY) and not vals.get("is_primary") and set(vals) <= {"is_primary", "sequence"}:
            return super().write(vals)
        vals = dict(vals)
        check_not_moved(self, vals)
        consent = vals.pop("consent", None)
        readdressed = self.browse()
        if "email" in vals or "partner_id" in vals:
            for line in self:
                partner = self.env["res.partner"].browse(vals.get("partner_id", line.partner_id.id))
                email = line._cm_normalised(vals.get("email", line.email))
                line._cm_check_unique(partner, email, exclude=line)
                own = {"email": email}
                if "partner_id" in vals:
                    own["partner_id"] = vals["partner_id"]
                if email != line.email:
                    readdressed |= line
                    # another address starts with that address's opt-out: an edit never lifts one
                    own["consent"] = email not in self._cm_blacklisted({email})
                super(ResPartnerEmail, line).write(own)
            vals = {k: v for k, v in vals.items() if k not in ("email", "partner_id")}
        if vals.get("is_primary"):
            first = self.browse()
            for partner in self.partner_id:
                first |= self.filtered(lambda line, p=partner: line.partner_id == p)[:1]
            previous = self.partner_id.email_ids.filtered("is_primary") - first
            previous.with_context(**{SYNC_KEY: True}).write({"is_primary": False})
            previous.flush_recordset(["is_primary"])
            result = super(ResPartnerEmail, first).write(vals)
            rest = self - first
            if rest:
                super(ResPartnerEmail, rest).write(dict(vals, is_primary=False))
        else:
            result = super().write(vals) if vals else True
        if consent is not None:
            self._cm_write_consent(bool(consent), readdressed)
        if not self.env.context.get(SYNC_KEY):
            self.partner_id._cm_sync_emails()
        return result

    def _cm_write_consent(self, consent, readdressed):
        """The consent box set by a user: unticking opts the address out (Odoo's e-mail
        blacklist), ticking lifts an opt-out, which needs the right to do so. A line whose
        address changed in the same save keeps the box of its new address."""
        if blacklist_sync(self.env):
            # the blacklist itself changed: the box only follows it
            return super().write({"consent": consent})
        lines = self - readdressed if consent else self
        if consent:
            listed = self._cm_blacklisted(set(lines.mapped("email")))
            if listed and not self.env["res.partner.phone"]._cm_may_lift_opt_outs("mail.blacklist"):
                raise AccessError(
                    self.env._(
                        "%(emails)s asked not to receive e-mails. Only a Clients administrator (or a user "
                        "who manages Odoo's blacklist) can lift that opt-out.",
                        emails=", ".join(sorted(listed)),
                    )
                )
        super(ResPartnerEmail, lines).write({"consent": consent})
        lines._cm_bridge_blacklist()
        return True

    @api.model
    def _cm_blacklisted(self, emails):
        """The addresses among ``emails`` that are active in Odoo's e-mail blacklist."""
        emails = [email for email in emails if email]
        if not emails:
            return set()
        # the blacklist is read by every user who edits a client: it is not theirs to read
        Blacklist = self.env["mail.blacklist"].sudo().with_context(active_test=True)
        return set(Blacklist.search([("email", "in", emails)]).mapped("email"))

    def unlink(self):
        partners = self.partner_id
        result = super().unlink()
        if not self.env.context.get(SYNC_KEY):
            partners.exists()._cm_sync_emails(lines_removed=True)
        return result

    # ------------------------------------------------------------------
    # Consent <-> mail.blacklist
    # ------------------------------------------------------------------
    def _cm_valid(self):
        return self.filtered(lambda line: email_normalize(line.email or "") == line.email)

    def _cm_bridge_blacklist(self):
        """Consent unticked puts the address in Odoo's e-mail blacklist, ticked takes it out."""
        # Odoo's blacklists are written by administrators only; the box is the user's explicit
        # action (lifting an opt-out was checked before, see _cm_check_lift_opt_out)
        blacklist = self.env["mail.blacklist"].sudo().with_context(**{BLACKLIST_KEY: True})
        lines = self._cm_valid()
        add = {line.email for line in lines if not line.consent}
        remove = {line.email for line in lines if line.consent}
        for email in sorted(add):
            blacklist._add(email)
        for email in sorted(self._cm_blacklisted(remove)):
            blacklist._remove(email)
        if add | remove:
            # every client with that value follows, also those this user cannot see
            self.env["res.partner.email"].sudo()._cm_follow_blacklist(add | remove)

    @api.model
    def _cm_follow_blacklist(self, emails):
        listed = self._cm_blacklisted(emails)
        # every client with that value follows the blacklist, also those this user cannot see
        lines = (
            self.sudo().with_context(**{BLACKLIST_KEY: True, SYNC_KEY: True}).search([("email", "in", list(emails))])
        )
        for line in lines:
            wanted = line.email not in listed
            if line.consent != wanted:
                line.write({"consent": wanted})

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_send_email(self):
        """Odoo's composer on the client, to this address: the primary one through the client
        as recipient, another one as an extra address of the message (no contact is created
        for it). Either way the mail is logged on the client's timeline. An address that
        opted out (Odoo's e-mail blacklist) gets nothing."""
        self.ensure_one()
        self.partner_id.check_access("read")
        if not self.consent or self._cm_blacklisted({self.email}):
            raise UserError(
                self.env._(
                    "%(email)s asked not to receive e-mails (it is in the e-mail blacklist): nothing was sent.",
                    email=self.email,
                )
            )
        if self.is_primary:
            return self.partner_id._cm_composer_action(
                self.env._("Send an e-mail"), default_partner_ids=self.partner_id.ids
            )
        return self.partner_id._cm_composer_action(
            self.env._("Send an e-mail to %(email)s", email=self.email),
            default_partner_ids=[],
            default_cm_email_to=self.email,
            # the recipients field of Odoo's full composer: optional, the address is the recipient
            clicked_on_full_composer=True,
        )
