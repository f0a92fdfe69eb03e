import base64
import logging
from contextlib import nullcontext
from urllib.parse import quote as url_quote

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..importer import summary
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

    def _run(self, commit=True):
        """Run this import, or go on with it from its checkpoint, as the user who started it.

        With ``commit`` (the scheduled action), every batch is committed with the job's
        checkpoint, counters and errors; a dry run is rolled back at the end, its progress
        written by transactions of their own. Without it (tests), nothing is committed.

        :return: the seconds left to the scheduled action (``inf`` outside of it); 0 when its
            time budget is out, the job then going on at the next run.
        """
        self.ensure_one()
        job = self.sudo()  # the job's technical fields are written by the import only, not by users
        job.invalidate_recordset()
        if not job.exists() or job.state not in ("pending", "running"):
            return float("inf")
        restarts = 0
        if job.state == "running" and job.checkpoint_row == job.restart_row:
            # the previous run stopped without saving any batch: its worker was killed
            restarts = job.restart_count + 1
        if restarts >= MAX_RESTARTS:
            return job._failed(
                job._lang_env()._(
                    "The import stopped %(count)s times after row %(row)s without saving anything: a batch takes "
                    "longer than a worker may run. Import the file in smaller parts.",
                    count=restarts,
                    row=max(job.checkpoint_row, 1),
                ),
                commit,
            )
        job.write({"state": "running", "restart_row": job.checkpoint_row, "restart_count": restarts})
        job._commit_progress(commit)
        try:
            with nullcontext() if commit else self.env.cr.savepoint():
                service = job._service()
                content = base64.b64decode(job.with_context(bin_size=False).file or b"")
                if job.dry_run:
                    return job._run_dry(service, content, commit)
                return job._run_import(service, content, commit)
        except _Cancelled:
            return job._commit_progress(commit)
        except UserError as exc:
            return job._failed(str(exc.args[0] if exc.args else exc), commit)
        except Exception as exc:
            return job._failed(job._lang_env()._("The import stopped: %(error)s", error=str(exc)), commit, log=True)

    def _lang_env(self):
        """The environment in the language of the user who started the job when the current one
        has none (the scheduled action runs without one): the messages it stores are theirs."""
        return self.with_context(lang=self.env.lang or self.user_id.lang).env

    def _service(self):
        """The import service as the user who started the job, in the companies that were
        active then (and that are still theirs)."""
        user = self.user_id
        env = self._lang_env()
        if not user.active:
            raise UserError(env._("%(user)s, who started the import, is archived.", user=user.name))
        company = self.company_id or user.company_id
        if company not in user.company_ids:
            raise UserError(env._("%(user)s no longer works in %(company)s.", user=user.name, company=company.name))
        allowed = company | (self.company_ids & user.company_ids)
        return (
            self.env["client.import"]
            .with_user(user)
            .with_context(allowed_company_ids=allowed.ids, lang=user.lang or self.env.lang)
        )

    def _commit_progress(self, commit, processed=0):
        """Commit (with the scheduled action's progress: ``processed`` rows, and the rows
        left in all waiting imports). Returns the seconds left to the scheduled action."""
        if not commit:
            return float("inf")
        return self.env["ir.cron"]._commit_progress(processed, remaining=self._remaining_rows())

    @api.model
    def _remaining_rows(self):
        self.flush_model(["state", "rows_total", "checkpoint_row"])
        self.env.cr.execute(
            SQL(
                """SELECT coalesce(sum(greatest(rows_total + 1 - greatest(checkpoint_row, 1), 1)), 0)
                     FROM client_import_job WHERE state IN ('pending', 'running')"""
            )
        )
        return self.env.cr.fetchone()[0]

    def _still_running(self):
        """Whether the job was not cancelled (or retried) meanwhile, as committed by others."""
        self.invalidate_recordset(["state"])
        return self.state == "running"

    def _progress_vals(self, last_row, total):
        done = min(max(last_row - 1, 0), total)
        return {"rows_done": done, "rows_total": total, "progress": round(100.0 * done / total, 1) if total else 100.0}

    def _push_progress(self):
        self.user_id._bus_send(
            "client_management/import_progress",
            {"job_id": self.id, "done": self.rows_done, "total": self.rows_total, "progress": self.progress},
        )

    def _run_import(self, service, content, commit):
        options = dict(self.options or {}, dry_run=False)
        if not self.checkpoint_row:
            # first run: the whole file is checked (and its rows counted) before any write
            total = service._count_rows(service._importer(content, self.name, self.mapping, options))
            self.write(self._progress_vals(1, total))
            self._commit_progress(commit)
        total = self.rows_total
        time_left = float("inf")

        def on_batch(importer, last_row, _rows):
            nonlocal time_left
            counts, errors, assigned = importer.take_batch()
            batch_report = importer.take_report()
            previous = max(self.checkpoint_row, 1)
            vals = {name: self[name] + counts[name] for name in COUNTERS}
            vals.update(self._progress_vals(last_row, total), checkpoint_row=last_row)
            if any(batch_report.values()):
                vals["report"] = summary.merge(self.report, batch_report)
            if errors:
                vals["error_count"] = self.error_count + len(errors)
                vals["error_ids"] = [fields.Command.create(error) for error in errors]
            if assigned:
                merged = dict(self.assigned or {})
                for user_id, count in assigned.items():
                    merged[str(user_id)] = merged.get(str(user_id), 0) + count
                vals["assigned"] = merged
            # the checkpoint is committed with the clients of its batch, never without them
            self.write(vals)
            self._push_progress()
            time_left = self._commit_progress(commit, processed=last_row - previous)
            if last_row > total:
                return True
            return self._still_running() and time_left > 0

        finished = service._import_resumable(
            content, self.name, self.mapping, options, after_row=self.checkpoint_row, on_batch=on_batch
        )
        if not self._still_running():
            return time_left
        if not finished:
            return 0.0
        errors = [{"row": e.row, "column": e.column or "", "message": e.message} for e in self.error_ids]
        self._done(service._error_file_of(content, self.name, errors))
        service._notify_assignments({int(uid): count for uid, count in (self.assigned or {}).items()}, self.name)
        self._notify_user()
        return self._commit_progress(commit)

    def _run_dry(self, service, content, commit):
        """A dry run imports in this transaction, rolled back at the end. With ``commit``, its
        progress and its outcome are written by transactions of their own, so that users see
        them: this one commits before the dry run and never writes the job again (no lock
        held on the job, no concurrent update of it)."""
        self.write(
            dict.fromkeys(COUNTERS, 0)
            | {"error_count": 0, "error_ids": [fields.Command.clear()], "error_file": False, "checkpoint_row": 0}
            | {"report": False}
        )
        self._commit_progress(commit)
        options = dict(self.options or {}, dry_run=True)
        total = 0

        def progress(last_row, rows_total):
            nonlocal total
            total = rows_total
            if not self._write_apart(commit, self._progress_vals(last_row, rows_total), push=True):
                raise _Cancelled()

        result = service._import(content, self.name, mapping=self.mapping, options=options, progress=progress)
        error_file = result.get("_error_file")
        vals = {name: result[name] for name in COUNTERS} | {
            "error_count": len(result["errors"]),
            "error_ids": [fields.Command.create(error) for error in result["errors"]],
            "report": {key: result[key] for key in summary.REPORT_KEYS},
        }
        self._write_apart(commit, vals, error_file=error_file or None)
        return self._commit_progress(commit, processed=total)

    def _write_apart(self, commit, vals, push=False, error_file=False):
        """Write ``vals`` on the running job (with ``commit``: in a transaction of its own,
        committed at once); with ``error_file`` (None: there is none) the job is done and its
        user told. Returns False when the job is no longer running (cancelled)."""
        if not commit:
            self.invalidate_recordset(["state"])
            job = self
        else:
            self.env.flush_all()
            cr = self.env.registry.cursor()
            job = self.with_env(self.env(cr=cr))
        try:
            if job.state != "running":
                return False
            job.write(vals)
            if push:
                job._push_progress()
            if error_file is not False:
                job._done(error_file)
                job._notify_user()
            if commit:
                # the job's own cursor, apart from the import's transaction (the scheduled action's)
                cr.commit()  # pylint: disable=invalid-commit
        finally:
            if commit:
                cr.close()
                # this transaction's copy of the job is the one before
                self.invalidate_recordset()
        return True

    def _done(self, error_file):
        self.write(
            {
                "state": "done",
                "progress": 100.0,
                "rows_done": self.rows_total,
                "error_file": base64.b64encode(error_file) if error_file else False,
                "error_filename": self._lang_env()._("%(name)s - rows to fix.xlsx", name=self.name.rsplit(".", 1)[0])
                if error_file
                else False,
            }
        )

    def _failed(self, message, commit, log=False):
        """The job fails (the batch in progress is dropped: the saved ones stay, a retry goes
        on after them), unless it was cancelled or retried meanwhile (the batch then failed
        on the concurrent update of the job: nothing to report)."""
        if commit:
            self.env.cr.rollback()
        self.env.invalidate_all()
        if not self.exists() or self.state not in ("pending", "running"):
            return self._commit_progress(commit)
        if log:
            _logger.exception("Client import job %s failed", self.id)
        self.write({"state": "failed", "message": message})
        self._notify_user()
        return self._commit_progress(commit)

    # ------------------------------------------------------------------
    # Reporting
    # ------------------------------------------------------------------
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
