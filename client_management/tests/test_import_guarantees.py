"""The import's own guarantees, in the foreground as in the background: dry runs consume no
client code, a row matches only clients the user may read, opt-outs of the file reach the
blacklists and are never lifted, one assignment message per manager."""

from odoo.tests import new_test_user, tagged

from .import_files import xlsx
from .test_import import ImportCase


@tagged("post_install", "-at_install")
class TestImportGuarantees(ImportCase):
    """The import itself, in the foreground as in the background."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sequence = cls.env.ref("client_management.seq_client_code")

    def next_code(self):
        self.sequence.invalidate_recordset()
        return self.sequence.number_next_actual

    def test_dry_run_consumes_no_client_code(self):
        before = self.next_code()
        rows = [["Name", "Company"], ["Dry Code One", "Dry Code Company"], ["Dry Code Two", ""]]
        result = self.run_import(rows, dry_run=True)
        self.assertEqual(result["created"], 2)
        self.assertEqual(self.next_code(), before)
        # the real import does draw codes: for the clients and the company of the "Company" column
        self.run_import(rows)
        self.assertEqual(self.next_code(), before + 3)
        company = self.partner("Dry Code Company")
        self.assertTrue(company.is_company)
        self.assertTrue(company.ref, "a company created from the Company column gets a client code")
        self.assertTrue(self.partner("Dry Code One").ref)
        self.assertEqual(self.partner("Dry Code One").parent_id, company)

    def test_row_matches_only_clients_the_user_may_read(self):
        company_b = self.env["res.company"].create({"name": "Import Company B"})
        user_b = new_test_user(
            self.env,
            login="cm_import_b",
            groups="client_management.group_client_user",
            company_id=company_b.id,
            company_ids=[company_b.id],
        )
        client_b = self.Partner.create(
            {
                "name": "B Client",
                "email": "shared@example.com",
                "ref": "B-0001",
                "vat": "LV40003000001",
                "phone": "+371 20 300 001",
                "company_id": company_b.id,
            }
        )
        company_partner_b = self.Partner.create({"name": "B Holding", "is_company": True, "company_id": company_b.id})
        header = ["Name", "E-mail", "Tax number", "Phone", "Company"]
        row = ["A Client", "shared@example.com", "LV40003000001", "+371 20 300 001", "B Holding"]
        result = self.run_import([header, row], mode="create_update")
        self.assertEqual((result["created"], result["updated"], result["errors"]), (1, 0, []))
        self.assertEqual((client_b.name, client_b.parent_id), ("B Client", self.Partner), "B's client untouched")
        new = self.Partner.browse(result["partner_ids"])
        self.assertEqual(new.name, "A Client")
        self.assertNotEqual(new.parent_id, company_partner_b, "a company of A named like B's")
        self.assertTrue(new.with_user(self.client_user).email)
        # the same row imported in company B updates B's client
        result = (
            self.env["client.import"]
            .with_user(user_b)
            .import_file(
                xlsx([header, ["B Client", *row[1:]]]),
                "b.xlsx",
                options={"default_country": "LV", "overwrite": True},
            )
        )
        self.assertEqual((result["created"], result["updated"]), (0, 1))
        self.assertEqual(client_b.parent_id, company_partner_b)

    def phone_listed(self, e164):
        return bool(self.env["phone.blacklist"].search([("number", "=", e164), ("active", "=", True)]))

    def email_listed(self, email):
        return bool(self.env["mail.blacklist"].search([("email", "=", email), ("active", "=", True)]))

    def test_opt_outs_of_the_file_reach_the_blacklists(self):
        mapping = {"Name": "name", "Phone": "phone", "E-mail": "email", "SMS": "sms", "Newsletter": "email_consent"}
        rows = [
            ["Name", "Phone", "E-mail", "SMS", "Newsletter"],
            ["Opt Out", "+371 20 400 001", "optout@example.com", "No", "No"],
            ["Opt In", "+371 20 400 002", "optin@example.com", "Yes", "Yes"],
        ]
        self.run_import(rows, mapping=mapping)
        opt_out, opt_in = self.partner("Opt Out"), self.partner("Opt In")
        self.assertEqual((opt_out.phone_ids.sms, opt_out.email_ids.consent), (False, False))
        self.assertTrue(self.phone_listed("+37120400001"), "the SMS opt-out is in Odoo's phone blacklist")
        self.assertTrue(self.email_listed("optout@example.com"))
        self.assertEqual((opt_in.phone_ids.sms, opt_in.email_ids.consent), (True, True))
        self.assertFalse(self.phone_listed("+37120400002") or self.email_listed("optin@example.com"))
        # an existing client: "No" unticks its line (and lists the number), "Yes" changes nothing
        self.run_import(
            [["Name", "Phone", "SMS"], ["Opt In", "+371 20 400 002", "No"]],
            mapping={"Name": "name", "Phone": "phone", "SMS": "sms"},
        )
        self.assertFalse(opt_in.phone_ids.sms)
        self.assertTrue(self.phone_listed("+37120400002"))

    def test_the_file_never_lifts_an_opt_out(self):
        self.env["phone.blacklist"]._add(["+37120400003"])
        self.env["mail.blacklist"]._add("listed@example.com")
        existing = self.Partner.create({"name": "Listed Existing", "phone": "+371 20 400 004"})
        existing.phone_ids.sms = False
        self.assertTrue(self.phone_listed("+37120400004"))
        mapping = {"Name": "name", "Phone": "phone", "E-mail": "email", "SMS": "sms", "Newsletter": "email_consent"}
        self.run_import(
            [
                ["Name", "Phone", "E-mail", "SMS", "Newsletter"],
                ["Listed New", "+371 20 400 003", "listed@example.com", "Yes", "Yes"],
                ["Listed Existing", "+371 20 400 004", "", "Yes", ""],
            ],
            mapping=mapping,
        )
        new = self.partner("Listed New")
        self.assertEqual((new.phone_ids.sms, new.email_ids.consent), (False, False))
        self.assertTrue(self.phone_listed("+37120400003") and self.email_listed("listed@example.com"))
        self.assertFalse(existing.phone_ids.sms)
        self.assertTrue(self.phone_listed("+37120400004"))

    def test_manager_gets_one_message_for_the_clients_assigned_by_the_import(self):
        manager = self.client_manager
        existing = self.Partner.create(
            [{"name": f"Assigned Old {i}", "email": f"old{i}@example.com"} for i in range(10)]
        )
        rows = [["Name", "E-mail", "Manager"]]
        rows += [[f"Assigned Old {i}", f"old{i}@example.com", manager.login] for i in range(10)]
        rows += [[f"Assigned New {i}", f"new{i}@example.com", manager.login] for i in range(40)]
        before = self.env["mail.message"].search([], order="id desc", limit=1).id
        result = self.run_import(rows, filename="managers.xlsx", batch_size=20)
        self.assertEqual((result["created"], result["updated"]), (40, 10))
        self.assertEqual(existing.user_id, manager)
        messages = self.env["mail.message"].search([("id", ">", before), ("partner_ids", "in", manager.partner_id.ids)])
        self.assertEqual(len(messages), 1, "one message, not one per client")
        self.assertIn("50 clients were assigned to you by the import of managers.xlsx", messages.body)
        # the importing user is not told about the clients they keep
        self.assertFalse(
            self.env["mail.message"].search(
                [("id", ">", before), ("partner_ids", "in", self.client_user.partner_id.ids)]
            )
        )
