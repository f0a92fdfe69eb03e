"""Step 5 of the import, the contact lines: the numbers and e-mails of a plan become phone /
e-mail lines of the client (the ``phone_ids`` / ``email_ids`` of the contact-channel models),
or fill the native ``phone`` / ``email`` fields when those models are not installed."""

from odoo import fields

from ..models.res_partner_line_bulk import check_create_access


def has_lines(env, field):
    return field in env["res.partner"]._fields


class ChannelsStep:
    """Contact lines of a plan (mixed into ``run.Importer``: ``lines``)."""

    def _channel_create_vals(self, plan):
        """The native phone and e-mail of a new client: its first number and address, which
        its primary lines hold (created after it by ``_create_lines``)."""
        vals = {}
        if plan.phones:
            vals["phone"] = plan.phones[0][1]
        if plan.emails:
            vals["email"] = plan.emails[0]
        return vals

    def _create_lines(self, plans, partner_ids):
        """The phone and e-mail lines of the new clients of a batch, in one bulk create of each
        kind (``_cm_create_trusted``; their record rules checked once the batch is flushed): the
        numbers are the importer's E.164 and international forms, once per client
        (``Plan.merge``), the first one primary and equal to the native field
        (``_channel_create_vals``)."""
        has_phone_lines, has_email_lines = self.lines
        phones, emails = [], []
        for plan, partner_id in zip(plans, partner_ids, strict=True):
            if has_phone_lines:
                phones += [
                    dict(
                        _phone_flags(plan, e164),
                        partner_id=partner_id,
                        number=display,
                        number_e164=e164,
                        is_primary=not index,
                        sequence=index + 1,
                    )
                    for index, (e164, display) in enumerate(plan.phones)
                ]
            if has_email_lines:
                emails += [
                    {"partner_id": partner_id, "email": email, "is_primary": not index, "sequence": index + 1}
                    | {"consent": True}
                    | _email_flags(plan, email)
                    for index, email in enumerate(plan.emails)
                ]
        lines = []
        if phones:
            lines.append(self.env["res.partner.phone"]._cm_create_trusted(phones, defer_rules=True))
        if emails:
            lines.append(self.env["res.partner.email"]._cm_create_trusted(emails, defer_rules=True))
        if lines:
            # the record rules of the lines, in the database: once the clients are written (the
            # flush the end of the batch does anyway), one query for each kind of line
            self.env.flush_all()
            for records in lines:
                check_create_access(records)

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
