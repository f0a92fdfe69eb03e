from odoo import fields, models


class ClientImportJobError(models.Model):
    """One error of a background import, saved with the batch of its row."""

    _name = "client.import.job.error"
    _description = "Error of a background client import"
    _order = "job_id, row, id"
    _log_access = False

    job_id = fields.Many2one("client.import.job", required=True, ondelete="cascade", index=True, readonly=True)
    row = fields.Integer(readonly=True, help="Row of the sheet.")
    column = fields.Char(readonly=True)
    message = fields.Text(readonly=True)
