"""Background imports: run by the scheduled action batch by batch, committed with their
checkpoint, resumed after a killed worker, cancelled and retried by their owner, visible to
their owner and the administrators of their companies only (the import's own guarantees:
test_import_guarantees.py)."""

import base64
from unittest.mock import patch

import psycopg2.errors

from odoo.addons.client_management.importer.run import Importer
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .import_files import read_xlsx, xlsx
from .test_import import ImportCase


class _Killed(BaseException):
    """The worker killed by its time limit: no Python handler runs, the transaction is lost."""


def clients_rows(count, start=0, prefix="Job client"):
    return [["Name", "E-mail"]] + [[f"{prefix} {i}", f"job.client{i}@example.com"] for i in range(start, count)]


class JobCase(ImportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Job = cls.env["client.import.job"]
        cls.cron = cls.env.ref("client_management.ir_cron_client_import_job")
        cls.other_user = new_test_user(
            cls.env, login="cm_job_other", name="Otto Other", groups="client_management.group_client_user"
        )

    def enqueue(self, rows, user=None, filename="big.xlsx", companies=None, **options):
        options = {"default_country": "LV", "batch_size": 2, **options}
        Job = self.Job.with_user(user or self.client_user)
        if companies:
            Job = Job.with_context(allowed_company_ids=companies.ids)
        return Job._enqueue(xlsx(rows), filename, None, options)

    def run_cron(self, budget=None):
        """Run the scheduled action once, as a cron worker does (``ir.cron._process_job``: its
        own cursors, whose commits are kept and whose uncommitted work is lost, also when the
        worker is killed). With ``budget=0`` its time is out after the first commit, as after
        10 s of work. Returns whether the worker was killed."""
        self.env.flush_all()
        job = {**self.cron.read(load=None)[0], "done": 0, "remaining": 0, "timed_out_counter": 0}
        patches = []
        if budget is not None:
            patches = [
                patch("odoo.addons.base.models.ir_cron.MIN_TIME_PER_JOB", budget),
                patch("odoo.addons.base.models.ir_cron.MIN_RUNS_PER_JOB", 1),
            ]
        for p in patches:
            p.start()
        killed = False
        try:
            with self.enter_registry_test_mode(), self.registry.cursor() as cr:
                try:
                    self.registry["ir.cron"]._process_job(cr, job)
                except _Killed:
                    # the job's cursor lost its uncommitted work; the test cursors share one
                    # connection: the scheduler's cursor must not roll back the job's commits
                    killed = True
        finally:
            for p in patches:
                p.stop()
        self.env.invalidate_all()
        # (not raised: ``assertRaises`` would roll back what the killed worker committed)
        return killed

    def kill_at_commit(self, number):
        """Kill the worker right before the ``number``-th commit of a batch (its clients and
        its checkpoint are written, not committed)."""
        Job = type(self.env["client.import.job"])
        original = Job._commit_progress
        calls = []

        def commit_progress(job, commit, processed=0):
            if processed:
                calls.append(processed)
                if len(calls) == number:
                    # what the worker did since its last commit is lost with it
                    job.env.cr.rollback()
                    raise _Killed()
            return original(job, commit, processed=processed)

        return patch.object(Job, "_commit_progress", commit_progress)

    def names(self, prefix="Job client"):
        return self.Partner.search([("name", "=like", f"{prefix} %")]).mapped("name")

    def cron_progress(self):
        return self.env["ir.cron.progress"].search([("cron_id", "=", self.cron.id)], order="id")


@tagged("post_install", "-at_install")
class TestImportJobRuns(JobCase):
    def test_progress_is_committed_per_batch_and_the_cron_comes_back(self):
        job = self.enqueue(clients_rows(5))
        self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)]).unlink()
        self.run_cron(budget=0)
        # the time budget was out after the first batch: it is saved, the rest waits
        self.assertEqual((job.state, job.checkpoint_row, job.rows_done, job.rows_total), ("running", 3, 2, 5))
        self.assertEqual(sorted(self.names()), ["Job client 0", "Job client 1"])
        self.assertEqual(job.progress, 40.0)
        progress = self.cron_progress()[-1]
        self.assertEqual((progress.done, progress.remaining), (2, 3), "rows done and left, told to the cron")
        self.assertTrue(
            self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)]), "rows are left: the cron runs again"
        )
        self.run_cron(budget=0)
        self.assertEqual((job.checkpoint_row, self.cron_progress()[-1].done), (5, 2))
        self.run_cron(budget=0)
        self.assertEqual((job.state, job.created, job.progress), ("done", 5, 100.0))
        self.assertEqual(sorted(self.names()), [f"Job client {i}" for i in range(5)])
        self.assertEqual(self.cron_progress()[-1].remaining, 0, "nothing left: the cron goes back to its interval")

    def test_one_cron_run_commits_every_batch_with_its_checkpoint(self):
        job = self.enqueue(clients_rows(7))
        Cron = type(self.env["ir.cron"])
        original = Cron._commit_progress
        commits = []

        def commit_progress(cron, processed=0, **kwargs):
            if processed:
                # what this commit makes durable: the checkpoint and the clients of the batch
                cron.env.flush_all()
                cron.env.cr.execute("SELECT checkpoint_row FROM client_import_job WHERE id = %s", [job.id])
                checkpoint = cron.env.cr.fetchone()[0]
                cron.env.cr.execute("SELECT count(*) FROM res_partner WHERE name LIKE 'Job client %%'")
                commits.append((processed, kwargs.get("remaining"), checkpoint, cron.env.cr.fetchone()[0]))
            return original(cron, processed, **kwargs)

        with patch.object(Cron, "_commit_progress", commit_progress):
            self.run_cron()
        self.assertEqual((job.state, job.created), ("done", 7))
        self.assertEqual(commits, [(2, 5, 3, 2), (2, 3, 5, 4), (2, 1, 7, 6), (1, 1, 8, 7)])
        self.assertEqual(self.cron_progress().mapped("done"), [7])
        self.assertEqual(self.cron_progress().mapped("remaining"), [0])

    def test_killed_worker_resumes_after_the_last_saved_batch(self):
        manager = self.client_manager
        rows = [["Name", "E-mail", "Birthdate", "Manager"]]
        for i in range(9):
            rows.append([f"Job client {i}", f"job.client{i}@example.com", "bad date" if i == 1 else "", manager.login])
        job = self.enqueue(rows)
        before = self.env["mail.message"].search([], order="id desc", limit=1).id
        with self.kill_at_commit(3):
            self.assertTrue(self.run_cron())
        # batches 1 and 2 were committed with their checkpoint; batch 3 was lost with the worker
        self.assertEqual((job.state, job.checkpoint_row, job.created, job.error_count), ("running", 5, 3, 1))
        self.assertEqual(sorted(self.names()), ["Job client 0", "Job client 2", "Job client 3"])
        self.assertFalse(self.partner("Job client 4"))
        self.run_cron()
        self.assertEqual(job.state, "done")
        names = self.names()
        self.assertEqual(sorted(names), sorted(f"Job client {i}" for i in range(9) if i != 1))
        self.assertEqual(len(names), len(set(names)), "no row imported twice")
        self.assertEqual((job.created, job.updated, job.skipped, job.error_count), (8, 0, 1, 1))
        self.assertEqual([(e["row"], e["column"]) for e in job.errors], [(3, "Birthdate")])
        rows_to_fix, _sheet = read_xlsx(base64.b64decode(job.with_context(bin_size=False).error_file))
        self.assertEqual([row[0] for row in rows_to_fix[1:]], ["Job client 1"], "the error of the first run too")
        # one message to the manager for the clients of both runs
        message = self.env["mail.message"].search([("id", ">", before), ("partner_ids", "in", manager.partner_id.ids)])
        self.assertEqual(len(message), 1)
        self.assertIn("8 clients were assigned to you", message.body)

    def test_job_killed_three_times_without_progress_fails(self):
        job = self.enqueue(clients_rows(3))
        for _attempt in range(3):
            with self.kill_at_commit(1):
                self.assertTrue(self.run_cron())
            self.assertEqual(job.state, "running")
        self.run_cron()
        self.assertEqual(job.state, "failed")
        self.assertIn("stopped 3 times", job.message)
        self.assertFalse(self.names())

    def test_failed_job_is_retried_from_its_checkpoint(self):
        job = self.enqueue(clients_rows(6))
        original = Importer._process_batch
        calls = []

        def failing(importer, batch):
            calls.append(batch)
            if len(calls) == 2:
                raise ValueError("disk full")
            return original(importer, batch)

        with patch.object(Importer, "_process_batch", failing):
            self.run_cron()
        self.assertEqual((job.state, job.checkpoint_row, job.created), ("failed", 3, 2))
        self.assertIn("disk full", job.message)
        job.with_user(self.client_user).action_retry()
        self.assertEqual(job.state, "pending")
        self.run_cron()
        self.assertEqual((job.state, job.created), ("done", 6))
        self.assertEqual(sorted(self.names()), [f"Job client {i}" for i in range(6)])

    def test_owner_cancels_a_running_job_then_retries_it(self):
        job = self.enqueue(clients_rows(8))
        original = Importer._process_batch
        calls = []

        def cancel_during_second_batch(importer, batch):
            calls.append(batch)
            if len(calls) == 2:
                # the owner cancels while the second batch is imported
                importer.env["client.import.job"].browse(job.id).action_cancel()
            return original(importer, batch)

        with patch.object(Importer, "_process_batch", cancel_during_second_batch):
            self.run_cron()
        # the running import stopped after the batch in progress
        self.assertEqual((job.state, job.checkpoint_row), ("cancelled", 5))
        self.assertEqual(len(self.names()), 4)
        self.run_cron()
        self.assertEqual((job.state, len(self.names())), ("cancelled", 4), "a cancelled import does not run")
        with self.assertRaises(AccessError):
            job.with_user(self.other_user).action_retry()
        job.with_user(self.client_user).action_retry()
        self.run_cron()
        self.assertEqual((job.state, job.created), ("done", 8))
        self.assertEqual(sorted(self.names()), [f"Job client {i}" for i in range(8)])

    def test_cancel_committed_during_a_batch_drops_the_batch_and_stays_cancelled(self):
        job = self.enqueue(clients_rows(6))
        original = Importer._process_batch
        calls = []

        def cancel_elsewhere(importer, batch):
            calls.append(batch)
            if len(calls) == 2:
                # the owner's cancel, committed by their own transaction while the batch runs
                cr = importer.env.cr
                cr.execute("UPDATE client_import_job SET state = 'cancelled' WHERE id = %s", [job.id])
                cr.commit()  # pylint: disable=invalid-commit
                original(importer, batch)
                # PostgreSQL then refuses the batch's update of the job
                raise psycopg2.errors.SerializationFailure("could not serialize access due to concurrent update")
            return original(importer, batch)

        with patch.object(Importer, "_process_batch", cancel_elsewhere):
            self.run_cron()
        self.assertEqual((job.state, job.checkpoint_row, job.created), ("cancelled", 3, 2))
        self.assertEqual(len(self.names()), 2, "the clients of the refused batch are not saved")
        self.assertFalse(job.message)
        job.with_user(self.client_user).action_retry()
        self.run_cron()
        self.assertEqual((job.state, job.created), ("done", 6))
        self.assertEqual(sorted(self.names()), [f"Job client {i}" for i in range(6)])

    def test_administrator_cancels_a_waiting_job(self):
        job = self.enqueue(clients_rows(2))
        job.with_user(self.client_manager).action_cancel()
        self.run_cron()
        self.assertEqual(job.state, "cancelled")
        self.assertFalse(self.names())

    def test_background_dry_run_writes_nothing_and_consumes_no_code(self):
        sequence = self.env.ref("client_management.seq_client_code")
        next_code = sequence.number_next_actual
        rows = [["Name", "E-mail", "Company"]] + [
            [f"Job client {i}", f"job.client{i}@example.com", "Job Dry Company"] for i in range(5)
        ]
        job = self.enqueue(rows, dry_run=True)
        self.assertTrue(job.dry_run)
        self.run_cron()
        self.assertEqual((job.state, job.created, job.progress), ("done", 5, 100.0))
        self.assertFalse(self.names())
        self.assertFalse(self.partner("Job Dry Company"))
        sequence.invalidate_recordset()
        self.assertEqual(sequence.number_next_actual, next_code, "no client code drawn")


