from odoo import api, models
from odoo.fields import Domain


class IrRule(models.Model):
    """A record of the Clients app that belongs to a client (a phone or e-mail line, the
    invoicing figures) is accessible exactly when its client is.

    Such models name the field of their client in ``_cm_client_field``. Their own record rules
    (see security/client_management_rules.xml) apply as usual, and the record rules of
    ``res.partner`` for the user — Odoo's multi-company and portal rules as well as any rule an
    administrator or another app adds — are applied to their client, the way Odoo applies the
    rules of an ``_inherits`` parent: a line of a client the user may not read cannot be read,
    and one of a client the user may not modify cannot be modified.
    """

    _inherit = "ir.rule"

    @api.model
    def _compute_domain(self, model_name, mode="read"):
        domain = super()._compute_domain(model_name, mode)
        client_field = getattr(self.env.registry[model_name], "_cm_client_field", None)
        if client_field:
            client_mode = "read" if mode == "read" else "write"
            client_domain = self._compute_domain("res.partner", client_mode)
            if not client_domain.is_true():
                domain = Domain.AND([domain, Domain(client_field, "any", client_domain)])
        return domain
