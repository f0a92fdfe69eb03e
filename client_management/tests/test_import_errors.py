"""Bad rows, CSV files, dry runs and rights (each error named, valid rows never lost); typed values kept."""

import base64
import datetime
from unittest.mock import patch

import openpyxl

from odoo.addons.client_management.importer import reader, reader_csv
from odoo.addons.client_management.importer.run import Importer
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .import_files import csv_bytes, read_xlsx, xlsx
from .test_import import ImportCase


@tagged("post_install", "-at_install")
class TestImportErrors(ImportCase):
    ROWS = [
        ["Name", "Phone", "E-mail", "Birthdate", "Manager"],
        ["Good One", "20003001", "good1@example.com", "01.02.1980", ""],
        ["Bad Date", "20003002", "bad2@example.com", "31.02.1980", ""],
        ["Bad Phone", "12", "bad3@example.com", "", ""],
        ["Bad Mail", "", "not-an-email", "", ""],
        ["Bad User", "", "", "", "nobody at all"],
        ["Good Two", "", "good2@example.com", "", ""],
        ["", "", "", "", ""],
        ["", "", "no-name@example.com", "", ""],
    ]

    def test_each_bad_row_reported_and_valid_rows_imported(self):
        result = self.run_import(self.ROWS)
        self.assertEqual(result["created"], 2)
        self.assertEqual(result["skipped"], 5)
        by_row = {(e["row"], e["column"]): e["message"] for e in result["errors"]}
        self.assertEqual(sorted(by_row), [(3, "Birthdate"), (4, "Phone"), (5, "E-mail"), (6, "Manager"), (9, "Name")])
        self.assertIn("not a valid date", by_row[3, "Birthdate"])
        self.assertIn("not a valid phone number", by_row[4, "Phone"])
        self.assertIn("not a valid e-mail", by_row[5, "E-mail"])
        self.assertIn("Unknown user", by_row[6, "Manager"])
        self.assertIn("needs a name", by_row[9, "Name"])
        self.assertTrue(self.partner("Good One") and self.partner("Good Two"))
        self.assertFalse(self.partner("Bad Date") or self.partner("Bad Phone"))

    def test_number_without_country_needs_default_country(self):
        result = self.run_import([["Name", "Phone"], ["No Country", "20003009"]], default_country=False)
        self.assertIn("no country code", result["errors"][0]["message"])

    def test_error_workbook_can_be_fixed_and_reimported(self):
        result = self.run_import(self.ROWS, error_file=True)
        rows, _sheet = read_xlsx(base64.b64decode(result["error_file"]))
        self.assertEqual(rows[0], self.ROWS[0] + ["Import errors"])
        self.assertEqual([r[0] for r in rows[1:]], ["Bad Date", "Bad Phone", "Bad Mail", "Bad User", None])
        self.assertIn("Birthdate", rows[1][-1])
        # the user fixes the rows in the file and imports it again
        fixed = [rows[0]] + [list(r) for r in rows[1:]]
        fixed[1][3] = "28.02.1980"
        fixed[2][1] = "+37120003003"
        fixed[3][2] = "bad3mail@example.com"
        fixed[4][4] = "cm_user"
        fixed[5][0] = "Has A Name Now"
        again = self.run_import(fixed)
        self.assertEqual((again["created"], again["errors"]), (5, []))
        self.assertEqual(self.partner("Bad Date").birthdate, datetime.date(1980, 2, 28))

    def test_row_failing_at_save_does_not_lose_its_batch(self):
        original = Importer._create_vals

        def failing(importer, plan):
            if plan.name == "Explodes":
                raise ValueError("simulated database failure")
            return original(importer, plan)

        rows = [["Name", "Tags"], ["Before", "Batchtag"], ["Explodes", "Batchtag"], ["After", "Batchtag"]]
        with patch.object(Importer, "_create_vals", failing):
            result = self.run_import(rows, batch_size=10)
        self.assertEqual(result["created"], 2)
        self.assertEqual(
            [(e["row"], e["message"]) for e in result["errors"]],
            [(3, "This row could not be saved: simulated database failure")],
        )
        self.assertTrue(self.partner("Before") and self.partner("After"))
        self.assertEqual(self.partner("Before").category_id.name, "Batchtag")
        self.assertFalse(self.partner("Explodes"))

    def test_dry_run_counts_and_writes_nothing(self):
        before = self.Partner.search_count([])
        tags = self.env["res.partner.category"].search_count([])
        result = self.run_import([*self.ROWS, ["Good One", "", "good1@example.com", "", ""]], dry_run=True)
        self.assertEqual((result["created"], result["updated"], len(result["errors"])), (2, 1, 5))
        self.assertEqual(result["partner_ids"], [])
        self.assertEqual(self.Partner.search_count([]), before)
        self.assertEqual(self.env["res.partner.category"].search_count([]), tags)

    def test_unknown_country_is_a_row_error(self):
        result = self.run_import([["Name", "Country"], ["Nowhere", "Atlantis"], ["Latvian", "Latvija"]])
        self.assertEqual(result["errors"][0]["row"], 2)
        self.assertIn("Unknown country", result["errors"][0]["message"])
        self.assertEqual(self.partner("Latvian").country_id.code, "LV")

    def test_plain_user_cannot_import_through_the_service(self):
        with self.assertRaisesRegex(AccessError, "Only users of the Clients app"):
            self.env["client.import"].with_user(self.plain_user).import_file(xlsx([["Name"], ["Sneaky"]]), "x.xlsx")
        self.assertFalse(self.partner("Sneaky"))


