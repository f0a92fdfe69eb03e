import base64
import datetime
from unittest.mock import patch

from odoo.addons.client_management.importer import headers
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .import_files import csv_bytes, read_xlsx, xlsx
from .test_import import ImportCase, e164s, emails

ROWS = [
    ["Vārds", "Tālrunis", "E-pasts", "Dzimšanas datums", "Birkas", "Mīļākā krāsa"],
    ["Wizard Anna", "20004001; 20004002", "wanna@example.lv; wanna2@example.lv", "01.02.1990", "VIP; Wizard", "zila"],
    ["Wizard Bad", "20004003", "not-an-email", "", "", ""],
    ["Wizard Juris", "", "wjuris@example.lv", "31.13.1990", "", ""],
    ["Wizard Zane", "+371 20004004", "", "", "Wizard", ""],
]


@tagged("post_install", "-at_install")
class TestImportWizard(ImportCase):
    def new_wizard(self, content=None, filename="old base.xlsx", user=None):
        Wizard = self.env["client.import.wizard"].with_user(user or self.client_user)
        wizard = Wizard.create({"file": base64.b64encode(content or xlsx(ROWS)), "filename": filename})
        wizard.default_country_id = self.env.ref("base.lv")
        return wizard

    def test_upload_shows_preview_and_guessed_mapping(self):
        wizard = self.new_wizard()
        action = wizard.action_load()
        self.assertEqual(action["res_id"], wizard.id)
        self.assertEqual(action["name"], "Import clients", "the next step keeps the dialog's title")
        self.assertEqual(wizard.state, "map")
        self.assertEqual(
            [(line.header, line.target) for line in wizard.line_ids],
            [
                ("Vārds", "name"),
                ("Tālrunis", "phone"),
                ("E-pasts", "email"),
                ("Dzimšanas datums", "birthdate"),
                ("Birkas", "category"),
                ("Mīļākā krāsa", False),
            ],
        )
        self.assertIn("Wizard Anna", wizard.preview_html)
        self.assertIn("20004001", wizard.line_ids[1].sample)
        self.assertIn("Excel", wizard.file_info)

    def test_dry_run_then_import(self):
        wizard = self.new_wizard()
        wizard.action_load()
        before = self.Partner.search_count([])
        wizard.action_dry_run()
        self.assertEqual(wizard.state, "checked")
        self.assertEqual((wizard.created, wizard.error_count), (2, 2))
        self.assertEqual(self.Partner.search_count([]), before, "the dry run wrote nothing")
        self.assertIn("not a valid e-mail", wizard.errors_html)
        wizard.action_import()
        self.assertEqual(wizard.state, "done")
        self.assertEqual((wizard.created, wizard.updated, wizard.error_count), (2, 0, 2))
        anna = self.partner("Wizard Anna")
        self.assertEqual(wizard.partner_ids, anna | self.partner("Wizard Zane"))
        self.assertEqual(e164s(anna)[0], "+37120004001")
        self.assertEqual(emails(anna)[0], "wanna@example.lv")
        self.assertEqual(anna.birthdate, datetime.date(1990, 2, 1))
        self.assertEqual(
            self.partner("Wizard Zane").category_id, anna.category_id.filtered(lambda t: t.name == "Wizard")
        )
        self.assertEqual(wizard.action_open_clients()["domain"], [("id", "in", wizard.partner_ids.ids)])
        # the errors workbook, fixed and re-imported through a second wizard
        action = wizard.action_download_errors()
        self.assertIn(f"/web/content/client.import.wizard/{wizard.id}/error_file/", action["url"])
        rows, _sheet = read_xlsx(base64.b64decode(wizard.error_file))
        self.assertEqual(rows[0][-1], "Import errors")
        self.assertEqual([r[0] for r in rows[1:]], ["Wizard Bad", "Wizard Juris"])
        rows[1][2] = "wbad@example.lv"
        rows[2][3] = "31.12.1990"
        again = self.new_wizard(xlsx(rows), "rows to fix.xlsx")
        again.action_load()
        self.assertFalse(again.line_ids.filtered(lambda line: line.header == "Import errors").target)
        again.action_import()
        self.assertEqual((again.created, again.error_count), (2, 0))

    def test_mapping_changed_by_the_user_and_options(self):
        wizard = self.new_wizard()
        wizard.action_load()
        with Form(wizard) as form:
            form.mode = "update"
            form.match_phone = False
            with form.line_ids.edit(5) as line:
                line.target = "comment"
        wizard.action_import()
        self.assertEqual(wizard.created, 0, "update only: nothing is created")
        existing = self.env["res.partner"].create({"name": "WIZARD ZANE", "phone": "+37120004004"})
        wizard.match_phone = True
        wizard.overwrite = True
        wizard.action_import()
        self.assertEqual(wizard.updated, 1)
        self.assertEqual(existing.name, "Wizard Zane")

    def test_same_file_twice_through_the_wizard(self):
        wizard = self.new_wizard()
        wizard.action_load()
        wizard.action_import()
        again = self.new_wizard()
        again.action_load()
        again.action_import()
        self.assertEqual((again.created, again.updated, again.unchanged), (0, 0, 2))

    def test_csv_through_the_wizard(self):
        content = csv_bytes([["ФИО", "Телефон", "Город"], ["Пётр Иванов", "+7 912 000 11 22", "Казань"]], ";", "cp1251")
        wizard = self.new_wizard(content, "клиенты.csv")
        wizard.action_load()
        self.assertIn("cp1251", wizard.file_info)
        wizard.action_import()
        self.assertEqual(self.partner("Пётр Иванов").city, "Казань")

    def test_refused_file_message(self):
        wizard = self.new_wizard(b"%PDF-1.7 not a sheet", "clients.xlsx")
        with self.assertRaisesRegex(UserError, "not a valid Excel"):
            wizard.action_load()

    def test_template_download_has_recognised_headers_and_example(self):
        wizard = self.new_wizard()
        action = wizard.action_download_template()
        self.assertEqual(action["type"], "ir.actions.act_url")
        rows, _sheet = read_xlsx(base64.b64decode(wizard.template_file))
        self.assertEqual(len(rows), 2)
        self.assertEqual(set(headers.guess_mapping(rows[0]).values()), set(headers.TARGETS))
        # the example row itself imports
        result = self.Import.import_file(base64.b64decode(wizard.template_file), "template.xlsx")
        self.assertEqual((result["created"], result["errors"]), (1, []))

    def test_menu_and_access(self):
        menu = self.env.ref("client_management.menu_client_import")
        self.assertEqual(menu.action, self.env.ref("client_management.action_client_import_wizard"))
        self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(self.client_user)._visible_menu_ids())
        with self.assertRaises(AccessError):
            self.env["client.import.wizard"].with_user(self.plain_user).create({"filename": "x.csv"})


