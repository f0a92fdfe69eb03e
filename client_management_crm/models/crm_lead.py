from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import format_amount

_SUBTYPES = {
    "won": "client_management_crm.mt_opportunity_won",
    "lost": "client_management_crm.mt_opportunity_lost",
}
_QUEUE_KEY = "client_management_crm.won_lost"


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "client.conflict.mixin"]

    partner_is_conflict = fields.Boolean(
        string="Conflict client",
        compute="_compute_partner_is_conflict",
        groups="base.group_user",
        help="The customer, or its company, is marked as a conflict client.",
    )

    @api.depends("partner_id.is_conflict", "partner_id.commercial_partner_id.is_conflict")
    def _compute_partner_is_conflict(self):
        for lead in self:
            # the marker of a lead the user may read, even when its customer belongs to a
            # company not active in the switcher (reading it would fail the whole list)
            partner = lead.partner_id.sudo()
            lead.partner_is_conflict = bool(partner.is_conflict or partner.commercial_partner_id.is_conflict)

    # ------------------------------------------------------------ timeline
    def _handle_won_lost(self, old_status_by_lead, new_status_by_lead):
        result = super()._handle_won_lost(old_status_by_lead, new_status_by_lead)
        events = {}
        for lead in self:
            old = old_status_by_lead.get(lead.id) or {}
            new = new_status_by_lead.get(lead.id) or {}
            if new.get("is_won") and not old.get("is_won"):
                events[lead.id] = "won"
            elif new.get("is_lost") and not old.get("is_lost"):
                events[lead.id] = "lost"
        if events:
            self._cm_queue(events)
        return result

    def _cm_queue(self, events):
        """Queue the won / lost events; they are posted once, just before the transaction
        commits, so a lost opportunity's reason (written after it is archived) is known and an
        opportunity won then reopened in the same transaction posts nothing."""
        data = self.env.cr.precommit.data
        if _QUEUE_KEY not in data:
            self.env.cr.precommit.add(self._cm_post_timeline)
        queue = data.setdefault(_QUEUE_KEY, {})
        author = self.env.user.partner_id.id
        for lead_id, event in events.items():
            queue[lead_id] = (event, author)

    def _cm_post_timeline(self):
        """Each opportunity won or lost lands on its client's (commercial partner's) timeline
        with its own subtype; a won one is activity with the client."""
        queue = self.env.cr.precommit.data.pop(_QUEUE_KEY, {})
        # the timeline is a fact of the sale: a salesman may not be allowed to write the client
        leads = self.sudo().with_context(active_test=False).browse(queue).exists()
        Partner = self.env["res.partner"].sudo()  # as above
        for lead in leads:
            event, author = queue[lead.id]
            if not lead.partner_id or lead.won_status != event:
                continue
            client = lead.partner_id.commercial_partner_id
            values = {"link": lead._get_html_link(title=lead.name)}
            if event == "won":
                if lead.expected_revenue:
                    body = self.env._("Opportunity %(link)s won: %(amount)s")
                    values["amount"] = format_amount(self.env, lead.expected_revenue, lead.company_currency)
                else:
                    body = self.env._("Opportunity %(link)s won")
            elif lead.lost_reason_id:
                body = self.env._("Opportunity %(link)s lost: %(reason)s")
                values["reason"] = lead.lost_reason_id.name
            else:
                body = self.env._("Opportunity %(link)s lost")
            client.message_post(
                body=Markup(body) % values,
                subtype_xmlid=_SUBTYPES[event],
                message_type="notification",
                author_id=author,
            )
            if event == "won":
                # the day in the user's time zone, as the filters' "today"
                day = fields.Date.context_today(lead, lead.date_closed or fields.Datetime.now())
                Partner._cm_touch_last_activity({client.id, lead.partner_id.id}, day)
