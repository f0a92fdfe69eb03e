from odoo import models


class PhoneBlacklist(models.Model):
    """Blacklisting a number unticks the SMS box of the clients' numbers, and back."""

    _name = "phone.blacklist"
    _inherit = ["phone.blacklist", "client.blacklist.mirror"]

    _cm_value_field = "number"
    _cm_line_model = "res.partner.phone"
