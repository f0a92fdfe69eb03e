"""Step 5 of the import, the contact lines: the numbers and e-mails of a plan become phone /
e-mail lines of the client (the ``phone_ids`` / ``email_ids`` of the contact-channel models),
or fill the native ``phone`` / ``email`` fields when those models are not installed."""

from odoo import fields


def has_lines(env, field):
    return field in env["res.partner"]._fields


class ChannelsStep:
    """Contact lines of a plan (mixed into ``run.Importer``: ``lines``, ``_phone_defaults``)."""

    def _phone_line_defaults(self):
        """Defaults of a new phone line, computed once per import instead of once per line."""
        if self._phone_defaults is None:
            Line = self.env["res.partner.phone"]
            names = [name for name in ("type_id", "sms", "whatsapp", "viber") if name in Line._fields]
            self._phone_defaults = Line.default_get(names)
        return self._phone_defaults

    def _channel_create_vals(self, plan):
        vals = {}
        has_phone_lines, has_email_lines = self.lines
        if plan.phones:
            if has_phone_lines:
                defaults = self._phone_line_defaults()
                vals["phone_ids"] = [
                    fields.Command.create(
                        dict(
                            defaults,
                            **_phone_flags(plan, e164),
                            number=display,
                            is_primary=not index,
                            sequence=index + 1,
                        )
                    )
                    for index, (e164, display) in enumerate(plan.phones)
                ]
            # the native field equals the primary line (no write-back after the lines)
            vals["phone"] = plan.phones[0][1]
        if plan.emails:
            if has_email_lines:
                vals["email_ids"] = [
                    fields.Command.create(
                        {"email": email, "is_primary": not index, "sequence": index + 1, "consent": True}
                        | _email_flags(plan, email)
                    )
                    for index, email in enumerate(plan.emails)
                ]
            vals["email"] = plan.emails[0]
        return vals

    def _channel_update_vals(self, partner, plan):
        """New numbers and e-mails are added; existing ones are never removed. A "No" of the
        file unticks an existing line (an opt-out, written to the blacklist by the line);
        a "Yes" never ticks one: it would lift an opt-out."""
        vals = {}
        has_phone_lines, has_email_lines = self.lines
        if plan.phones:
            if has_phone_lines:
                lines = {line.number_e164: line for line in partner.phone_ids}
                new = [
                    {"number": display, **_phone_flags(plan, e164)}
                    for e164, display in plan.phones
                    if e164 not in lines
                ]
                commands = [
                    fields.Command.update(line.id, {"sms": False})
                    for e164, line in lines.items()
                    if line.sms and plan.sms.get(e164) is False
                ]
                if new:
                    commands += _append_lines(partner.phone_ids, new)
                if commands:
                    vals["phone_ids"] = commands
            elif not partner.phone:
                vals["phone"] = plan.phones[0][1]
        if plan.emails:
            if has_email_lines:
                lines = {(line.email or "").lower(): line for line in partner.email_ids}
                new = [{"email": email, **_email_flags(plan, email)} for email in plan.emails if email not in lines]
                commands = [
                    fields.Command.update(line.id, {"consent": False})
                    for email, line in lines.items()
                    if line.consent and plan.consent.get(email) is False
                ]
                if new:
                    commands += _append_lines(partner.email_ids, new)
                if commands:
                    vals["email_ids"] = commands
            elif not partner.email:
                vals["email"] = plan.emails[0]
        return vals


def _phone_flags(plan, e164):
    """The SMS box (and type, WhatsApp, Viber) of a new line, when the file says it (a number on Odoo's phone blacklist
    stays unticked whatever the file says: the line takes it from the blacklist)."""
    flags = dict(plan.phone_flags.get(e164, {}))  # the type, WhatsApp and Viber of the file
    if e164 in plan.sms:
        flags["sms"] = plan.sms[e164]
    return flags


def _email_flags(plan, email):
    return {"consent": plan.consent[email]} if email in plan.consent else {}


def _append_lines(lines, new_vals):
    """Commands creating ``new_vals`` after the existing ``lines``; the first new one is
    primary only when no line is."""
    first_is_primary = not any(lines.mapped("is_primary"))
    start = len(lines) + 1
    return [
        fields.Command.create({**vals, "is_primary": first_is_primary and not index, "sequence": start + index})
        for index, vals in enumerate(new_vals)
    ]
