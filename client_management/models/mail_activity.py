from odoo import api, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _cm_partner_ids(self):
        return {activity.res_id for activity in self if activity.res_model == "res.partner" and activity.res_id}

    @api.model_create_multi
    def create(self, vals_list):
        activities = super().create(vals_list)
        # bookkeeping of a date, after commit (see res.partner.invoicing.stat): whoever plans
        # an activity may not be allowed to write the client
        activities._cm_queue_next(activities._cm_partner_ids())
        return activities

    def write(self, vals):
        watched = {"date_deadline", "active", "res_id", "res_model"}.intersection(vals)
        before = self._cm_partner_ids() if watched else set()
        result = super().write(vals)
        if watched:
            # bookkeeping of a date, as in create
            self._cm_queue_next(before | self._cm_partner_ids())
        return result

    def unlink(self):
        partner_ids = self._cm_partner_ids()
        result = super().unlink()
        # bookkeeping of a date, as in create
        self._cm_queue_next(partner_ids)
        return result

    def _cm_queue_next(self, partner_ids):
        self.env["res.partner.invoicing.stat"]._cm_queue_pending("next", partner_ids)
