from odoo import fields, models


def _target_selection(self):
    return self.env["client.import"].get_targets()


class ClientImportWizardLine(models.TransientModel):
    _name = "client.import.wizard.line"
    _description = "Column of a client import file"
    _order = "sequence, id"

    wizard_id = fields.Many2one("client.import.wizard", required=True, ondelete="cascade")
    sequence = fields.Integer()
    header = fields.Char(string="Column", required=True, readonly=True)
    sample = fields.Char(string="First values", readonly=True)
    target = fields.Selection(
        selection=_target_selection, string="Client field", help="Leave empty to ignore the column."
    )
