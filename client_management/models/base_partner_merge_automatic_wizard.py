from odoo import api, models

from .res_partner_phone import SYNC_KEY


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    @api.model
    def _update_foreign_keys(self, src_partners, dst_partner):
        """Move the merged clients' phone and e-mail lines onto the kept client before Odoo's
        generic move, which would delete every line of a client whose lines clash with the kept
        client's (one primary, one number / address once per client)."""
        Phone = self.env["res.partner.phone"].sudo().with_context(**{SYNC_KEY: True})
        Email = self.env["res.partner.email"].sudo().with_context(**{SYNC_KEY: True})
        dst = dst_partner.sudo()
        numbers = set(dst.phone_ids.mapped("number_e164")) | set(dst.phone_ids.mapped("number"))
        addresses = set(dst.email_ids.mapped("email"))
        dst.flush_recordset(["company_id", "active", "partner_share"])
        for line in src_partners.sudo().phone_ids:
            if (line.number_e164 or line.number) in numbers:
                Phone.browse(line.id).unlink()
                continue
            numbers.add(line.number_e164 or line.number)
            Phone.browse(line.id).write({"is_primary": False})
            Phone.browse(line.id).flush_recordset(["is_primary"])
            # with the copies of the kept client's fields the phone lookup filters on
            self.env.cr.execute(
                """UPDATE res_partner_phone l
                      SET partner_id = p.id, company_id = p.company_id,
                          partner_active = p.active, partner_share = p.partner_share
                     FROM res_partner p WHERE p.id = %s AND l.id = %s""",
                [dst_partner.id, line.id],
            )
        for line in src_partners.sudo().email_ids:
            if line.email in addresses:
                Email.browse(line.id).unlink()
                continue
            addresses.add(line.email)
            Email.browse(line.id).write({"is_primary": False})
            Email.browse(line.id).flush_recordset(["is_primary"])
            self.env.cr.execute("UPDATE res_partner_email SET partner_id = %s WHERE id = %s", [dst_partner.id, line.id])
        self.env["res.partner.phone"].invalidate_model(["partner_id", "company_id", "partner_active", "partner_share"])
        self.env["res.partner.email"].invalidate_model(["partner_id"])
        (src_partners | dst_partner).invalidate_recordset(["phone_ids", "email_ids"])
        result = super()._update_foreign_keys(src_partners, dst_partner)
        dst._cm_sync_phones()
        dst._cm_sync_emails()
        return result
