from odoo import models


class MailBlacklist(models.Model):
    """Blacklisting an address unticks the consent box of the clients' e-mails, and back."""

    _name = "mail.blacklist"
    _inherit = ["mail.blacklist", "client.blacklist.mirror"]

    _cm_value_field = "email"
    _cm_line_model = "res.partner.email"
