import datetime

from odoo.addons.client_management.importer import headers, report, values
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL

from .common import ClientCase
from .import_files import csv_bytes, xlsx

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

    def stored(self, partner, *names):
        """The values in the database (not in the cache the import filled)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL("SELECT %s FROM res_partner WHERE id = %s", SQL(", ").join(map(SQL.identifier, names)), partner.id)
        )
        return self.env.cr.fetchone()


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
