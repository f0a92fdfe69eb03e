"""Meeting minutes on the client card: written from the card as a log note of their own
subtype (never sent to the client), counted and listed apart from other notes."""

from markupsafe import Markup, escape

from odoo import fields, models
from odoo.tools import format_date

MEETING_MINUTES = "client_management.mt_meeting_minutes"


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    cm_meeting_minutes_count = fields.Integer(
        "Meeting minutes", compute="_compute_cm_meeting_minutes_count", groups="base.group_user"
    )

    def _compute_cm_meeting_minutes_count(self):
        subtype = self.env.ref(MEETING_MINUTES)
        groups = self.env["mail.message"]._read_group(
            [("model", "=", "res.partner"), ("res_id", "in", self.ids), ("subtype_id", "=", subtype.id)],
            ["res_id"],
            ["__count"],
        )
        counts = dict(groups)
        for partner in self:
            partner.cm_meeting_minutes_count = counts.get(partner.id, 0)

    def _cm_meeting_minutes_template(self):
        """The body the composer opens with: a title, the date and the participants (the user,
        the client and, for a company, its contact persons), then room for the minutes."""
        self.ensure_one()
        date = format_date(self.env, fields.Date.context_today(self))
        people = self.env.user.partner_id | self | self.child_ids.filtered(lambda c: c.type == "contact")
        names = ", ".join(person.name for person in people if person.name)
        return Markup(
            "<h4>%(title)s</h4><p><b>%(date_label)s</b> %(date)s<br/><b>%(people_label)s</b> %(people)s</p>"
            "<p><b>%(agenda)s</b></p><p><br/></p><p><b>%(decisions)s</b></p><p><br/></p>"
        ) % {
            "title": escape(self.env._("Meeting minutes")),
            "date_label": escape(self.env._("Date:")),
            "date": date,
            "people_label": escape(self.env._("Participants:")),
            "people": names,
            "agenda": escape(self.env._("Discussed")),
            "decisions": escape(self.env._("Agreed / next steps")),
        }

    def action_cm_log_meeting_minutes(self):
        """Odoo's composer in log-note mode with the Meeting minutes subtype, pre-filled."""
        self.ensure_one()
        return self._cm_composer_action(
            self.env._("Log meeting minutes"),
            default_subtype_xmlid=MEETING_MINUTES,
            default_message_type="comment",
            default_body=self._cm_meeting_minutes_template(),
            # as Odoo's chatter opens its full composer for a note: no recipient is asked for
            # (without it, the form requires one, hidden in log mode, and Log does nothing)
            clicked_on_full_composer=True,
        )

    def log_meeting_minutes(self, body):
        """Log meeting minutes on each client (a note of its own subtype)."""
        return [
            partner.message_post(body=body, message_type="comment", subtype_xmlid=MEETING_MINUTES) for partner in self
        ]

    def action_cm_meeting_minutes(self):
        self.ensure_one()
        subtype = self.env.ref(MEETING_MINUTES)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Meeting minutes"),
            "res_model": "mail.message",
            "view_mode": "list,form",
            "domain": [("model", "=", "res.partner"), ("res_id", "=", self.id), ("subtype_id", "=", subtype.id)],
            "context": {"create": False},
        }
