"""Updates that never surprise: a matched client's filled values stay unless "overwrite" is
chosen; numbers, e-mails and tags are added, never removed; the dry run tells, per field, how
many clients would change, and the wizard shows it with what the matching decided."""

import base64

from odoo.tests import tagged

from .import_files import xlsx
from .test_import import ImportCase, e164s, emails


@tagged("post_install", "-at_install")
class TestImportUpdates(ImportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tag_old = cls.env["res.partner.category"].create({"name": "Old tag"})
        cls.first = cls.env["res.partner"].create(
            {
                "name": "First Client",
                "email": "first@client.lv",
                "phone": "+371 26 700 001",
                "city": "Rīga",
                "category_id": [(6, 0, cls.tag_old.ids)],
            }
        )
        cls.second = cls.env["res.partner"].create({"name": "Second Client", "email": "second@client.lv"})
        cls.rows = [
            ["Name", "E-mail", "Phone", "City", "Website", "Tags"],
            ["First Client", "first@client.lv; first.other@client.lv", "+371 26 700 002", "Cēsis", "", "New tag"],
            ["Second Client", "second@client.lv", "", "Ogre", "second.lv", ""],
        ]

    def test_default_fills_empty_fields_and_adds_lines_and_tags(self):
        result = self.run_import(self.rows)
        self.assertEqual((result["created"], result["updated"], result["errors"]), (0, 2, []))
        self.assertEqual(self.first.city, "Rīga", "a filled value stays")
        self.assertEqual(self.second.city, "Ogre", "an empty value is filled")
        self.assertEqual(emails(self.first), ["first@client.lv", "first.other@client.lv"])
        self.assertEqual(e164s(self.first), ["+37126700001", "+37126700002"])
        self.assertEqual(sorted(self.first.category_id.mapped("name")), ["New tag", "Old tag"])
        # a file without the number, e-mail or tag removes nothing
        self.run_import([["Name", "E-mail", "Tags"], ["First Client", "first@client.lv", ""]], overwrite=True)
        self.assertEqual(len(emails(self.first)), 2)
        self.assertEqual(len(e164s(self.first)), 2)
        self.assertEqual(len(self.first.category_id), 2)

    def test_overwrite_replaces_filled_values(self):
        self.run_import(self.rows, overwrite=True)
        self.assertEqual(self.first.city, "Cēsis")
        self.assertIn("+37126700001", e164s(self.first), "overwrite never removes a number")
        self.assertIn(self.tag_old, self.first.category_id, "nor a tag")

    def test_dry_run_counts_per_field_the_clients_that_would_change(self):
        result = self.run_import(self.rows, dry_run=True)
        self.assertEqual(
            result["changes"],
            {"City": 1, "E-mail": 1, "Phone": 1, "Tags": 1, "Website": 1},
        )
        self.assertEqual(self.first.city, "Rīga")
        self.assertFalse(self.second.city, "a dry run writes nothing")
        self.assertEqual(self.run_import(self.rows, dry_run=True, overwrite=True)["changes"]["City"], 2)
        self.run_import(self.rows)
        self.assertEqual(self.run_import(self.rows, dry_run=True)["changes"], {}, "the second time nothing changes")

    def test_wizard_shows_the_changes_and_the_matching_report_after_the_dry_run(self):
        self.env["res.partner"].create({"name": "Office Desk", "email": "desk@client.lv"})
        rows = [*self.rows, ["Third Person", "desk@client.lv", "", "", "", ""]]
        wizard = (
            self.env["client.import.wizard"]
            .with_user(self.client_user)
            .create({"file": base64.b64encode(xlsx(rows)), "filename": "clients.xlsx"})
        )
        wizard.action_load()
        self.assertFalse(wizard.match_name, "matching on the name alone is off by default")
        wizard.action_dry_run()
        self.assertEqual(wizard.state, "checked")
        html = str(wizard.report_html)
        self.assertIn("Changes to existing clients", html)
        self.assertIn("<td>City</td><td>1</td>", html)
        self.assertIn("Shared values", html)
        self.assertIn("desk@client.lv", html)
        self.assertIn("Office Desk", html)
        self.assertNotIn("Matched by name only", html)
        wizard.match_name = True
        wizard.action_import()
        self.assertEqual((wizard.created, wizard.updated), (1, 2))

    def test_background_import_keeps_the_report(self):
        self.env["res.partner"].create({"name": "Office Desk", "email": "desk@client.lv"})
        rows = [*self.rows, ["Third Person", "desk@client.lv", "", "", "", ""]]
        Job = self.env["client.import.job"].with_user(self.client_user)
        for dry_run in (True, False):
            with self.subTest(dry_run=dry_run):
                options = {"default_country": "LV", "dry_run": dry_run, "batch_size": 2}
                job = Job._enqueue(xlsx(rows), "big.xlsx", None, options)
                job._run(commit=False)
                self.assertEqual((job.state, job.updated), ("done", 2))
                self.assertEqual(job.report["changes"], {"City": 1, "E-mail": 1, "Phone": 1, "Tags": 1, "Website": 1})
                self.assertEqual([(e["row"], e["value"]) for e in job.report["shared"]], [(4, "desk@client.lv")])
                wizard = self.env["client.import.wizard"].with_user(self.client_user).create({"job_id": job.id})
                wizard.action_refresh()
                self.assertIn("Shared values", str(wizard.report_html))
                self.assertIn("<td>Website</td><td>1</td>", str(wizard.report_html))
        self.assertEqual(self.second.city, "Ogre", "the real import wrote")
