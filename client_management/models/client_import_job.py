import base64
import logging
from urllib.parse import quote as url_quote

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


class ClientImportJob(models.Model):
    """An import of a big file run in the background by a scheduled action.

    The file is checked and its rows counted first; then every batch is committed and
    the progress written on the job (and pushed to the user through the bus). When done,
    the user gets a message in the inbox with the counts and, if any, the errors file.
    """

    _name = "client.import.job"
    _description = "Client import in the background"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(string="File", required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Started by", required=True, readonly=True, default=lambda self: self.env.user
    )
    state = fields.Selection(
        [("pending", "Waiting"), ("running", "Running"), ("done", "Done"), ("failed", "Failed")],
        default="pending",
        required=True,
        readonly=True,
        tracking=True,
    )
    file = fields.Binary(string="Imported file", attachment=True, readonly=True)
    mapping = fields.Json(readonly=True)
    options = fields.Json(readonly=True)
    rows_total = fields.Integer(string="Rows", readonly=True)
    rows_done = fields.Integer(string="Rows processed", readonly=True)
    progress = fields.Float(string="Progress", readonly=True, help="Percentage of the rows processed.")
    created = fields.Integer(readonly=True)
    updated = fields.Integer(readonly=True)
    skipped = fields.Integer(readonly=True)
    unchanged = fields.Integer(readonly=True)
    error_count = fields.Integer(string="Errors", readonly=True)
    errors = fields.Json(string="Error list", readonly=True)
    error_file = fields.Binary(string="Rows to fix", attachment=True, readonly=True)
    error_filename = fields.Char(readonly=True)
    message = fields.Text(readonly=True)
    dry_run = fields.Boolean(string="Dry run", readonly=True, help="Counts and errors only: nothing is written.")

    @api.model
    def _background_threshold(self):
        """Files bigger than this (bytes) are imported in the background."""
        value = self.env["ir.config_parameter"].sudo().get_param("client_management.import_background_size")
        try:
            return int(value) if value else 500_000
        except ValueError:
            return 500_000

    @api.model
    def _enqueue(self, content, filename, mapping, options):
        job = self.create(
            {
                "name": filename,
                "file": base64.b64encode(content),
                "mapping": mapping,
                "options": options,
                "dry_run": bool(options.get("dry_run")),
            }
        )
        cron = self.env.ref("client_management.ir_cron_client_import_job", raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger()
        return job

    @api.autovacuum
    def _gc_old_jobs(self):
        """Finished imports (and their files) are kept 30 days."""
        limit = fields.Datetime.subtract(fields.Datetime.now(), days=30)
        self.sudo().search([("state", "in", ("done", "failed")), ("create_date", "<", limit)]).unlink()

    @api.model
    def _cron_process(self, limit=5):
        jobs = self.sudo().search([("state", "=", "pending")], order="id", limit=limit)
        for job in jobs:
            job._run(commit=True)

    def _run(self, commit=True):
        """Run the import of this job. With ``commit`` (the scheduled action), a real import
        commits every batch (and its progress); a dry run stays in one transaction rolled
        back at the end, its progress being written through a separate cursor."""
        self.ensure_one()
        job = self.sudo()
        job.write({"state": "running", "rows_done": 0, "progress": 0.0})
        if commit:
            self.env.cr.commit()
        service = self.env["client.import"].with_user(job.user_id).with_context(lang=job.user_id.lang)
        import_commit = commit and not job.dry_run

        def progress(done, total):
            percent = round(100.0 * done / total, 1) if total else 100.0
            vals = {"rows_done": done, "rows_total": total or done, "progress": percent}
            message = {"job_id": job.id, "done": done, "total": total, "progress": percent}
            if commit and not import_commit:
                with self.env.registry.cursor() as cr:
                    env = self.env(cr=cr, su=True)
                    env[self._name].browse(job.id).write(vals)
                    env["res.users"].browse(job.user_id.id)._bus_send("client_management/import_progress", message)
                return
            job.write(vals)
            job.user_id._bus_send("client_management/import_progress", message)
            if import_commit:
                self.env.cr.commit()

        try:
            content = base64.b64decode(job.with_context(bin_size=False).file or b"")
            result = service._import(
                content,
                job.name,
                mapping=job.mapping,
                options=job.options or {},
                progress=progress,
                commit=import_commit,
            )
        except UserError as exc:
            if commit:
                self.env.cr.rollback()
            job.write({"state": "failed", "message": str(exc.args[0] if exc.args else exc)})
            job._notify_user()
            return False
        except Exception as exc:
            _logger.exception("Client import job %s failed", job.id)
            if commit:
                self.env.cr.rollback()
            job.write({"state": "failed", "message": _("The import stopped: %(error)s", error=str(exc))})
            job._notify_user()
            return False
        error_file = result.get("_error_file")
        job.write(
            {
                "state": "done",
                "progress": 100.0,
                "created": result["created"],
                "updated": result["updated"],
                "skipped": result["skipped"],
                "unchanged": result["unchanged"],
                "error_count": len(result["errors"]),
                "errors": result["errors"][:1000],
                "error_file": base64.b64encode(error_file) if error_file else False,
                "error_filename": _("%(name)s - rows to fix.xlsx", name=job.name.rsplit(".", 1)[0])
                if error_file
                else False,
            }
        )
        job._notify_user()
        if commit:
            self.env.cr.commit()
        return result

    def _summary(self):
        self.ensure_one()
        if self.state == "failed":
            return _("The import of %(file)s failed: %(message)s", file=self.name, message=self.message)
        if self.dry_run:
            return _(
                "The dry run of %(file)s is done (nothing was written): %(created)s would be created, "
                "%(updated)s updated, %(unchanged)s unchanged, %(skipped)s skipped, %(errors)s errors.",
                file=self.name,
                created=self.created,
                updated=self.updated,
                unchanged=self.unchanged,
                skipped=self.skipped,
                errors=self.error_count,
            )
        return _(
            "The import of %(file)s is done: %(created)s created, %(updated)s updated, "
            "%(unchanged)s unchanged, %(skipped)s skipped, %(errors)s errors.",
            file=self.name,
            created=self.created,
            updated=self.updated,
            unchanged=self.unchanged,
            skipped=self.skipped,
            errors=self.error_count,
        )

    def _notify_user(self):
        """A message in the inbox of the user who started the import."""
        self.ensure_one()
        body = Markup("<p>%s</p>") % self._summary()
        attachments = []
        if self.error_file:
            attachments = [(self.error_filename, base64.b64decode(self.with_context(bin_size=False).error_file))]
        self.message_notify(
            partner_ids=self.user_id.partner_id.ids,
            subject=_("Client import: %(file)s", file=self.name),
            body=body,
            attachments=attachments,
        )
        self.user_id._bus_send(
            "simple_notification",
            {
                "type": "success" if self.state == "done" else "danger",
                "title": _("Client import"),
                "message": self._summary(),
                "sticky": False,
            },
        )

    def action_download_errors(self):
        self.ensure_one()
        filename = url_quote(self.error_filename or "errors.xlsx")
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/client.import.job/{self.id}/error_file/{filename}?download=true",
            "target": "self",
        }
