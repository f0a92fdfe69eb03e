"""19.0.1.0.1: indexes written for every new partner and line that no query needs.

The supplier and conflict flags get indexes of the flagged partners only (created by the
update, ``res.partner._cm_supplier_idx`` / ``_cm_conflict_idx``); the lines' index of their
client is served by their unique index of (client, number) / (client, e-mail). Odoo keeps an
index it no longer expects: the old ones are dropped here.
"""

from odoo.tools import SQL

# old index: the index that must exist in its place (None: nothing needed)
OLD_INDEXES = {
    "res_partner__is_supplier_index": None,
    "res_partner__is_conflict_index": None,
    "res_partner_phone__partner_id_index": "res_partner_phone_partner_e164_uniq",
    "res_partner_email__partner_id_index": "res_partner_email_partner_email_uniq",
}


def migrate(cr, version):
    if not version:
        return
    cr.execute("SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s)", [list(filter(None, OLD_INDEXES.values()))])
    present = {name for (name,) in cr.fetchall()}
    for name, replacement in OLD_INDEXES.items():
        # a line's client keeps an index: the unique one when it exists, else its own
        if replacement is None or replacement in present:
            cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))
