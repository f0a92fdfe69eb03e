"""The defaults of the clients an import creates: ``create`` asks ``default_get`` for every
field of ``res.partner`` the values do not give (some 250) once per client. The importer works
out once which fields have no default at all for its user and company, and ``default_get`` then
leaves those out: every default that exists is still computed for each client, as ``create``
does without the addon."""

from odoo import api, models

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
        without = frozenset(names) - set(partners.default_get(names))
        return FieldsWithoutDefault((self.env.uid, self.env.company.id), without)
