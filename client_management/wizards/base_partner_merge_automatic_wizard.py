from ast import literal_eval

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.res_partner_phone import SYNC_KEY
from .base_partner_merge_values import note_of_values_not_kept, snapshot


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    cm_keep_partner_id = fields.Many2one(
        "res.partner",
        string="Client to keep",
        help="Client whose card opened the merge: proposed as the destination of every group.",
    )

    # ------------------------------------------------------------------
    # What a merge refuses
    # ------------------------------------------------------------------
    @api.model
    def _cm_odoo_refusal(self, partners):
        """Why Odoo's ``_merge`` would refuse to merge ``partners`` all together for this user
        (the same tests, told in a client's words), or None. Its limit of partners per merge
        is left to the caller, who splits the partners into groups."""
        Partner = self.env["res.partner"]
        for partner in partners:
            if partners & (Partner.search([("id", "child_of", partner.id)]) - partner):
                return self.env._("A company cannot be merged with one of its own contacts.")
        if len(partners.with_context(active_test=False).user_ids) > 1:
            return self.env._("Both clients are the contacts of a user: contacts of two users cannot be merged.")
        if not self.env.is_admin() and len(set(partners.mapped("email"))) > 1:
            return self.env._(
                "The e-mail addresses differ: only a Settings administrator can merge clients with different "
                "e-mail addresses."
            )
        return None

    @api.model
    def _cm_client_refusal(self, partners, dst_partner):
        """Why ``partners`` must not be merged into ``dst_partner`` even where Odoo's merge
        would do it, or None:

        - clients of two companies: the invoices of one company would belong to a client of
          the other, which its users cannot see nor pick;
        - a removed client used in hashed journal entries: moving them to another client
          breaks the inalterability check of the accounting (Odoo's account module refuses it
          for its own merges, see ``res.partner._merge_method``).
        """
        sources = partners - dst_partner
        # a client shared by all companies is not merged with one of a company either: Odoo's
        # merge would give the shared client that company (it fills the kept client's empty
        # fields), hiding it from the other companies whose invoices it carries
        if len({partner.company_id for partner in partners}) > 1:
            return self.env._(
                "Clients of different companies (%(companies)s) cannot be merged: the invoices of each company "
                "must keep a client that company can use.",
                companies=", ".join(p.company_id.name or self.env._("all companies") for p in partners),
            )
        if sources:
            hashed = (
                self.env["account.move.line"]
                .sudo()  # a count only: the user may not read the accounting of these clients
                ._read_group(
                    [("move_id.inalterable_hash", "!=", False), ("partner_id", "in", sources.ids)],
                    ["partner_id"],
                )
            )
            if hashed:
                return self.env._(
                    "%(clients)s cannot be merged into another client: it is used in hashed (inalterable) journal "
                    "entries. Keep it as the destination contact or leave it out.",
                    clients=", ".join(partner.display_name for (partner,) in hashed),
                )
        return None

    # ------------------------------------------------------------------
    # Merge
    # ------------------------------------------------------------------
    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        Partner = self.env["res.partner"]
        partners = Partner.browse(partner_ids).exists()
        if len(partners) < 2:
            return super()._merge(partner_ids, dst_partner, extra_checks)
        if not (dst_partner and dst_partner in partners):
            dst_partner = self._get_ordered_partner(partners.ids)[-1]
        refusal = self._cm_client_refusal(partners, dst_partner)
        if refusal:
            raise UserError(refusal)
        # Odoo keeps the kept client's text fields: the merged clients' conflict notes are added
        conflicts = partners.sudo().filtered("is_conflict")  # read whatever the user's field rights
        notes = list(dict.fromkeys(n for n in partners.sudo().mapped("conflict_note") if n))  # as above
        # every value typed on the merged clients, read whatever the user's field rights
        before = snapshot(partners.sudo())
        result = super()._merge(partner_ids, dst_partner, extra_checks)
        kept = partners.exists()
        if len(kept) == 1:
            dropped = note_of_values_not_kept(before, kept.sudo())  # compared as read above
            if dropped:
                # a note of the merge on the kept client, whoever merges (as Odoo's own
                # "Merged with" message): the values are the clients', kept for its users
                kept.sudo().message_post(
                    body=dropped, subtype_xmlid="mail.mt_note", author_id=self.env.user.partner_id.id
                )
            if conflicts or len(notes) > 1:
                # the conflict flag and notes of every merged client, whoever merges
                values = {"is_conflict": bool(conflicts), "conflict_note": "\n\n".join(notes) or False}
                kept.sudo().write(values)  # whoever merges: the notes are the clients', not the user's
            self._cm_after_merge(partners - kept, kept)
        return result

    def _cm_after_merge(self, removed, kept):
        """The kept client's figures and dates include the merged clients' invoices, payments
        and messages; the next groups of this wizard merge into it."""
        ids = {kept.id, kept.commercial_partner_id.id}
        self.env["res.partner.invoicing.stat"]._refresh(ids)
        self.env["res.partner"]._cm_fill_activity_dates(ids)
        for wizard in self.filtered("line_ids"):
            gone = set(removed.ids)
            for line in wizard.line_ids:
                aggr_ids = literal_eval(line.aggr_ids)
                if gone & set(aggr_ids):
                    new_ids = list(dict.fromkeys(kept.id if pid in gone else pid for pid in aggr_ids))
                    line.write({"aggr_ids": str(new_ids), "min_id": min(new_ids)})
        self.filtered(lambda wizard: wizard.cm_keep_partner_id in removed).cm_keep_partner_id = kept

    def _action_next_screen(self):
        action = super()._action_next_screen()
        for wizard in self:
            if wizard.cm_keep_partner_id and wizard.cm_keep_partner_id in wizard.partner_ids:
                wizard.dst_partner_id = wizard.cm_keep_partner_id
        if self.cm_keep_partner_id:
            action["name"] = self.env._("Merge clients")
        return action

    # ------------------------------------------------------------------
    # Phone and e-mail lines
    # ------------------------------------------------------------------
    @api.model
    def _update_foreign_keys(self, src_partners, dst_partner):
        """Move the merged clients' phone and e-mail lines onto the kept client before Odoo's
        generic move, which would delete every line of a client whose lines clash with the kept
        client's (one primary, one number / address once per client)."""
        self._cm_merge_phone_lines(src_partners, dst_partner)
        self._cm_merge_email_lines(src_partners, dst_partner)
        (src_partners | dst_partner).invalidate_recordset(["phone_ids", "email_ids"])
        result = super()._update_foreign_keys(src_partners, dst_partner)
        # sudo: the lines were moved whatever the user's rights (see _cm_merge_phone_lines)
        dst = dst_partner.sudo()
        dst._cm_sync_phones()
        dst._cm_sync_emails()
        return result

    @api.model
    def _cm_merge_phone_lines(self, src_partners, dst_partner):
        """Every number of the merged clients ends on the kept client, with its type and
        flags. A number the kept client already has (same E.164, or same text when it has
        none) is one line: WhatsApp / Viber of both, the kept type unless it is empty, and
        an SMS opt-out of either line (only an explicit user action lifts an opt-out)."""
        # sudo: a merge moves every record of the merged clients whatever the user's rights
        # on them (Odoo's wizard moves them by SQL); their phone lines follow the same way.
        Phone = self.env["res.partner.phone"].sudo().with_context(**{SYNC_KEY: True})  # see above

        def key(line):
            return ("e164", line.number_e164) if line.number_e164 else ("text", line.number)

        kept = {key(line): line for line in dst_partner.sudo().phone_ids}  # every line, as above
        moving = Phone.browse()
        for line in src_partners.sudo().phone_ids:
            same = kept.get(key(line))
            if not same:
                kept[key(line)] = line
                moving |= line
                continue
            vals = {}
            if line.whatsapp and not same.whatsapp:
                vals["whatsapp"] = True
            if line.viber and not same.viber:
                vals["viber"] = True
            if line.type_id and not same.type_id:
                vals["type_id"] = line.type_id.id
            if not line.sms and same.sms:
                vals["sms"] = False
            if vals:
                Phone.browse(same.id).write(vals)
            Phone.browse(line.id).unlink()
        if not moving:
            return
        Phone.browse(moving.ids).write({"is_primary": False})
        self.env.flush_all()
        # with the copies of the kept client's fields the phone lookup filters on
        self.env.cr.execute(
            """UPDATE res_partner_phone l
                  SET partner_id = p.id, company_id = p.company_id,
                      partner_active = p.active, partner_share = p.partner_share
                 FROM res_partner p WHERE p.id = %s AND l.id = ANY(%s)""",
            [dst_partner.id, moving.ids],
        )
        self.env["res.partner.phone"].invalidate_model(["partner_id", "company_id", "partner_active", "partner_share"])

    @api.model
    def _cm_merge_email_lines(self, src_partners, dst_partner):
        """Every address of the merged clients ends on the kept client. An address the kept
        client already has is one line, opted out when either line was."""
        # sudo: moved whatever the user's rights, as the phone lines (_cm_merge_phone_lines)
        Email = self.env["res.partner.email"].sudo().with_context(**{SYNC_KEY: True})  # see above
        kept = {line.email: line for line in dst_partner.sudo().email_ids}  # every line, as above
        moving = Email.browse()
        for line in src_partners.sudo().email_ids:
            same = kept.get(line.email)
            if not same:
                kept[line.email] = line
                moving |= line
                continue
            if not line.consent and same.consent:
                Email.browse(same.id).write({"consent": False})
            Email.browse(line.id).unlink()
        if not moving:
            return
        Email.browse(moving.ids).write({"is_primary": False})
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_partner_email SET partner_id = %s WHERE id = ANY(%s)", [dst_partner.id, moving.ids]
        )
        self.env["res.partner.email"].invalidate_model(["partner_id"])
