"""Install hook: the partners' native phone and e-mail become their primary lines."""

import logging

from odoo.tools import SQL, email_normalize_all

from .models.res_partner_phone import parse_number

_logger = logging.getLogger(__name__)


def post_init_hook(env):
    migrate_native_channels(env)


def _region_sql(env):
    """Region of a partner: its country, else its company's, else the main company's."""
    return SQL(
        """coalesce(pc.code, cc.code, %s)""",
        env.company.country_id.code or "",
    )


def migrate_native_channels(env):
    """Set-based: one INSERT per channel, numbers parsed once per distinct (text, region).

    Partners that already have lines (created through the ORM during install) are left alone.
    Numbers that cannot be parsed are kept as typed (no E.164) and listed in the log and in
    Configuration → Phone numbers to check.
    """
    cr = env.cr
    env.flush_all()
    region = _region_sql(env)
    joins = SQL(
        """FROM res_partner p
           LEFT JOIN res_country pc ON pc.id = p.country_id
           LEFT JOIN res_company comp ON comp.id = p.company_id
           LEFT JOIN res_partner cp ON cp.id = comp.partner_id
           LEFT JOIN res_country cc ON cc.id = cp.country_id"""
    )
    no_lines = SQL("NOT EXISTS (SELECT 1 FROM res_partner_phone l WHERE l.partner_id = p.id)")
    cr.execute(
        SQL(
            "SELECT DISTINCT btrim(p.phone), %s %s WHERE coalesce(btrim(p.phone), '') <> '' AND %s",
            region,
            joins,
            no_lines,
        )
    )
    pairs = cr.fetchall()
    raws, regions, e164s, displays, unparsed = [], [], [], [], []
    for raw, code in pairs:
        parsed = parse_number(raw, code or None)
        raws.append(raw)
        regions.append(code)
        e164s.append(parsed[0] if parsed else None)
        displays.append(raw)
        if not parsed:
            unparsed.append(raw)
    mobile = env.ref("client_management.phone_type_mobile", raise_if_not_found=False)
    if raws:
        cr.execute(
            SQL(
                """
                WITH map AS (
                    SELECT * FROM unnest(%(raws)s::varchar[], %(regions)s::varchar[],
                                         %(e164s)s::varchar[], %(displays)s::varchar[])
                           AS m(raw, region, e164, display)
                ), src AS (
                    SELECT DISTINCT ON (p.id, m.e164) p.id AS partner_id, m.e164, m.display,
                           p.company_id, p.active, p.partner_share
                      %(joins)s
                      JOIN map m ON m.raw = btrim(p.phone) AND m.region = %(region)s
                     WHERE coalesce(btrim(p.phone), '') <> '' AND %(no_lines)s
                )
                INSERT INTO res_partner_phone
                       (partner_id, sequence, number, number_e164, type_id, is_primary,
                        whatsapp, viber, sms, company_id, partner_active, partner_share,
                        create_uid, write_uid, create_date, write_date)
                SELECT src.partner_id, 1, src.display, src.e164, %(type_id)s, TRUE, FALSE, FALSE,
                       NOT EXISTS (SELECT 1 FROM phone_blacklist b WHERE b.active AND b.number = src.e164),
                       src.company_id, src.active, src.partner_share,
                       %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                  FROM src
                """,
                raws=raws,
                regions=regions,
                e164s=e164s,
                displays=displays,
                joins=joins,
                region=region,
                no_lines=no_lines,
                type_id=mobile.id if mobile else None,
                uid=env.uid,
            )
        )
        phones = cr.rowcount
        _logger.info("client_management: %s native phone numbers became primary lines", phones)
    if unparsed:
        _logger.info(
            "client_management: %s phone numbers could not be parsed and were kept as typed "
            "(Clients → Configuration → Phone numbers to check): %s",
            len(unparsed),
            ", ".join(sorted(unparsed)[:200]),
        )
    _migrate_native_emails(env)
    env["res.partner"].invalidate_model(["phone", "email", "phone_ids", "email_ids"])
    env["res.partner.phone"].invalidate_model()
    env["res.partner.email"].invalidate_model()
    return unparsed


def _migrate_native_emails(env):
    """Each address of a partner's native e-mail becomes a line ("a@x.com, b@y.com": two
    lines, the first one primary); the native e-mail keeps its text. Text holding no address
    is kept as typed on one line. Addresses are parsed once per distinct text."""
    cr = env.cr
    cr.execute(
        """SELECT DISTINCT btrim(p.email) FROM res_partner p
            WHERE coalesce(btrim(p.email), '') <> ''
              AND NOT EXISTS (SELECT 1 FROM res_partner_email l WHERE l.partner_id = p.id)"""
    )
    raws, positions, addresses = [], [], []
    for (raw,) in cr.fetchall():
        for position, address in enumerate(dict.fromkeys(email_normalize_all(raw) or [raw]), start=1):
            raws.append(raw)
            positions.append(position)
            addresses.append(address)
    if not raws:
        return
    cr.execute(
        SQL(
            """
            WITH map AS (
                SELECT * FROM unnest(%(raws)s::varchar[], %(positions)s::int[], %(addresses)s::varchar[])
                       AS m(raw, position, address)
            )
            INSERT INTO res_partner_email
                   (partner_id, sequence, email, is_primary, consent,
                    create_uid, write_uid, create_date, write_date)
            SELECT p.id, m.position, m.address, m.position = 1,
                   NOT EXISTS (SELECT 1 FROM mail_blacklist b WHERE b.active AND b.email = m.address),
                   %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
              FROM res_partner p
              JOIN map m ON m.raw = btrim(p.email)
             WHERE NOT EXISTS (SELECT 1 FROM res_partner_email l WHERE l.partner_id = p.id)
            """,
            raws=raws,
            positions=positions,
            addresses=addresses,
            uid=env.uid,
        )
    )
    _logger.info("client_management: %s native e-mail addresses became lines", cr.rowcount)
