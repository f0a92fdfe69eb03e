"""The defaults of the clients an import creates: ``create`` asks ``default_get`` for every
field of ``res.partner`` the values do not give (some 250) once per client. The importer works
out once which fields have no default at all for its user and company, and ``default_get`` then
leaves those out: every default that exists is still computed for each client, as ``create``
does without the addon. A default that is an empty set of records (the tags, unless the context
gives some) counts as none: a new client has no tags either way, and ``create`` would write the
empty set into the relation of every client."""

from odoo import api, models
from odoo.fields import Command

# Context key of a FieldsWithoutDefault
NO_DEFAULT_KEY = "cm_fields_without_default"


class FieldsWithoutDefault:
    """The fields of ``res.partner`` without any default for a user and a company. Only an
    object of this class counts (no context sent over RPC can hold one)."""

    __slots__ = ("names", "owner")

    def __init__(self, owner, names):
        self.owner = owner  # (user id, company id)
        self.names = names


class ResPartner(models.Model):
    # res.partner is extended by concern (card, channels, invoicing, search), files under 400 lines
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def default_get(self, fields):
        known = self.env.context.get(NO_DEFAULT_KEY)
        if isinstance(known, FieldsWithoutDefault) and known.owner == (self.env.uid, self.env.company.id):
            # a default given in the context counts, even for a field that had none
            given = {key[8:] for key in self.env.context if key.startswith("default_")}
            skipped = known.names - given if given else known.names
            fields = [name for name in fields if name not in skipped]
        return super().default_get(fields)

    @api.model
    def _cm_fields_without_default(self):
        """The FieldsWithoutDefault of the current user and company (NO_DEFAULT_KEY)."""
        partners = self.with_context(**{NO_DEFAULT_KEY: None})
        names = list(partners._fields)
        defaults = partners.default_get(names)
        given = {name for name, value in defaults.items() if not _no_records(partners._fields[name], value)}
        return FieldsWithoutDefault((self.env.uid, self.env.company.id), frozenset(names) - given)


def _no_records(field, value):
    """Is ``value``, a default of ``field``, an empty set of records (``[]``, or commands that
    set or leave no record)?"""
    if field.type not in ("one2many", "many2many") or not isinstance(value, list | tuple):
        return False
    for command in value:
        if not isinstance(command, list | tuple) or not command:
            return False
        if command[0] == Command.CLEAR or (command[0] == Command.SET and not command[2]):
            continue
        return False
    return True
