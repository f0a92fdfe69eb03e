from odoo import api, models

from .res_partner_phone import blacklist_sync


class ClientBlacklistMirror(models.AbstractModel):
    """Shared by Odoo's e-mail and phone blacklists: every change of the blacklist is
    mirrored on the opt-out box of the clients' lines holding the same value."""

    _name = "client.blacklist.mirror"
    _description = "Clients: blacklist mirrored on the contact lines"

    # field of the blacklist holding the value, model of the clients' lines that follow it
    _cm_value_field = None
    _cm_line_model = None

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._cm_mirror()
        return records

    def write(self, vals):
        values = set(self.mapped(self._cm_value_field))
        result = super().write(vals)
        if "active" in vals or self._cm_value_field in vals:
            self._cm_mirror(values)
        return result

    def unlink(self):
        values = set(self.mapped(self._cm_value_field))
        result = super().unlink()
        if values and not blacklist_sync(self.env):
            self.env[self._cm_line_model]._cm_follow_blacklist(values)
        return result

    def _cm_mirror(self, values=()):
        if blacklist_sync(self.env):
            return
        values = set(values) | set(self.mapped(self._cm_value_field))
        if values:
            self.env[self._cm_line_model]._cm_follow_blacklist(values)
