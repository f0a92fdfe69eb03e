from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError


class ClientAssignManager(models.TransientModel):
    _name = "client.assign.manager"
    _description = "Assign a responsible manager to several clients"

    partner_ids = fields.Many2many(
        "res.partner",
        string="Clients",
        required=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible manager",
        domain="[('share', '=', False)]",
        help="Leave empty to remove the responsible manager from the selected clients.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "res.partner":
            values["partner_ids"] = [fields.Command.set(self.env.context.get("active_ids") or [])]
        return values

    def action_assign(self):
        """Set the responsible manager of the selected clients this user may edit. The change is
        tracked in each client's chatter; the manager gets one summary notification instead of
        Odoo's assignment notification per client."""
        self.ensure_one()
        if not self.partner_ids:
            raise UserError(self.env._("Select at least one client."))
        partners = self.partner_ids._filtered_access("read")._filtered_access("write")
        skipped = len(self.partner_ids) - len(partners)
        if not partners:
            raise UserError(self.env._("You may not edit any of the selected clients."))
        user = self.user_id
        changed = partners.filtered(lambda partner: partner.user_id != user)
        changed.with_context(mail_auto_subscribe_no_notify=True).write({"user_id": user.id})
        if changed and user and user != self.env.user:
            self._notify_manager(user, changed)
        if user:
            message = self.env._(
                "%(count)s clients now have %(manager)s as responsible manager.",
                count=len(partners),
                manager=user.name,
            )
        else:
            message = self.env._("%(count)s clients no longer have a responsible manager.", count=len(partners))
        if skipped:
            message += " " + self.env._(
                "Clients left unchanged because you may not edit them: %(count)s.", count=skipped
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning" if skipped else "success",
                "sticky": bool(skipped),
                "message": message,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _notify_manager(self, user, partners):
        """One notification (inbox or e-mail, as the manager chose) telling ``user`` that
        ``partners`` were assigned to them, with a link to their clients (or to the client)."""
        recipient = user.partner_id
        env = self.with_context(lang=recipient.lang or self.env.lang).env
        author = self.env.user.name
        if len(partners) == 1:
            subject = env._("%(client)s was assigned to you", client=partners.display_name)
            text = env._("%(client)s was assigned to you by %(author)s.", client=partners.display_name, author=author)
            url, label = f"/odoo/res.partner/{partners.id}", env._("Open the client")
        else:
            subject = env._("%(count)s clients were assigned to you", count=len(partners))
            text = env._("%(count)s clients were assigned to you by %(author)s.", count=len(partners), author=author)
            url, label = "/odoo/my-clients", env._("See my clients")
        body = Markup("<p>%s</p><p><a href='%s'>%s</a></p>") % (text, self.get_base_url() + url, label)
        self.env["mail.thread"].message_notify(
            partner_ids=recipient.ids,
            subject=subject,
            body=body,
            email_layout_xmlid="mail.mail_notification_light",
        )