@tagged("post_install", "-at_install")
class TestImportBackground(ImportCase):
    def test_big_file_runs_in_background_with_progress_and_inbox_message(self):
        self.env["ir.config_parameter"].sudo().set_param("client_management.import_background_size", "100")
        self.client_user.notification_type = "inbox"
        rows = [["Name", "E-mail", "Birthdate"]] + [
            [f"Background {i}", f"bg{i}@example.com", "01.01.1990" if i != 7 else "99.99.1990"] for i in range(25)
        ]
        wizard = (
            self.env["client.import.wizard"]
            .with_user(self.client_user)
            .create({"file": base64.b64encode(xlsx(rows)), "filename": "big.xlsx"})
        )
        wizard.action_load()
        wizard.action_import()
        self.assertEqual(wizard.state, "background")
        job = wizard.job_id
        self.assertEqual((job.state, job.user_id), ("pending", self.client_user))
        self.assertFalse(self.partner("Background 1"), "nothing is imported before the job runs")
        seen = []
        original_write = type(job).write

        def spy(records, vals):
            if "progress" in vals:
                seen.append(vals["progress"])
            return original_write(records, vals)

        job.sudo().options = dict(job.options, batch_size=10)
        with patch.object(type(job), "write", spy):
            job._run(commit=False)
        self.assertEqual(job.state, "done")
        self.assertEqual([p for p in seen if 0 < p < 100], [40.0, 80.0], "progress after every batch of 10 rows")
        self.assertEqual(job.progress, 100.0)
        self.assertEqual((job.rows_total, job.created, job.error_count), (25, 24, 1))
        self.assertTrue(job.error_file)
        self.assertIn("/error_file/big%20-%20rows%20to%20fix.xlsx", job.action_download_errors()["url"])
        self.assertEqual(wizard.job_progress, 100.0)
        self.assertTrue(self.partner("Background 24"))
        notification = self.env["mail.notification"].search(
            [("res_partner_id", "=", self.client_user.partner_id.id), ("mail_message_id.model", "=", job._name)]
        )
        self.assertEqual(notification.notification_type, "inbox")
        self.assertIn("24 created", notification.mail_message_id.body)
        # progress was pushed to the user through the bus
        self.flush_tracking()
        pushed = self.env["bus.bus"].sudo().search([("message", "like", "client_management/import_progress")])
        self.assertGreaterEqual(len(pushed), 3)
        # the user sees the own job, not the jobs of others
        self.assertEqual(self.env["client.import.job"].with_user(self.client_user).search([]), job)

    def test_refused_big_file_fails_the_job_and_tells_the_user(self):
        job = (
            self.env["client.import.job"]
            .with_user(self.client_user)
            ._enqueue(b"PK\x03\x04broken", "big.xlsx", None, {})
        )
        job._run(commit=False)
        self.assertEqual(job.state, "failed")
        self.assertIn("not a valid Excel", job.message)
        message = self.env["mail.message"].search(
            [("model", "=", job._name), ("res_id", "=", job.id), ("message_type", "=", "user_notification")]
        )
        self.assertIn("failed", message.body)
        self.assertEqual(message.partner_ids, self.client_user.partner_id)

    def test_scheduled_action_runs_pending_jobs(self):
        cron = self.env.ref("client_management.ir_cron_client_import_job")
        self.assertEqual(cron.model_id.model, "client.import.job")
        Job = self.env["client.import.job"].with_user(self.client_user)
        job = Job._enqueue(xlsx([["Name"], ["From Cron One"], ["From Cron Two"]]), "cron.xlsx", None, {})
        self.assertTrue(
            self.env["ir.cron.trigger"].sudo().search([("cron_id", "=", cron.id)]), "the job wakes the cron up"
        )
        with patch.object(self.env.cr, "commit", lambda: None):
            self.env["client.import.job"]._cron_process()
        self.assertEqual((job.state, job.created), ("done", 2))
        self.assertEqual(self.partner("From Cron One").user_id, self.client_user, "imported as the user who started it")

    def test_big_file_dry_run_in_background_then_wizard_shows_the_counts(self):
        self.env["ir.config_parameter"].sudo().set_param("client_management.import_background_size", "100")
        rows = [["Name", "E-mail", "Birthdate"]] + [
            [f"Dry {i}", f"dry{i}@example.com", "01.01.1990" if i != 3 else "bad"] for i in range(12)
        ]
        wizard = (
            self.env["client.import.wizard"]
            .with_user(self.client_user)
            .create({"file": base64.b64encode(xlsx(rows)), "filename": "big dry.xlsx"})
        )
        wizard.action_load()
        wizard.action_dry_run()
        self.assertEqual(wizard.state, "background")
        job = wizard.job_id
        self.assertTrue(job.dry_run)
        job.sudo().options = dict(job.options, batch_size=5)
        # as the scheduled action runs it (commits allowed): progress through a separate cursor
        self.registry_enter_test_mode()
        Users = type(self.env["res.users"])
        original = Users._bus_send
        pushed = []

        def spy(users, notification_type, message, **kwargs):
            if notification_type == "client_management/import_progress":
                pushed.append((users, message["progress"]))
            return original(users, notification_type, message, **kwargs)

        with patch.object(self.env.cr, "commit", lambda: None), patch.object(Users, "_bus_send", spy):
            job._run(commit=True)
        self.assertEqual(pushed, [(self.client_user, 41.7), (self.client_user, 83.3), (self.client_user, 100.0)])
        self.assertEqual((job.state, job.created, job.error_count), ("done", 11, 1))
        self.assertEqual(job.progress, 100.0)
        self.assertFalse(self.partner("Dry 1"), "a dry run writes nothing")
        wizard.action_refresh()
        self.assertEqual((wizard.state, wizard.created, wizard.error_count), ("checked", 11, 1))
        self.assertIn("not a date", wizard.errors_html)
        self.assertTrue(wizard.error_file)

    def test_finished_jobs_are_cleaned_after_30_days(self):
        Job = self.env["client.import.job"].sudo()
        old = Job.create({"name": "old.xlsx", "state": "done"})
        recent = Job.create({"name": "recent.xlsx", "state": "done"})
        running = Job.create({"name": "running.xlsx", "state": "running"})
        self.env.cr.execute(
            "UPDATE client_import_job SET create_date = now() - interval '40 days' WHERE id IN %s",
            [(old.id, running.id)],
        )
        Job.invalidate_model(["create_date"])
        Job._gc_old_jobs()
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists() and running.exists())
