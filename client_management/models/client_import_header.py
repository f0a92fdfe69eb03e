from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..importer.headers import build_index, normalize_header


class ClientImportHeader(models.Model):
    """A column name the client import recognises (Clients → Configuration → Import column
    names). Shipped in English, Latvian, Czech, Russian and Polish; an administrator adds the
    names of their own old system. Configuration shared by all companies (no company field, no
    record rule): Clients users read it, Clients administrators change it."""

    _name = "client.import.header"
    _description = "Column name recognised by the client import"
    _order = "target, lang, label, id"
    _rec_name = "label"

    label = fields.Char(
        string="Column name",
        required=True,
        help="As it is written in the files (case, accents, punctuation and numbering do not matter).",
    )
    target = fields.Selection(selection="_selection_target", string="Client field", required=True)
    lang = fields.Char(
        string="Language",
        size=8,
        help="Code of the label's language (en, lv, cs, ru, pl, ...); empty when several languages "
        "write it. The import guesses the default country from it.",
    )
    key = fields.Char(
        string="Compared as",
        compute="_compute_key",
        store=True,
        index=True,
        help="The label as the import compares it with a header.",
    )
    active = fields.Boolean(default=True)

    _key_uniq = models.UniqueIndex("(key) WHERE active", "Another active column name is already written this way.")

    @api.model
    def _selection_target(self):
        return self.env["client.import"].get_targets()

    @api.depends("label")
    def _compute_key(self):
        for record in self:
            record.key = normalize_header(record.label)

    @api.constrains("label")
    def _check_label(self):
        for record in self:
            if not record.key:
                raise ValidationError(self.env._("A column name needs at least one letter or digit."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("lang"):
                vals["lang"] = vals["lang"].strip().lower()
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("lang"):
            vals["lang"] = vals["lang"].strip().lower()
        return super().write(vals)

    @api.model
    def _header_index(self):
        """{normalised label: (target, language)} of the active labels, for one import."""
        # sudo: read_file / import_file read the column names for any internal caller, while only
        # Clients users may read this configuration model itself
        records = self.sudo().search_read([("active", "=", True)], ["label", "target", "lang"])
        return build_index((r["label"], r["target"], r["lang"]) for r in records)
