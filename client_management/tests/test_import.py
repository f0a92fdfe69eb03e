import base64
import datetime
from unittest.mock import patch

import openpyxl

from odoo.addons.client_management.importer import headers, reader, reader_csv, report, values
from odoo.addons.client_management.importer.run import Importer
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ClientCase
from .import_files import csv_bytes, read_xlsx, xlsx

HEADER = ["Name", "Phone", "E-mail", "Birthdate", "Tags", "Company", "Supplier", "How did you hear about us"]


def emails(partner):
    return report.partner_emails(partner)


def e164s(partner):
    if "phone_ids" in partner._fields:
        lines = partner.phone_ids.sorted(lambda line: (not line.is_primary, line.sequence, line.id))
        return lines.mapped("number_e164")
    return [values.parse_phone(partner.phone)[0]] if partner.phone else []


class ImportCase(ClientCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Import = cls.env["client.import"].with_user(cls.client_user)
        cls.Partner = cls.env["res.partner"].with_context(active_test=False)

    def run_import(self, rows, filename="clients.xlsx", mapping=None, **options):
        options.setdefault("default_country", "LV")
        content = xlsx(rows) if filename.endswith(".xlsx") else rows
        return self.Import.import_file(content, filename, mapping=mapping, options=options)

    def partner(self, name):
        return self.Partner.search([("name", "=", name)])


@tagged("post_install", "-at_install")
class TestImportHeaders(ImportCase):
    def test_headers_guessed_in_five_languages(self):
        cases = {
            "en": [
                "Full name",
                "Phone",
                "E-mail",
                "Tax number",
                "Address",
                "Tags",
                "Birthdate",
                "Manager",
                "Supplier",
                "Conflict",
                "How did you hear about us",
                "Company",
            ],
            "lv": [
                "Vārds, uzvārds",
                "Tālrunis",
                "E-pasts",
                "PVN numurs",
                "Adrese",
                "Birkas",
                "Dzimšanas datums",
                "Menedžeris",
                "Piegādātājs",
                "Konflikts",
                "Kā uzzinājāt par mums",
                "Uzņēmums",
            ],
            "cs": [
                "Jméno a příjmení",
                "Telefon",
                "E-mailová adresa",
                "DIČ",
                "Adresa",
                "Štítky",
                "Datum narození",
                "Manažer",
                "Dodavatel",
                "Konflikt",
                "Jak jste se o nás dozvěděli",
                "Společnost",
            ],
            "ru": [
                "ФИО",
                "Телефон",
                "Электронная почта",
                "ИНН",
                "Адрес",
                "Теги",
                "Дата рождения",
                "Менеджер",
                "Поставщик",
                "Конфликтный",
                "Откуда узнали",
                "Компания",
            ],
            "pl": [
                "Imię i nazwisko",
                "Telefon",
                "Adres e-mail",
                "NIP",
                "Adres",
                "Tagi",
                "Data urodzenia",
                "Opiekun",
                "Dostawca",
                "Konflikt",
                "Skąd się dowiedział",
                "Firma",
            ],
        }
        expected = [
            "name",
            "phone",
            "email",
            "vat",
            "street",
            "category",
            "birthdate",
            "user",
            "is_supplier",
            "is_conflict",
            "acquisition_source",
            "parent",
        ]
        for lang, labels in cases.items():
            with self.subTest(lang=lang):
                mapping = headers.guess_mapping(labels)
                self.assertEqual([mapping.get(h) for h in labels], expected)

    def test_company_name_header_and_unknown_columns_ignored(self):
        mapping = headers.guess_mapping(["Company name", "Favourite colour", "Phone 2", "Nazwa firmy"])
        self.assertEqual(mapping, {"Company name": "name", "Phone 2": "phone"})

    def test_no_recognised_column_is_refused(self):
        with self.assertRaisesRegex(UserError, "No column of the file was recognised"):
            self.run_import([["Colour", "Size"], ["red", "L"]])

    def test_explicit_mapping_overrides_guess(self):
        result = self.run_import(
            [["Who", "Tel", "Notes"], ["Mapped Person", "20001111", "hello"]],
            mapping={"Who": "name", "Tel": "phone", "Notes": False},
        )
        self.assertEqual(result["created"], 1)
        partner = self.partner("Mapped Person")
        self.assertEqual(e164s(partner), ["+37120001111"])
        self.assertFalse(partner.comment)

    def test_mapping_to_unknown_field_is_refused(self):
        with self.assertRaisesRegex(UserError, "Unknown field"):
            self.run_import([["Name"], ["X"]], mapping={"Name": "password"})


@tagged("post_install", "-at_install")
class TestImportRules(ImportCase):
    def test_full_row_creates_client_with_every_field(self):
        result = self.run_import(
            [
                [*HEADER, "Responsible manager", "Conflict", "Country", "Tax number", "Client code"],
                [
                    "Anna Bērziņa",
                    "20000001; +371 67000001",
                    "Anna@Example.lv; anna2@example.lv",
                    "31.12.1985",
                    "VIP; Newsletter",
                    "Acme SIA",
                    "Jā",
                    "Facebook ads",
                    "cm_manager",
                    "Nē",
                    "LV",
                    "",
                    "",
                ],
            ]
        )
        self.assertEqual((result["created"], result["errors"]), (1, []))
        anna = self.partner("Anna Bērziņa")
        self.assertEqual(result["partner_ids"], anna.ids)
        self.assertEqual(e164s(anna), ["+37120000001", "+37167000001"][: len(e164s(anna))])
        self.assertEqual(emails(anna)[0], "anna@example.lv")
        self.assertEqual(anna.birthdate, datetime.date(1985, 12, 31))
        self.assertEqual(sorted(anna.category_id.mapped("name")), ["Newsletter", "VIP"])
        self.assertEqual(anna.parent_id.name, "Acme SIA")
        self.assertTrue(anna.parent_id.is_company)
        self.assertTrue(anna.is_supplier)
        self.assertFalse(anna.is_conflict)
        self.assertEqual(anna.acquisition_source_id.name, "Facebook ads")
        self.assertEqual(anna.user_id, self.client_manager)
        self.assertEqual(anna.country_id.code, "LV")
        self.assertTrue(anna.ref, "a client code is drawn when the file has none")

    def test_multi_values_first_is_primary(self):
        self.run_import([["Name", "Phone", "E-mail"], ["Multi", "+420 601 111 111;+420 602 222 222", "b@x.cz;a@x.cz"]])
        multi = self.partner("Multi")
        self.assertEqual(emails(multi)[0], "b@x.cz")
        self.assertEqual(multi.email, "b@x.cz")
        self.assertEqual(e164s(multi)[0], "+420601111111")
        if "phone_ids" in multi._fields:
            self.assertEqual(len(multi.phone_ids), 2)
            self.assertEqual(len(multi.email_ids), 2)

    def test_manager_defaults_to_importing_user_or_named_user(self):
        self.run_import(
            [["Name", "Manager"], ["Default Manager", ""], ["By Name", "Mark Manager"], ["By Login", "CM_MANAGER"]]
        )
        self.assertEqual(self.partner("Default Manager").user_id, self.client_user)
        self.assertEqual(self.partner("By Name").user_id, self.client_manager)
        self.assertEqual(self.partner("By Login").user_id, self.client_manager)

    def test_yes_no_words_in_five_languages(self):
        words = {
            "Yes": True,
            "No": False,
            "Jā": True,
            "Nē": False,
            "Ano": True,
            "Ne": False,
            "Да": True,
            "Нет": False,
            "Tak": True,
            "Nie": False,
            "1": True,
            "0": False,
            "x": True,
            "X": True,
        }
        rows = [["Name", "Supplier"]] + [[f"Bool {i}", word] for i, word in enumerate(words)]
        result = self.run_import(rows)
        self.assertEqual((result["created"], result["errors"]), (len(words), []))
        for i, (word, value) in enumerate(words.items()):
            self.assertEqual(self.partner(f"Bool {i}").is_supplier, value, word)

    def test_person_company_words_in_five_languages(self):
        words = {
            "Company": "company",
            "Person": "person",
            "Juridiska persona": "company",
            "Fiziska persona": "person",
            "Právnická osoba": "company",
            "Fyzická osoba": "person",
            "Юридическое лицо": "company",
            "Физическое лицо": "person",
            "Osoba prawna": "company",
            "Osoba fizyczna": "person",
        }
        rows = [["Name", "Type"]] + [[f"Kind {i}", word] for i, word in enumerate(words)]
        result = self.run_import(rows)
        self.assertEqual(result["errors"], [])
        for i, (word, value) in enumerate(words.items()):
            self.assertEqual(self.partner(f"Kind {i}").company_type, value, word)

    def test_dates_as_text_and_as_excel_cells(self):
        result = self.run_import(
            [
                ["Name", "Birthdate"],
                ["Text date", "05.03.1990"],
                ["Cell date", datetime.datetime(1991, 4, 6)],
                ["Short", "7.8.1992"],
                ["Date only", datetime.date(1993, 1, 2)],
            ]
        )
        self.assertEqual(result["errors"], [])
        self.assertEqual(self.partner("Text date").birthdate, datetime.date(1990, 3, 5))
        self.assertEqual(self.partner("Cell date").birthdate, datetime.date(1991, 4, 6))
        self.assertEqual(self.partner("Short").birthdate, datetime.date(1992, 8, 7))
        self.assertEqual(self.partner("Date only").birthdate, datetime.date(1993, 1, 2))

    def test_missing_tags_and_channels_created_once(self):
        self.run_import(
            [
                ["Name", "Tags", "Source"],
                ["T1", "Brand new tag; vip", "Brand new channel"],
                ["T2", "brand NEW tag", "brand new channel"],
            ]
        )
        tags = self.env["res.partner.category"].search([("name", "=ilike", "brand new tag")])
        self.assertEqual(len(tags), 1)
        self.assertEqual(self.partner("T2").category_id, tags)
        sources = self.env["utm.source"].search([("name", "=ilike", "brand new channel")])
        self.assertEqual(len(sources), 1)
        self.assertEqual(self.partner("T1").acquisition_source_id, sources)

    def test_company_rows_and_company_column_link_parent(self):
        result = self.run_import(
            [
                ["Name", "Type", "Company", "Tax number"],
                ["Worker One", "Person", "Baltic Trade SIA", ""],
                ["Baltic Trade SIA", "Company", "", "LV40003000001"],
                ["Worker Two", "Person", "baltic trade sia", ""],
            ]
        )
        self.assertEqual(result["errors"], [])
        company = self.Partner.search([("name", "=ilike", "Baltic Trade SIA"), ("is_company", "=", True)])
        self.assertEqual(len(company), 1, "the company row links to the company created for the first worker")
        self.assertEqual(company.vat, "LV40003000001")
        self.assertEqual(self.partner("Worker One").parent_id, company)
        self.assertEqual(self.partner("Worker Two").parent_id, company)

    def test_text_starting_with_formula_characters_is_stored_as_text(self):
        self.run_import(csv_bytes([["Name", "Notes"], ['=HYPERLINK("http://evil")', "+1 -2 @x"]]), filename="x.csv")
        partner = self.partner('=HYPERLINK("http://evil")')
        self.assertEqual(len(partner), 1)
        self.assertIn("+1 -2 @x", partner.comment)


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
