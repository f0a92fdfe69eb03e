"""How a client import job runs: as the user who started it, batch after batch from its
checkpoint, committing its progress (or rolling a dry run back), until done, failed or cancelled."""

import base64
import logging
from contextlib import nullcontext

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..importer import summary
from .client_import import COUNTERS
from .client_import_job import MAX_RESTARTS, _Cancelled

_logger = logging.getLogger(__name__)


class ClientImportJob(models.Model):
    # the job is split by concern (record and actions, running), files under 400 lines
    _inherit = "client.import.job"  # pylint: disable=consider-merging-classes-inherited

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
