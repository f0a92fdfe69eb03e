"""The defaults of the clients an import creates: ``create`` asks ``default_get`` for every
field of ``res.partner`` the values do not give (some 250) once per client. The importer works
out once which fields have no default at all for its user and company, and ``default_get`` then
leaves those out: every default that exists is still computed for each client, as ``create``
does without the addon."""

from odoo import api, models

# Context key: ((user id, company id), frozenset of the fields without a default for them)
NO_DEFAULT_KEY = "cm_fields_without_default"


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def default_get(self, fields):
        known = self.env.context.get(NO_DEFAULT_KEY)
        if known and known[0] == (self.env.uid, self.env.company.id):
            # a default given in the context counts, even for a field that had none
            given = {key[8:] for key in self.env.context if key.startswith("default_")}
            skipped = known[1] - given if given else known[1]
            fields = [name for name in fields if name not in skipped]
        return super().default_get(fields)

    @api.model
    def _cm_fields_without_default(self):
        """The context value of NO_DEFAULT_KEY for the current user and company."""
        partners = self.with_context({key: value for key, value in self.env.context.items() if key != NO_DEFAULT_KEY})
        names = list(partners._fields)
        return (self.env.uid, self.env.company.id), frozenset(names) - set(partners.default_get(names))
