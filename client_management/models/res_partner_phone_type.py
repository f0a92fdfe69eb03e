from odoo import fields, models


class ResPartnerPhoneType(models.Model):
    _name = "res.partner.phone.type"
    _description = "Phone type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _name_uniq = models.Constraint("UNIQUE(name)", "A phone type with this name already exists.")
