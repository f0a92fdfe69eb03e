"""Uninstall hook: what the native phone / e-mail fields cannot hold is kept in the chatter.

Before Odoo drops the tables of the phone and e-mail lines, every client having a line that
the native fields cannot hold (a secondary number or address, WhatsApp, Viber, an SMS or
e-mail opt-out, a phone type other than the default one) gets an internal note on its
timeline listing all its numbers and addresses with their type and flags. One INSERT ...
SELECT for all clients; user text is HTML-escaped by SQL.
"""

import logging
import socket

from markupsafe import escape

from odoo.tools import SQL

from .models.res_partner_invoicing_stat import PENDING_TABLE

_logger = logging.getLogger(__name__)


def _html_escape(expression):
    """SQL expression escaping ``expression`` (text) for HTML, as markupsafe.escape does."""
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&#34;"), ("'", "&#39;")):
        expression = SQL("replace(%s, %s, %s)", expression, char, entity)
    return expression


def _labels(env):
    """Translated, HTML-escaped labels of the note (plain strings for SQL parameters)."""
    labels = {
        "intro": env._(
            "The Clients app was uninstalled: the phone numbers and e-mail addresses of this client, "
            "as they were recorded, with their type and options."
        ),
        "phones": env._("Phone numbers"),
        "emails": env._("E-mail addresses"),
        "primary": env._("primary"),
        "whatsapp": env._("WhatsApp"),
        "viber": env._("Viber"),
        "no_sms": env._("no SMS (opted out)"),
        "no_email": env._("no e-mail (opted out)"),
    }
    return {key: str(escape(value)) for key, value in labels.items()}


def _insert_notes(env, kind, body, joins, where, ctes=None):
    """One INSERT ... SELECT of an internal note (``body``, SQL) on every client
    (``res_partner p`` with ``joins``) matching ``where``; returns how many were posted."""
    note = env.ref("mail.mt_note", raise_if_not_found=False)
    author = env.user.partner_id
    env.cr.execute(
        SQL(
            """
            %(ctes)s
            INSERT INTO mail_message (model, res_id, record_company_id, message_type, subtype_id, is_internal,
                                      body, author_id, email_from, message_id, date,
                                      create_uid, write_uid, create_date, write_date)
            SELECT 'res.partner', p.id, p.company_id, 'comment', %(subtype)s, TRUE, %(body)s,
                   %(author)s, %(email_from)s,
                   '<' || md5(random()::text || clock_timestamp()::text) || %(kind)s || p.id
                       || '@' || %(host)s || '>',
                   now() AT TIME ZONE 'UTC', %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
              FROM res_partner p %(joins)s
             WHERE %(where)s
            """,
            ctes=ctes or SQL(""),
            subtype=note.id if note else None,
            body=body,
            author=author.id or None,
            email_from=author.email_formatted or None,
            kind=f"-{kind}-",
            host=socket.gethostname(),
            uid=env.uid,
            joins=joins,
            where=where,
        )
    )
    count = env.cr.rowcount
    env["mail.message"].invalidate_model()
    env["res.partner"].invalidate_model(["message_ids"])
    return count


def uninstall_hook(env):
    count = post_channel_notes(env)
    post_client_field_notes(env)
    drop_own_indexes(env)
    # The lines are noted: empty their tables now, so that Odoo can remove the phone types
    # (lines refer to them with ondelete=restrict) before it drops the tables.
    env.cr.execute("DELETE FROM res_partner_phone")
    env.cr.execute("DELETE FROM res_partner_email")
    env["res.partner.phone"].invalidate_model()
    env["res.partner.email"].invalidate_model()
    return count


def drop_own_indexes(env):
    """Drop what the addon created by SQL on tables that stay: its indexes on res_partner
    (``res_partner_cm_*``: Odoo drops only the indexes its models declare) and the queue of
    after-commit bookkeeping (see res.partner.invoicing.stat)."""
    env.cr.execute(
        r"""SELECT indexname FROM pg_indexes
             WHERE schemaname = current_schema() AND tablename = 'res_partner'
               AND indexname LIKE 'res\_partner\_cm\_%'"""
    )
    names = [name for (name,) in env.cr.fetchall()]
    for name in names:
        env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))
    env.cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(PENDING_TABLE)))
    _logger.info("client_management: dropped %s indexes on res_partner and the bookkeeping queue", len(names))