@tagged("post_install", "-at_install")
class TestImportCsv(ImportCase):
    ROWS = {
        "cp1250": [
            ["Jméno", "Telefon", "Město"],
            ["Jiří Novák", "+420 601 123 456", "Plzeň"],
            ["Łukasz Żółć", "+48 601 123 456", "Łódź"],
        ],
        "cp1251": [
            ["ФИО", "Телефон", "Город"],
            ["Иван Петров", "+7 912 345 67 89", "Москва"],
            ["Ольга Сидорова", "+7 701 123 45 67", "Алматы"],
        ],
        "cp1257": [
            ["Vārds", "Tālrunis", "Pilsēta"],
            ["Jānis Bērziņš", "+371 29 123 456", "Rēzekne"],
            ["Līga Ozoliņa", "+371 29 654 321", "Jūrmala"],
        ],
    }

    def test_encodings_detected(self):
        for encoding in ("cp1250", "cp1251", "cp1257", "utf-8", "utf-8-sig"):
            rows = self.ROWS.get(encoding, self.ROWS["cp1251"])
            if encoding.startswith("utf"):
                rows = [rows[0], [f"{rows[1][0]} {encoding}", rows[1][1].replace("912", "913"), rows[1][2]]]
            with self.subTest(encoding=encoding):
                content = csv_bytes(rows, delimiter=";", encoding=encoding)
                self.assertEqual(
                    reader_csv.detect_encoding(content).replace("utf-8-sig", "utf-8"),
                    encoding.replace("utf-8-sig", "utf-8"),
                )
                result = self.run_import(content, filename="old.csv", overwrite=True)
                self.assertEqual(result["errors"], [])
                partner = self.partner(rows[1][0])
                self.assertEqual(len(partner), 1)
                self.assertEqual(partner.city, rows[1][2])

    def test_delimiters_detected(self):
        rows = [["Name", "E-mail", "City"], ["Delim Person, Jr.", "delim@example.com", "Tartu"]]
        for delimiter in (",", ";", "\t"):
            with self.subTest(delimiter=delimiter):
                content = csv_bytes(rows, delimiter=delimiter)
                self.assertEqual(reader.open_file(content, "x.csv").delimiter, delimiter)
                self.run_import(content, filename="x.csv")
                self.assertEqual(self.partner("Delim Person, Jr.").city, "Tartu")
        self.assertEqual(len(self.partner("Delim Person, Jr.")), 1)

    def test_read_file_preview(self):
        info = self.Import.read_file(csv_bytes([["Vārds", "E-pasts", "?"], ["A", "a@a.lv", "z"]], ";"), "a.csv")
        self.assertEqual(info["mapping"], {"Vārds": "name", "E-pasts": "email"})
        self.assertEqual(info["preview"], [["A", "a@a.lv", "z"]])
        self.assertEqual(info["delimiter"], ";")

    def test_base64_content_from_rpc(self):
        content = base64.b64encode(csv_bytes([["Name"], ["Via RPC"]])).decode()
        self.assertEqual(self.Import.import_file(content, "rpc.csv")["created"], 1)

    def test_xlsx_is_streamed_in_read_only_mode(self):
        calls = []
        original = openpyxl.load_workbook

        def spy(*args, **kwargs):
            calls.append(kwargs.get("read_only"))
            return original(*args, **kwargs)

        with patch.object(openpyxl, "load_workbook", spy):
            self.run_import([["Name"], ["Streamed"]])
        self.assertTrue(calls)
        self.assertTrue(all(calls), "never loads the whole workbook in memory")


@tagged("post_install", "-at_install")
class TestImportKeepsWhatWasTyped(ImportCase):
    """A matched client keeps the values it has unless the import is asked to overwrite."""

    def test_filled_values_stay_and_notes_are_added(self):
        client = self.Partner.create(
            {"name": "Typed Client", "email": "typed@example.com", "website": "https://typed.example.com"}
        )
        client.comment = "<p>Allergic to cats</p>"
        rows = [
            ["E-mail", "Website", "City", "Notes"],
            ["typed@example.com", "https://file.example.com", "Rīga", "From the old system"],
        ]
        # a file without names only updates (see test_import_stop)
        result = self.run_import(rows, mode="update")
        self.assertEqual((result["updated"], result["errors"]), (1, []))
        self.assertEqual(client.website, "https://typed.example.com", "a filled value is not replaced")
        self.assertEqual(client.city, "Rīga", "an empty value is filled")
        self.assertIn("Allergic to cats", client.comment, "the note typed in Odoo stays")
        self.assertIn("From the old system", client.comment, "the file's note is added")
        self.run_import(rows, mode="update")
        self.assertEqual(client.comment.count("From the old system"), 1, "a note already there is not added twice")
        self.run_import(rows, mode="update", overwrite=True)
        self.assertEqual(client.website, "https://file.example.com", "replaced when asked to")
