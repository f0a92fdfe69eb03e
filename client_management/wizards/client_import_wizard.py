import base64
from urllib.parse import quote as url_quote

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..importer.summary import report_html
from .client_import_wizard_tables import file_table, result_table


class ClientImportWizard(models.TransientModel):
    """Upload → column mapping with a preview → options → dry run → import.

    Every step calls the ``client.import`` service; nothing is parsed or written here.
    """

    _name = "client.import.wizard"
    _description = "Import clients from Excel or CSV"

    state = fields.Selection(
        [("upload", "Upload"), ("map", "Mapping"), ("checked", "Checked"), ("done", "Done"), ("background", "Running")],
        default="upload",
        required=True,
    )
    file = fields.Binary(string="File (.xlsx, .xls, .ods or .csv)", attachment=False)
    filename = fields.Char()
    line_ids = fields.One2many("client.import.wizard.line", "wizard_id", string="Columns")
    preview_html = fields.Html(
        string="Preview", sanitize=False, readonly=True, compute="_compute_preview_html", store=True
    )
    mapping_warning = fields.Char(string="Mapping warning", compute="_compute_mapping_warning")
    file_info = fields.Char(readonly=True)
    default_country_id = fields.Many2one(
        "res.country",
        string="Default country",
        default=lambda self: self.env.company.country_id,
        help="Country of the phone numbers written without +.",
    )
    guessed_country_id = fields.Many2one("res.country", readonly=True)
    guessed_country_reason = fields.Char(readonly=True)
    default_country_reason = fields.Char(
        string="Why this country", compute="_compute_default_country_reason", help="Why the import chose it."
    )
    match_email = fields.Boolean(string="Same e-mail", default=True)
    match_phone = fields.Boolean(string="Same phone number", default=True)
    match_vat = fields.Boolean(string="Same tax number", default=True)
    match_ref = fields.Boolean(string="Same client code", default=True)
    match_name = fields.Boolean(
        string="Same name alone",
        help="Off: a row is matched only by its code, e-mail, number or tax number (with the same name). "
        "On: a row nothing else matches updates the one client with exactly its name; "
        "the report lists these matches.",
    )
    mode = fields.Selection(
        [
            ("create_update", "Create new clients and update existing ones"),
            ("create", "Only create new clients"),
            ("update", "Only update existing clients"),
        ],
        default="create_update",
        required=True,
    )
    overwrite = fields.Boolean(
        string="Replace values already filled in",
        help="Off: a matched client only gets the values it does not have yet (a note from the file "
        "is added to its notes). On: the file's values replace the client's.",
    )
    created = fields.Integer(readonly=True)
    updated = fields.Integer(readonly=True)
    unchanged = fields.Integer(readonly=True)
    skipped = fields.Integer(readonly=True)
    error_count = fields.Integer(string="Errors", readonly=True)
    errors_html = fields.Html(string="Rows with errors", sanitize=False, readonly=True)
    report_html = fields.Html(string="Report", sanitize=False, readonly=True)
    error_file = fields.Binary(string="Rows to fix", attachment=False, readonly=True)
    error_filename = fields.Char(readonly=True)
    template_file = fields.Binary(attachment=False, readonly=True)
    job_id = fields.Many2one("client.import.job", string="Background import", readonly=True)
    # read as the wizard's user (related fields are read as superuser by default): a wizard
    # never shows the import of another user
    job_progress = fields.Float(related="job_id.progress", string="Progress", compute_sudo=False)
    job_state = fields.Selection(related="job_id.state", string="Status", compute_sudo=False)
    partner_ids = fields.Many2many("res.partner", string="Imported clients", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_job(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_job(vals)
        return super().write(vals)

    @api.model
    def _check_job(self, vals):
        """A wizard follows the background imports its user started, no other."""
        if self.env.su or not vals.get("job_id"):
            return
        job = self.env["client.import.job"].browse(vals["job_id"])
        # the same refusal whether the other user's job is readable (an administrator) or not
        if job.sudo().user_id != self.env.user:  # the owner is read as superuser, nothing else
            raise AccessError(self.env._("You can only follow the background imports you started."))

    @api.depends("default_country_id", "guessed_country_id", "guessed_country_reason")
    def _compute_default_country_reason(self):
        """The reason of the guessed default country, as long as the user keeps it."""
        for wizard in self:
            same = wizard.guessed_country_id and wizard.default_country_id == wizard.guessed_country_id
            wizard.default_country_reason = (
                self.env._("Guessed: %(reason)s.", reason=wizard.guessed_country_reason) if same else False
            )

    @api.depends("line_ids.target", "line_ids.header", "mode")
    def _compute_mapping_warning(self):
        """Said at the mapping step, before any row is read: the import cannot create clients
        when no column gives their name (nor a company)."""
        service = self.env["client.import"]
        for wizard in self:
            lines = wizard.line_ids.sorted("sequence")
            wizard.mapping_warning = bool(lines) and service._missing_name(
                lines.mapped("header"), [line.target for line in lines if line.target], wizard.mode
            )

    @api.depends(
        "file", "line_ids.target", "default_country_id", "match_email", "match_phone", "match_vat", "match_ref", "mode"
    )
    def _compute_preview_html(self):
        """The first rows as the import will store them (``client.import.preview_rows``), then
        as written in the file; follows the mapping and the options as they are changed."""
        service = self.env["client.import"]
        for wizard in self:
            if not wizard.file or not wizard.line_ids:
                wizard.preview_html = False  # the file is not read yet
                continue
            try:
                data = service.preview_rows(
                    wizard._content(), wizard.filename or "", wizard._mapping(), wizard._options(dry_run=True)
                )
            except UserError as exc:
                wizard.preview_html = Markup('<div class="alert alert-warning" role="alert">%s</div>') % exc.args[0]
                continue
            wizard.preview_html = (
                result_table(self.env, data)
                + Markup('<p class="text-muted">%s</p>') % self.env._("The same rows as written in the file:")
                + file_table(data["headers"], data["raw"])
            )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _content(self):
        self.ensure_one()
        if not self.file:
            if self.filename:
                raise UserError(self.env._("The file is empty."))
            raise UserError(self.env._("Choose an .xlsx, .xls, .ods or .csv file first."))
        return base64.b64decode(self.with_context(bin_size=False).file)

    def _mapping(self):
        return {line.header: line.target or False for line in self.line_ids}

    def _options(self, dry_run=False):
        match_on = [
            key
            for key, flag in (
                ("ref", self.match_ref),
                ("email", self.match_email),
                ("phone", self.match_phone),
                ("vat", self.match_vat),
            )
            if flag
        ]
        return {
            "default_country": self.default_country_id.code or False,
            "match_on": match_on,
            "mode": self.mode,
            "overwrite": self.overwrite,
            "match_name": self.match_name,
            "dry_run": dry_run,
            "error_file": True,
        }

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import clients"),  # every step keeps the dialog's title
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": self.env.context,
        }

    def _download(self, field, filename):
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/{field}/{url_quote(filename)}?download=true",
            "target": "self",
        }

    # ------------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------------
    def action_load(self):
        """Read the file: headers with their guessed field, and a preview of the first rows."""
        self.ensure_one()
        info = self.env["client.import"].read_file(self._content(), self.filename or "")
        samples = info["preview"]
        lines = [fields.Command.clear()]
        for index, header in enumerate(info["headers"]):
            sample = "; ".join(row[index] for row in samples[:3] if index < len(row) and row[index])
            lines.append(
                fields.Command.create(
                    {
                        "sequence": index,
                        "header": header,
                        "sample": sample[:200],
                        "target": info["mapping"].get(header, False),
                    }
                )
            )
        kinds = {
            "xlsx": self.env._("Excel workbook"),
            "xls": self.env._("Excel 97-2003 workbook"),
            "ods": self.env._("OpenDocument spreadsheet"),
        }
        details = [kinds.get(info["kind"], self.env._("CSV file"))]
        if info["encoding"]:
            details.append(self.env._("encoding %(encoding)s", encoding=info["encoding"]))
        if info["delimiter"]:
            names = {",": self.env._("comma"), ";": self.env._("semicolon"), "\t": self.env._("tab")}
            details.append(self.env._("separated by %(sep)s", sep=names.get(info["delimiter"], info["delimiter"])))
        guessed = info["default_country"] and self.env["res.country"].search(
            [("code", "=", info["default_country"])], limit=1
        )
        if guessed:
            self.default_country_id = guessed
        self.write(
            {
                "line_ids": lines,
                "state": "map",
                "guessed_country_id": guessed.id if guessed else False,
                "guessed_country_reason": info["default_country_reason"] if guessed else False,
                "file_info": ", ".join(details),
            }
        )
        return self._reopen()

    def action_dry_run(self):
        self.ensure_one()
        content = self._content()
        if self._enqueue_if_big(content, dry_run=True):
            return self._reopen()
        result = self.env["client.import"].import_file(
            content, self.filename or "", mapping=self._mapping(), options=self._options(dry_run=True)
        )
        self._store_result(result, state="checked")
        return self._reopen()

    def action_import(self):
        self.ensure_one()
        content = self._content()
        if self._enqueue_if_big(content):
            return self._reopen()
        result = self.env["client.import"].import_file(
            content, self.filename or "", mapping=self._mapping(), options=self._options()
        )
        self._store_result(result, state="done")
        return self._reopen()

    def _enqueue_if_big(self, content, dry_run=False):
        """Files above the threshold are imported (or checked) in the background."""
        Job = self.env["client.import.job"]
        if len(content) <= Job._background_threshold():
            return False
        # the rights, the options and the mapping are checked now, the rows in the background
        options = self._options(dry_run=dry_run)
        self.env["client.import"]._importer(content, self.filename or "", self._mapping(), options)
        job = Job._enqueue(content, self.filename or "", self._mapping(), options)
        self.write({"job_id": job.id, "state": "background"})
        return True

    def _store_result(self, result, state):
        errors = result["errors"]
        rows = Markup("").join(
            Markup("<tr><td>%s</td><td>%s</td><td>%s</td></tr>") % (e["row"], e["column"], e["message"])
            for e in errors[:500]
        )
        html = False
        if errors:
            html = Markup(
                '<table class="table table-sm"><thead><tr><th>%s</th><th>%s</th><th>%s</th></tr></thead>'
                "<tbody>%s</tbody></table>"
            ) % (self.env._("Row"), self.env._("Column"), self.env._("Problem"), rows)
            if len(errors) > 500:
                html += Markup("<p>%s</p>") % self.env._("… and %(n)s more in the errors file.", n=len(errors) - 500)
        base = (self.filename or "clients").rsplit(".", 1)[0]
        self.write(
            {
                "state": state,
                "created": result["created"],
                "updated": result["updated"],
                "unchanged": result.get("unchanged", 0),
                "skipped": result["skipped"],
                "error_count": len(errors),
                "errors_html": html,
                "report_html": report_html(self.env, result, self._key_labels()),
                "error_file": result.get("error_file") or False,
                "error_filename": self.env._("%(name)s - rows to fix.xlsx", name=base)
                if result.get("error_file")
                else False,
                "partner_ids": [fields.Command.set(result["partner_ids"])],
            }
        )

    def _key_labels(self):
        labels = self.env["client.import"]._target_labels()
        return {key: labels[key] for key in ("ref", "email", "phone", "vat")}

    def action_back(self):
        self.ensure_one()
        self.state = "map" if self.line_ids else "upload"
        return self._reopen()

    def action_download_errors(self):
        self.ensure_one()
        if not self.error_file:
            raise UserError(self.env._("There is no error to download."))
        return self._download("error_file", self.error_filename or "errors.xlsx")

    def action_download_template(self):
        self.ensure_one()
        self.template_file = base64.b64encode(self.env["client.import"].get_template())
        return self._download("template_file", self.env._("clients template.xlsx"))

    @api.model
    def action_export(self, partner_ids):
        """The "Export clients" action of the client list: an .xlsx in the import format."""
        data = self.env["client.import"].export_partners(partner_ids)
        holder = self.create({"template_file": base64.b64encode(data), "state": "done"})
        return holder._download("template_file", self.env._("clients.xlsx"))

    def action_open_clients(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Imported clients"),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": [("id", "in", self.partner_ids.ids)],
        }

    def action_refresh(self):
        """Show the progress of the background import; once it is over, its counts and errors."""
        self.ensure_one()
        job = self.job_id
        if job.state == "done":
            errors = job.errors or []
            self._store_result(
                {
                    "created": job.created,
                    "updated": job.updated,
                    "unchanged": job.unchanged,
                    "skipped": job.skipped,
                    "errors": errors,
                    "error_file": job.with_context(bin_size=False).error_file or False,
                    "partner_ids": [],
                    **(job.report or {}),
                },
                state="checked" if job.dry_run else "done",
            )
            self.error_count = job.error_count
        return self._reopen()

    def action_open_job(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "client.import.job",
            "res_id": self.job_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