def post_channel_notes(env):
    """Post the note on every client whose lines hold more than its native phone / e-mail.
    Returns the number of notes posted."""
    env.flush_all()
    mobile = env.ref("client_management.phone_type_mobile", raise_if_not_found=False)
    labels = _labels(env)
    lang = env.lang or "en_US"
    type_name = SQL("COALESCE(t.name->>%s, t.name->>'en_US')", lang)
    phone_details = SQL(
        "concat_ws(', ', %s, CASE WHEN l.is_primary THEN %s END, CASE WHEN l.whatsapp THEN %s END,"
        " CASE WHEN l.viber THEN %s END, CASE WHEN NOT l.sms THEN %s END)",
        _html_escape(type_name),
        labels["primary"],
        labels["whatsapp"],
        labels["viber"],
        labels["no_sms"],
    )
    email_details = SQL(
        "concat_ws(', ', CASE WHEN l.is_primary THEN %s END, CASE WHEN NOT l.consent THEN %s END)",
        labels["primary"],
        labels["no_email"],
    )

    def item(value, details):
        return SQL(
            "'<li>' || %s || CASE WHEN %s <> '' THEN ' (' || %s || ')' ELSE '' END || '</li>'",
            _html_escape(value),
            details,
            details,
        )

    ctes = SQL(
        """
            WITH phones AS (
                SELECT l.partner_id,
                       string_agg(%(phone_item)s, ''
                                  ORDER BY COALESCE(l.is_primary, FALSE) DESC, l.sequence, l.id) AS items,
                       bool_or(NOT COALESCE(l.is_primary, FALSE) OR COALESCE(l.whatsapp, FALSE)
                               OR COALESCE(l.viber, FALSE) OR NOT COALESCE(l.sms, TRUE)
                               OR (l.type_id IS NOT NULL AND l.type_id IS DISTINCT FROM %(mobile)s)) AS lossy
                  FROM res_partner_phone l
                  LEFT JOIN res_partner_phone_type t ON t.id = l.type_id
                 GROUP BY l.partner_id
            ), emails AS (
                SELECT l.partner_id,
                       string_agg(%(email_item)s, ''
                                  ORDER BY COALESCE(l.is_primary, FALSE) DESC, l.sequence, l.id) AS items,
                       bool_or(NOT COALESCE(l.is_primary, FALSE) OR NOT COALESCE(l.consent, TRUE)) AS lossy
                  FROM res_partner_email l
                 GROUP BY l.partner_id
            )
        """,
        phone_item=item(SQL("l.number"), phone_details),
        email_item=item(SQL("l.email"), email_details),
        mobile=mobile.id if mobile else None,
    )
    body = SQL(
        """'<p>' || %(intro)s || '</p>'
           || CASE WHEN ph.items IS NOT NULL
                   THEN '<p><b>' || %(phones)s || '</b></p><ul>' || ph.items || '</ul>' ELSE '' END
           || CASE WHEN em.items IS NOT NULL
                   THEN '<p><b>' || %(emails)s || '</b></p><ul>' || em.items || '</ul>' ELSE '' END""",
        intro=labels["intro"],
        phones=labels["phones"],
        emails=labels["emails"],
    )
    count = _insert_notes(
        env,
        "client-channels",
        body,
        SQL("LEFT JOIN phones ph ON ph.partner_id = p.id LEFT JOIN emails em ON em.partner_id = p.id"),
        SQL("COALESCE(ph.lossy, FALSE) OR COALESCE(em.lossy, FALSE)"),
        ctes=ctes,
    )
    _logger.info("client_management: phone numbers and e-mail addresses noted in the chatter of %s clients", count)
    return count


def post_client_field_notes(env):
    """Post an internal note on every client with a value in a field of the Clients app that
    goes with it (conflict flag and note, birthdate, acquisition channel, supplier flag), by one
    INSERT ... SELECT. Returns the number of notes posted."""
    env.flush_all()
    labels = {
        key: str(escape(value))
        for key, value in {
            "intro": env._("The Clients app was uninstalled: what it recorded about this client."),
            "conflict": env._("Conflict client"),
            "conflict_note": env._("Conflict note"),
            "birthdate": env._("Birthdate"),
            "source": env._("How did the client hear about us"),
            "supplier": env._("Supplier"),
        }.items()
    }

    def item(condition, label, value=None):
        text = SQL("%s || ': ' || %s", label, _html_escape(value)) if value is not None else SQL("%s", label)
        return SQL("CASE WHEN %s THEN '<li>' || %s || '</li>' ELSE '' END", condition, text)

    body = SQL(
        "'<p>' || %(intro)s || '</p><ul>' || %(conflict)s || %(conflict_note)s || %(birthdate)s"
        " || %(source)s || %(supplier)s || '</ul>'",
        intro=labels["intro"],
        conflict=item(SQL("p.is_conflict"), labels["conflict"]),
        conflict_note=item(SQL("coalesce(p.conflict_note, '') <> ''"), labels["conflict_note"], SQL("p.conflict_note")),
        birthdate=item(SQL("p.birthdate IS NOT NULL"), labels["birthdate"], SQL("to_char(p.birthdate, 'YYYY-MM-DD')")),
        source=item(SQL("s.id IS NOT NULL"), labels["source"], SQL("s.name")),
        supplier=item(SQL("p.is_supplier"), labels["supplier"]),
    )
    count = _insert_notes(
        env,
        "client-fields",
        body,
        SQL("LEFT JOIN utm_source s ON s.id = p.acquisition_source_id"),
        SQL(
            """p.is_conflict OR coalesce(p.conflict_note, '') <> '' OR p.birthdate IS NOT NULL
               OR p.acquisition_source_id IS NOT NULL OR p.is_supplier"""
        ),
    )
    _logger.info("client_management: conflict notes, birthdates and channels noted on %s clients", count)
    return count
