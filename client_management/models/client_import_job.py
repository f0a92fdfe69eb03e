import base64
import logging
from urllib.parse import quote as url_quote

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .client_import import COUNTERS

_logger = logging.getLogger(__name__)

# Fields only the import itself writes (in sudo): ``create`` ignores them and ``write``
# refuses them for everyone else, so that a job always runs as the user who started it, in
# the companies active then, and its progress cannot be forged.
SYSTEM_FIELDS = {
    "user_id",
    "company_id",
    "company_ids",
    "state",
    "rows_total",
    "rows_done",
    "checkpoint_row",
    "progress",
    *COUNTERS,
    "error_count",
    "error_ids",
    "error_file",
    "error_filename",
    "message",
    "assigned",
    "report",
    "restart_row",
    "restart_count",
}
# What the job imports: given when it is created, never changed afterwards.
INPUT_FIELDS = {"name", "file", "mapping", "options", "dry_run"}
# A job whose runs stop this many times in a row without saving a batch (the worker killed
# by its time limit) fails instead of blocking the imports behind it.
MAX_RESTARTS = 3


class _Cancelled(Exception):
    """Raised in a dry run once its job was cancelled."""


class ClientImportJob(models.Model):
    """An import of a big file run in the background by a scheduled action.

    The file is checked and its rows counted first; then every batch is committed together
    with the job's checkpoint (the last row of the batch), its counters and its errors, and
    the progress is pushed to the user through the bus. A run stopped by the scheduled
    action's time budget, or killed with its worker, goes on from the checkpoint at the next
    run: no row is imported twice, none is lost. When done, the user gets a message in the
    inbox with the counts and, if any, the errors file.
    """

    _name = "client.import.job"
    _description = "Client import in the background"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(string="File", required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Started by", required=True, readonly=True, default=lambda self: self.env.user
    )
    company_id = fields.Many2one(
        "res.company",
        string="Company",
        readonly=True,
        default=lambda self: self.env.company,
        help="The company active when the import was started: the import runs in it.",
    )
    company_ids = fields.Many2many(
        "res.company",
        string="Allowed companies",
        readonly=True,
        default=lambda self: self.env.companies,
        help="The companies active when the import was started: the clients it matches belong to them.",
    )
    state = fields.Selection(
        [
            ("pending", "Waiting"),
            ("running", "Running"),
            ("done", "Done"),
            ("failed", "Failed"),
            ("cancelled", "Cancelled"),
        ],
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
    checkpoint_row = fields.Integer(
        string="Last row saved",
        readonly=True,
        help="Sheet row of the last row whose batch is saved: a stopped import goes on after it.",
    )
    progress = fields.Float(readonly=True, help="Percentage of the rows processed.")
    created = fields.Integer(readonly=True)
    updated = fields.Integer(readonly=True)
    skipped = fields.Integer(readonly=True)
    unchanged = fields.Integer(readonly=True)
    error_count = fields.Integer(string="Errors", readonly=True)
    error_ids = fields.One2many("client.import.job.error", "job_id", string="Rows with errors", readonly=True)
    errors = fields.Json(string="Error list", compute="_compute_errors", help="The first 1 000 errors.")
    error_file = fields.Binary(string="Rows to fix", attachment=True, readonly=True)
    error_filename = fields.Char(readonly=True)
    message = fields.Text(readonly=True)
    dry_run = fields.Boolean(string="Dry run", readonly=True, help="Counts and errors only: nothing is written.")
    assigned = fields.Json(readonly=True, help="Clients given to each responsible manager: {user id: count}.")
    report = fields.Json(
        readonly=True,
        help="What the matching decided and the fields changed: shared values, archived clients, "
        "matches by name alone, {field: clients changed}.",
    )
    restart_row = fields.Integer(readonly=True, help="The checkpoint the last run started from.")
    restart_count = fields.Integer(readonly=True, help="Runs in a row that stopped without saving a batch.")

    @api.depends("error_ids")
    def _compute_errors(self):
        for job in self:
            job.errors = [
                {"row": error.row, "column": error.column or "", "message": error.message}
                for error in job.error_ids[:1000]
            ]

    # ------------------------------------------------------------------
    # CRUD: only the import writes a job
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            # whoever creates a job (RPC included) starts it for themselves, in their
            # active companies; its state and progress start from the beginning
            vals_list = [
                {key: value for key, value in vals.items() if key not in SYSTEM_FIELDS}
                | {
                    "user_id": self.env.uid,
                    "company_id": self.env.company.id,
                    "company_ids": [fields.Command.set(self.env.companies.ids)],
                }
                for vals in vals_list
            ]
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and set(vals) & (SYSTEM_FIELDS | INPUT_FIELDS):
            raise AccessError(self.env._("A background import is written by the import itself only."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_running(self):
        if any(job.state == "running" for job in self):
            raise UserError(self.env._("Cancel the import before deleting it."))

    # ------------------------------------------------------------------
    # Starting, cancelling, retrying
    # ------------------------------------------------------------------
    @api.model
    def _background_threshold(self):
        """Files bigger than this (bytes) are imported in the background."""
        # a system parameter: only administrators may read those
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
        self._wake_up()
        return job

    @api.model
    def _wake_up(self):
        cron = self.env.ref("client_management.ir_cron_client_import_job", raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger()  # users may not read scheduled actions; a trigger only runs it sooner

    def _check_control(self):
        """Cancelling and retrying are for the job's owner and the Clients administrators of
        its company: exactly who may read the job (record rules)."""
        self.check_access("read")

    def action_cancel(self):
        """A waiting import never starts; a running one stops after its current batch."""
        self._check_control()
        jobs = self.filtered(lambda job: job.state in ("pending", "running"))
        if not jobs:
            raise UserError(self.env._("Only a waiting or running import can be cancelled."))
        jobs = jobs.sudo()  # users may not write jobs (the import does): the state is set once checked
        jobs.write({"state": "cancelled", "message": self.env._("Cancelled by %(user)s.", user=self.env.user.name)})
        return True

    def action_retry(self):
        """A failed or cancelled import waits again and goes on from its last saved row."""
        self._check_control()
        jobs = self.filtered(lambda job: job.state in ("failed", "cancelled"))
        if not jobs:
            raise UserError(self.env._("Only a failed or cancelled import can be retried."))
        jobs = jobs.sudo()  # users may not write jobs (the import does): the state is set once checked
        jobs.write({"state": "pending", "message": False, "restart_count": 0})
        self._wake_up()
        return True

    @api.autovacuum
    def _gc_old_jobs(self):
        """Finished imports (and their files) are kept 30 days."""
        limit = fields.Datetime.subtract(fields.Datetime.now(), days=30)
        jobs = self.sudo()  # the jobs of every user
        jobs.search([("state", "in", ("done", "failed", "cancelled")), ("create_date", "<", limit)]).unlink()

    # ------------------------------------------------------------------
    # Running
    # ------------------------------------------------------------------
    @api.model
    def _cron_process(self):
        """The scheduled action: the waiting imports, oldest first, as long as its time budget
        allows. The progress of every batch is committed with ``ir.cron._commit_progress``;
        while rows remain, the scheduled action runs again as soon as possible."""
        jobs = self.sudo()  # the scheduled action runs every user's import (each as its user, see _run)
        for job in jobs.search([("state", "in", ("pending", "running"))], order="id"):
            if not job._run(commit=True):
                return

    def _summary(self):
        self.ensure_one()
        if self.state == "failed":
            return self.env._("The import of %(file)s failed: %(message)s", file=self.name, message=self.message)
        if self.dry_run:
            return self.env._(
                "The dry run of %(file)s is done (nothing was written): %(created)s would be created, "
                "%(updated)s updated, %(unchanged)s unchanged, %(skipped)s skipped, %(errors)s errors.",
                file=self.name,
                created=self.created,
                updated=self.updated,
                unchanged=self.unchanged,
                skipped=self.skipped,
                errors=self.error_count,
            )
        return self.env._(
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
        """A message in the inbox of the user who started the import, in their language."""
        self.ensure_one()
        job = self.with_context(lang=self.user_id.lang or self.env.lang)
        summary = job._summary()
        attachments = []
        if job.error_file:
            attachments = [(job.error_filename, base64.b64decode(job.with_context(bin_size=False).error_file))]
        job.message_notify(
            partner_ids=job.user_id.partner_id.ids,
            subject=job.env._("Client import: %(file)s", file=job.name),
            body=Markup("<p>%s</p>") % summary,
            attachments=attachments,
        )
        job.user_id._bus_send(
            "simple_notification",
            {
                "type": "success" if job.state == "done" else "danger",
                "title": job.env._("Client import"),
                "message": summary,
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
