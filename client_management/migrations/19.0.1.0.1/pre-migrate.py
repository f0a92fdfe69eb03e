"""19.0.1.0.1: indexes written for every new partner and line that no query needs.

The supplier and conflict flags get indexes of the flagged partners only (created by the
update, ``res.partner._cm_supplier_idx`` / ``_cm_conflict_idx``); the lines' index of their
client is served by their unique index of (client, number) / (client, e-mail). Odoo keeps an
index it no longer expects: the old ones are dropped here.
"""

from odoo.tools import SQL

OLD_INDEXES = (
    "res_partner__is_supplier_index",
    "res_partner__is_conflict_index",
    "res_partner_phone__partner_id_index",
    "res_partner_email__partner_id_index",
)


def migrate(cr, version):
    if not version:
        return
    for name in OLD_INDEXES:
        cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))