@tagged("post_install", "-at_install")
class TestImportJobSecurity(JobCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Job Company B"})
        cls.manager_b = new_test_user(
            cls.env,
            login="cm_job_manager_b",
            groups="client_management.group_client_manager",
            company_id=cls.company_b.id,
            company_ids=[cls.company_b.id],
        )

    def test_rpc_cannot_start_a_job_for_another_user_or_forge_its_state(self):
        job = self.Job.with_user(self.client_user).create(
            {
                "name": "forged.xlsx",
                "file": base64.b64encode(xlsx(clients_rows(1))),
                "user_id": self.client_manager.id,
                "company_id": self.company_b.id,
                "state": "done",
                "created": 99,
                "checkpoint_row": 1000,
            }
        )
        self.assertEqual((job.user_id, job.company_id), (self.client_user, self.company_a))
        self.assertEqual((job.state, job.created, job.checkpoint_row), ("pending", 0, 0))
        for vals in ({"user_id": self.client_manager.id}, {"state": "done"}, {"checkpoint_row": 5}, {"options": {}}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                job.with_user(self.client_manager).write(vals)
        self.assertEqual((job.user_id, job.state), (self.client_user, "pending"))
        self.run_cron()
        self.assertEqual(self.partner("Job client 0").create_uid, self.client_user, "run as the user who started it")

    def test_job_runs_in_the_companies_active_when_it_was_started(self):
        self.client_user.write({"company_ids": [(4, self.company_b.id)]})
        client_b = self.Partner.create(
            {"name": "Job Client B", "email": "job.client0@example.com", "company_id": self.company_b.id}
        )
        # started in company A only: company B's client is not matched
        self.enqueue(clients_rows(1), companies=self.company_a)
        self.run_cron()
        self.assertEqual(client_b.name, "Job Client B")
        self.assertTrue(self.partner("Job client 0"))
        # started in company B (both companies active): it is
        Job = self.Job.with_user(self.client_user).with_context(
            allowed_company_ids=[self.company_b.id, self.company_a.id]
        )
        job = Job._enqueue(
            xlsx([["Name", "E-mail", "City"], ["Job Client B", "job.client0@example.com", "Ogre"]]),
            "b.xlsx",
            None,
            {"overwrite": True},
        )
        self.assertEqual(job.company_ids, self.company_a | self.company_b)
        self.run_cron()
        self.assertEqual((job.state, job.updated, client_b.city), ("done", 1, "Ogre"))

    def test_users_see_their_own_jobs_administrators_those_of_their_companies(self):
        job = self.enqueue(clients_rows(2))
        self.run_cron()
        self.assertEqual(job.state, "done")
        self.assertFalse(self.Job.with_user(self.other_user).search([("id", "=", job.id)]))
        with self.assertRaises(AccessError):
            job.with_user(self.other_user).read(["name", "created"])
        with self.assertRaises(AccessError):
            job.with_user(self.other_user).action_cancel()
        self.assertEqual(self.Job.with_user(self.client_user).search([("id", "=", job.id)]), job)
        self.assertEqual(self.Job.with_user(self.client_manager).search([("id", "=", job.id)]), job)
        # an administrator of company B only sees no job of company A, nor its errors
        self.assertFalse(self.Job.with_user(self.manager_b).search([("id", "=", job.id)]))
        with self.assertRaises(AccessError):
            job.with_user(self.manager_b).read(["name"])
        job_b = self.enqueue(clients_rows(1, prefix="Job B client"), user=self.manager_b)
        self.assertEqual(job_b.company_id, self.company_b)
        self.assertEqual(self.Job.with_user(self.manager_b).search([("id", "in", (job.id, job_b.id))]), job_b)

    def test_errors_of_a_job_are_as_private_as_the_job(self):
        job = self.enqueue([["Name", "Birthdate"], ["Job client 0", "bad"]])
        self.run_cron()
        Error = self.env["client.import.job.error"]
        self.assertEqual(Error.with_user(self.client_user).search([("job_id", "=", job.id)]).row, 2)
        self.assertFalse(Error.with_user(self.other_user).search([("job_id", "=", job.id)]))
        self.assertFalse(Error.with_user(self.manager_b).search([("job_id", "=", job.id)]))

    def test_wizard_shows_only_its_users_job(self):
        other_job = self.enqueue(clients_rows(1), user=self.other_user)
        Wizard = self.env["client.import.wizard"].with_user(self.client_user)
        with self.assertRaises(AccessError):
            Wizard.create({"job_id": other_job.id, "state": "background"})
        wizard = Wizard.create({"state": "upload"})
        with self.assertRaises(AccessError):
            wizard.write({"job_id": other_job.id})
        with self.assertRaises(AccessError):
            Wizard.with_user(self.client_manager).create({"job_id": other_job.id})
        # a wizard pointing to another user's job (written as superuser) does not show it
        wizard.sudo().job_id = other_job
        wizard.invalidate_recordset()
        with self.assertRaises(AccessError):
            wizard.read(["job_state", "job_progress"])
        with self.assertRaises(AccessError):
            wizard.action_refresh()
        own_job = self.enqueue(clients_rows(1))
        wizard.write({"job_id": own_job.id})
        self.assertEqual(wizard.job_state, "pending")
