"""Incoming call → client card (see controllers/caller.py)."""

from odoo import api, models

MAX_LISTED = 80  # a number shared by more clients than this is listed, not opened one by one


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def cm_caller_action(self, number, country_code=None, log=False):
        """The action a telephony system's incoming call opens: the card of the client owning
        ``number`` (as dialled, read in ``country_code`` when written without "+"), the list of
        the clients when several do, or a new client form with the number when none does.
        With ``log`` (an API caller's choice), the call is noted on the timeline of each client
        found that the user may edit; the web client asks the user first (``cm_caller_log``)."""
        number = str(number or "").strip()
        partners = self.find_by_phone(number, country_code or None) if number else self.browse()
        action = self.env["ir.actions.act_window"]._for_xml_id("client_management.action_clients")
        action.pop("id", None)  # so that the web client keeps the action's path, not its record
        context = {"default_cm_client_code": True}
        if log and partners:
            self._cm_log_call(partners, number)
        if len(partners) == 1:
            action.update(res_id=partners.id, views=[(False, "form")], view_mode="form", context=context)
        elif partners:
            action.update(
                name=self.env._("Clients with the number %(number)s", number=number),
                domain=[("id", "in", partners[:MAX_LISTED].ids)],
                views=[(False, "list"), (False, "form")],
                view_mode="list,form",
                context=context,
            )
        else:
            if number:
                context["default_phone"] = number
            country = country_code and self.env["res.country"].search([("code", "=", country_code.upper())], limit=1)
            if country:
                context["default_country_id"] = country.id
            action.update(views=[(False, "form")], view_mode="form", context=context, target="current")
        return action

    @api.model
    def cm_caller_log(self, number, country_code=None):
        """Note the call from ``number`` on the timeline of each client owning it that the user
        may edit: what the caller action does once the user confirms (``&log=1``)."""
        number = str(number or "").strip()
        partners = self.find_by_phone(number, country_code or None) if number else self.browse()
        if partners:
            self._cm_log_call(partners, number)
        return bool(partners)

    def _cm_log_call(self, partners, number):
        """An "Incoming call" note on each client the user may edit (posting needs it)."""
        body = self.env._("Incoming call from %(number)s", number=number)
        for partner in partners._filtered_access("write"):
            partner.message_post(body=body, message_type="comment", subtype_xmlid="mail.mt_note")
