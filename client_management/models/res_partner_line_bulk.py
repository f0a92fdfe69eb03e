"""The bulk path of the phone and e-mail lines (``_cm_create_trusted`` of
``res.partner.phone`` and ``res.partner.email``): the lines of the clients an import has just
created, inserted a batch at a time with what the ORM's ``create`` does for them, once per
batch instead of once per line."""

from odoo import models
from odoo.fields import Domain
from odoo.tools import SQL, split_every

from ..tools.copy_rows import NotCopyable, copy_rows
from ..tools.index_lookup import index_lookups

# Lines inserted by one INSERT statement when they cannot be copied (``create_stored``)
_INSERT_SIZE = 1000
# Fields of a line copied from its client (stored related fields, see ResPartnerPhone)
_COPIED = {"company_id": "company_id", "partner_active": "active", "partner_share": "partner_share"}


def trusted_values(lines, vals_list):
    """Complete values of new lines (the bulk path of ``_cm_create_trusted``): the defaults
    (read once), the copies of the client's fields the line model has, the log columns."""
    lines.check_access("create")
    for name in {name for vals in vals_list for name in vals}:
        lines._check_field_access(lines._fields[name], "write")
    # the defaults of every field, for the lines that do not give it (as create does line by line)
    defaults = lines.default_get([name for name, field in lines._fields.items() if field.store])
    copied = {name: source for name, source in _COPIED.items() if name in lines._fields}
    clients = {vals["partner_id"] for vals in vals_list}
    # sudo: the copies take the values the related fields would (they are computed as superuser)
    partners = lines.env["res.partner"].sudo().browse(clients)
    client_values = {partner.id: {name: partner[source] for name, source in copied.items()} for partner in partners}
    now, uid = lines.env.cr.now(), lines.env.uid
    log = {"create_uid": uid, "create_date": now, "write_uid": uid, "write_date": now}
    stored_list = []
    for vals in vals_list:
        stored = {**defaults, **vals, **log}
        for name, value in client_values[vals["partner_id"]].items():
            stored[name] = value.id if isinstance(value, models.BaseModel) else value
        stored_list.append(stored)
    return stored_list


def create_stored(lines, stored_list, defer_rules=False):
    """The lines of complete values (``trusted_values``), as the ORM's ``_create`` inserts them,
    but without putting every field of every new line in the cache: written by one COPY
    (``tools/copy_rows``); their clients' ``phone_ids`` / ``email_ids`` are read again; the
    fields depending on the lines are marked to compute (the copies of the client's fields are inserted: protected);
    constraints, record rules and companies checked. With ``defer_rules``, the record rules are
    left to the caller, who checks them with ``check_create_access`` once the clients are flushed
    (the importer: one query per batch instead of evaluating them in Python line by line)."""
    fields_ = lines._fields
    columns = sorted({name for stored in stored_list for name in stored if fields_[name].column_type})
    # a value the line does not give is NULL: the columns of the lines have no default in the
    # database (Odoo gives them in Python: ``trusted_values``), but the id
    rows = [
        tuple(
            fields_[name].convert_to_column_insert(stored[name], lines, stored) if name in stored else None
            for name in columns
        )
        for stored in stored_list
    ]
    try:
        ids = copy_rows(lines.env.cr, lines._table, columns, rows)
    except NotCopyable:
        ids = _insert_rows(lines, columns, rows)
    records = lines.browse(ids)
    inverses = [field.name for field in lines.pool.field_inverses[fields_["partner_id"]]]
    lines.env["res.partner"].browse({stored["partner_id"] for stored in stored_list}).invalidate_recordset(inverses)
    protected = set()
    for name in _COPIED:
        if name in fields_:
            protected.update(lines.pool.field_computed.get(fields_[name], [fields_[name]]))
    with lines.env.protecting(protected, records):
        records.modified(fields_, create=True)
    records._validate_fields(columns)
    if defer_rules:
        records.browse().check_access("create")  # the access rights; the rules: see above
    else:
        records.check_access("create")
    if lines._check_company_auto:
        records._check_company()
    return records


def _insert_rows(lines, columns, rows):
    """The rows inserted by INSERT statements of a thousand rows (a value COPY is not written for)."""
    ids = []
    for chunk in split_every(_INSERT_SIZE, rows):
        lines.env.cr.execute(
            SQL(
                "INSERT INTO %s (%s) VALUES %s RETURNING id",
                SQL.identifier(lines._table),
                SQL(", ").join(map(SQL.identifier, columns)),
                SQL(", ").join(chunk),
            )
        )
        ids += [line_id for (line_id,) in lines.env.cr.fetchall()]
    return ids


def check_create_access(records):
    """The record rules of ``records.check_access("create")``, evaluated by PostgreSQL on the
    inserted lines in one query: what they read of the clients must be flushed first (the
    flush would otherwise write the clients twice in a batch)."""
    if records.env.su or not records:
        return
    domain = records.env["ir.rule"]._compute_domain(records._name, "create")
    if domain.is_true():
        return
    # sudo: the rules are the condition searched; the lines' own read rules do not apply to it
    query = records.sudo().with_context(active_test=False)._search(Domain("id", "in", records.ids) & domain)
    sql = query.select()
    records.env.flush_query(sql)
    with index_lookups(records.env.cr):  # the new lines' clients by their ids, not the table whole
        records.env.cr.execute(sql)
        allowed = [line_id for (line_id,) in records.env.cr.fetchall()]
    forbidden = records - records.browse(allowed)
    if forbidden:
        raise records.env["ir.rule"]._make_access_error("create", forbidden)


def insert_keeping_opt_outs(lines, stored_list, key, box, blacklist_sync, defer_rules=False):
    """Insert the lines (``create_stored``) as ``create`` treats their opt-outs: the box
    (``sms`` / ``consent``) of a value (``key``) listed in Odoo's blacklist starts unticked (an
    opt-out is never lifted), and a value whose box the caller left unticked is a new opt-out
    written to the blacklist (unless the blacklist is the one being mirrored on the lines)."""
    listed = lines._cm_blacklisted({stored[key] for stored in stored_list if stored.get(key)})
    for stored in stored_list:
        if stored.get(key) in listed:
            stored[box] = False
    records = create_stored(lines, stored_list, defer_rules)
    if not blacklist_sync(lines.env):
        opted_out = [
            line_id
            for line_id, stored in zip(records.ids, stored_list, strict=True)
            if stored.get(key) and not stored.get(box) and stored[key] not in listed
        ]
        lines.browse(opted_out)._cm_bridge_blacklist()
    return records
