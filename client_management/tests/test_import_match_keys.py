"""Matching keys of the import: e-mail, number, VAT, code; what a match updates and never erases."""

from odoo.tests import tagged

from .test_import import HEADER, ImportCase, e164s, emails


@tagged("post_install", "-at_install")
class TestImportMatching(ImportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.existing = cls.env["res.partner"].create(
            {
                "name": "Existing Client",
                "email": "existing@example.com",
                "phone": "+371 29 111 111",
                "vat": "LV12345678901",
                "ref": "OLD-1",
                "city": "Rīga",
                "country_id": cls.env.ref("base.lv").id,
            }
        )

    def assert_updates_existing(self, rows, **options):
        before = self.Partner.search_count([])
        result = self.run_import(rows, **options)
        self.assertEqual(result["created"], 0)
        self.assertEqual(self.Partner.search_count([]), before)
        self.assertEqual(result["partner_ids"], self.existing.ids)
        return result

    def test_match_by_email_case_insensitive(self):
        result = self.assert_updates_existing(
            [["Name", "E-mail", "City"], ["Existing Client", "EXISTING@example.com", "Cēsis"]], overwrite=True
        )
        self.assertEqual(result["updated"], 1)
        self.assertEqual((self.existing.name, self.existing.city), ("Existing Client", "Cēsis"))

    def test_match_by_e164_number_written_differently(self):
        self.assert_updates_existing([["Name", "Phone", "Supplier"], ["Existing Client", "29111111", "yes"]])
        self.assertTrue(self.existing.is_supplier)

    def test_match_by_vat_and_by_code(self):
        self.assert_updates_existing([["Name", "VAT", "Supplier"], ["Existing Client", "lv 12345678901", "1"]])
        self.assertTrue(self.existing.is_supplier)
        self.assert_updates_existing([["Code", "Conflict"], ["OLD-1", "Да"]], mode="update")
        self.assertTrue(self.existing.is_conflict)

    def test_match_on_limits_the_keys(self):
        result = self.run_import([["Name", "E-mail"], ["Other Person", "existing@example.com"]], match_on=["vat"])
        self.assertEqual(result["created"], 1)
        self.assertEqual(self.existing.name, "Existing Client")

    def test_empty_cells_never_erase(self):
        self.assert_updates_existing(
            [
                ["Name", "E-mail", "City", "Tax number", "Phone", "Birthdate"],
                ["", "existing@example.com", "", "", "", ""],
            ]
        )
        self.assertEqual(self.existing.name, "Existing Client")
        self.assertEqual(self.existing.city, "Rīga")
        self.assertEqual(self.existing.vat, "LV12345678901")
        self.assertEqual(self.existing.email, "existing@example.com")
        self.assertTrue(self.existing.phone)

    def test_new_phone_and_email_added_never_removed(self):
        self.assert_updates_existing(
            [["E-mail", "Phone"], ["existing@example.com; second@example.com", "+37122222222"]], mode="update"
        )
        self.assertIn("existing@example.com", emails(self.existing))
        self.assertEqual(emails(self.existing)[0], "existing@example.com", "the primary stays the primary")
        self.assertIn("+37129111111", e164s(self.existing))

    def test_match_with_earlier_row_of_the_same_file(self):
        result = self.run_import(
            [
                ["Name", "E-mail", "Phone", "Tags"],
                ["Twin", "twin@example.com", "", "A"],
                ["Twin Again", "", "+37126000000", "B"],
                ["", "TWIN@example.com", "+37126000000", ""],
            ],
        )
        twin = self.Partner.search([("name", "in", ["Twin", "Twin Again"])])
        self.assertEqual(len(twin), 2, "rows 2 and 3 share no key")
        result = self.run_import(
            [
                ["Name", "E-mail", "Tags"],
                ["Triplet", "triplet@example.com", "A"],
                ["Triplet", "triplet@example.com", "B"],
            ],
            batch_size=1,
        )
        triplet = self.partner("Triplet")
        self.assertEqual(len(triplet), 1)
        self.assertEqual((result["created"], result["updated"]), (1, 1))
        self.assertEqual(sorted(triplet.category_id.mapped("name")), ["A", "B"])

    def test_same_file_twice_creates_nothing(self):
        rows = [
            HEADER,
            ["Twice One", "20001001", "one@twice.lv", "01.01.1980", "X", "Twice Co", "No", "Web"],
            ["Twice Two", "20001002", "two@twice.lv", "", "", "", "", ""],
            ["Twice Three", "", "", "", "", "", "", ""],
        ]
        first = self.run_import(rows)
        self.assertEqual(first["created"], 3)
        before = self.Partner.search_count([])
        # the last row has nothing but a name: recognised when matching on the name alone is asked
        second = self.run_import(rows, match_name=True)
        self.assertEqual((second["created"], second["updated"], second["errors"]), (0, 0, []))
        self.assertEqual(self.Partner.search_count([]), before)
        self.assertEqual(second["unchanged"], 3, "every row is recognised (the last one by its name)")

    def test_create_only_and_update_only_modes(self):
        rows = [["Name", "E-mail"], ["Existing Client", "existing@example.com"], ["Fresh One", "fresh@example.com"]]
        result = self.run_import(rows, mode="update")
        self.assertEqual((result["created"], result["skipped"], result["unchanged"]), (0, 1, 1))
        self.assertFalse(self.partner("Fresh One"))
        result = self.run_import(
            [["Name", "E-mail"], ["EXISTING client", "existing@example.com"], ["Fresh One", "fresh@example.com"]],
            mode="create",
        )
        self.assertEqual((result["created"], result["updated"], result["skipped"]), (1, 0, 1))
        self.assertEqual(self.existing.name, "Existing Client")
