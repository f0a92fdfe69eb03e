from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import email_normalize


class MailComposeMessage(models.TransientModel):
    # the composer is extended by concern (meeting minutes, an extra address), small files
    _inherit = "mail.compose.message"  # pylint: disable=consider-merging-classes-inherited

    cm_email_to = fields.Char(
        "To address",
        readonly=True,
        help="An address of the client that is not its primary one: the message is sent to it and "
        "logged on the client, without creating a contact for it.",
    )

    def _prepare_mail_values_static(self):
        """Posting on a record (comment mode) with an extra address: Odoo's message_post sends
        to it (``outgoing_email_to``) and keeps it on the logged message. Only set by the e-mail
        lines of the client card; every other composer is unchanged."""
        values = super()._prepare_mail_values_static()
        if self.cm_email_to and self.composition_mode == "comment":
            self._cm_check_email_to()
            values["outgoing_email_to"] = self.cm_email_to
        return values

    def _cm_check_email_to(self):
        email = email_normalize(self.cm_email_to or "")
        if not email:
            raise UserError(self.env._("“%(email)s” is not a valid e-mail address.", email=self.cm_email_to))
        if self.env["res.partner.email"]._cm_blacklisted({email}):
            raise UserError(
                self.env._(
                    "%(email)s asked not to receive e-mails (it is in the e-mail blacklist): nothing was sent.",
                    email=email,
                )
            )

    def _action_schedule_message(self):
        # a scheduled message is posted later without the extra address: send it now instead
        if any(composer.cm_email_to for composer in self):
            raise UserError(self.env._("A message to another address of the client cannot be scheduled: send it now."))
        return super()._action_schedule_message()
