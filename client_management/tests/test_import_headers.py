"""Headers as real systems write them, recognised with no mapping given: messy headers in five
languages, split name columns, typed phone lines and the other new columns; the column names
as data an administrator extends; the default country guessed from the file."""

import base64

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .import_files import csv_bytes, ods, xlsx
from .test_import import ImportCase, e164s


def lines(partner):
    """{E.164: (type name, WhatsApp, Viber)} of a client's phone lines."""
    return {line.number_e164: (line.type_id.name, line.whatsapp, line.viber) for line in partner.phone_ids}


@tagged("post_install", "-at_install")
class TestMessyHeaders(ImportCase):
    def import_file(self, content, filename, **options):
        options.setdefault("default_country", "LV")
        return self.Import.import_file(content, filename, options=options)  # no mapping

    def test_latvian_export_with_title_row_and_messy_headers(self):
        rows = [
            ["Klientu saraksts 2024", None, None, None, None],
            [None, None, None, None, None],
            ["Name / Company name", "Tālrunis (mob.)", "1. E-mail", "Nodokļu numurs", "Reg. Nr."],
            ["Messy Lauris SIA", "20 000 501", "lauris@example.lv", "LV40003000501", "40003000501"],
            ["", "not a number", "", "", ""],
            ["Messy Ilze", "20 000 502", "ilze@example.lv", "", ""],
        ]
        result = self.import_file(xlsx(rows), "asistents.xlsx")
        self.assertEqual(result["created"], 2, result["errors"])
        self.assertEqual([(e["row"], e["column"]) for e in result["errors"]], [(5, "Tālrunis (mob.)")])
        lauris = self.partner("Messy Lauris SIA")
        self.assertEqual((lauris.vat, lauris.company_registry), ("LV40003000501", "40003000501"))
        self.assertEqual(lauris.email, "lauris@example.lv")
        self.assertEqual(lines(lauris), {"+37120000501": ("Mobile", False, False)})
        self.assertFalse(self.partner("Klientu saraksts 2024"), "the title row is not a client")

    def test_split_name_columns_in_four_languages(self):
        files = {
            "cs": [
                ["Seznam klientů"],
                ["1. Příjmení", "2. Jméno", "3. Tel. číslo"],
                ["Dvořák", "Jan", "+420 601 000 601"],
            ],
            "lv": [["VĀRDS", "UZVĀRDS:", "Tālrunis"], ["Anna", "Bērziņa", "20 000 602"]],
            "ru": [
                [None, None, None, None],
                ["Имя", "Отчество", "Фамилия", "№ Телефон (моб.)"],
                ["Иван", "Петрович", "Сидоров", "+7 912 000 06 03"],
            ],
            "pl": [
                ["Kontrahenci – eksport"],
                [],
                ["Nazwisko", "Imię", "Telefon | Komórka"],
                ["Kowalska", "Maria", "+48 601 000 604"],
            ],
        }
        expected = {
            "cs": ("Jan Dvořák", "+420601000601"),
            "lv": ("Anna Bērziņa", "+37120000602"),
            "ru": ("Сидоров Иван Петрович", "+79120000603"),
            "pl": ("Maria Kowalska", "+48601000604"),
        }
        for lang, rows in files.items():
            with self.subTest(lang=lang):
                content = csv_bytes(rows, delimiter=";") if lang in ("cs", "ru") else xlsx(rows)
                result = self.import_file(content, f"{lang}.csv" if lang in ("cs", "ru") else f"{lang}.xlsx")
                self.assertEqual((result["created"], result["errors"]), (1, []))
                name, number = expected[lang]
                self.assertEqual(e164s(self.partner(name)), [number])
        self.assertEqual(lines(self.partner("Сидоров Иван Петрович"))["+79120000603"][0], "Mobile")

    def test_mobile_and_work_phone_columns_become_typed_lines(self):
        rows = [
            ["#", "Full name", "Mobile", "Landline/Work phone", "WhatsApp", "Viber", "Phone 2", "Phone type"],
            [1, "Typed Tom", "20 000 701", "67 000 702", "Yes", "No", "20 000 703", "Home"],
        ]
        result = self.import_file(xlsx(rows), "typed.xlsx")
        self.assertEqual(result["errors"], [])
        self.assertEqual(
            lines(self.partner("Typed Tom")),
            {
                "+37120000701": ("Mobile", True, False),
                "+37167000702": ("Work", True, False),
                "+37120000703": ("Home", True, False),
            },
        )

    def test_unknown_phone_type_is_a_row_error(self):
        rows = [["Name", "Phone", "Phone type"], ["Fax Person", "20 000 704", "Pager"]]
        result = self.import_file(xlsx(rows), "types.xlsx")
        self.assertEqual(result["errors"][0]["column"], "Phone type")
        self.assertIn("Unknown phone type “Pager”", result["errors"][0]["message"])

    def test_address_registry_position_language_and_consent_columns(self):
        rows = [
            [
                "Name",
                "Street",
                "Street 2",
                "Country",
                "State/Province",
                "IČO",
                "Job position",
                "Language",
                "E-mail",
                "Newsletter consent",
                "SMS",
                "Phone",
            ],
            [
                "Wide Wendy",
                "1 Main St",
                "Suite 5",
                "United States",
                "CA",
                "12345678",
                "Buyer",
                "English",
                "wendy@example.com",
                "No",
                "No",
                "+1 415 555 0101",
            ],
        ]
        result = self.import_file(xlsx(rows), "wide.xlsx")
        self.assertEqual(result["errors"], [])
        wendy = self.partner("Wide Wendy")
        self.assertEqual((wendy.street, wendy.street2), ("1 Main St", "Suite 5"))
        self.assertEqual((wendy.country_id.code, wendy.state_id.code), ("US", "CA"))
        self.assertEqual((wendy.company_registry, wendy.function, wendy.lang), ("12345678", "Buyer", "en_US"))
        self.assertFalse(wendy.email_ids.consent)
        self.assertFalse(wendy.phone_ids.sms)

    def test_unknown_state_names_the_country(self):
        rows = [["Name", "Country", "State"], ["No State", "US", "Atlantis"]]
        result = self.import_file(xlsx(rows), "state.xlsx")
        self.assertIn("Unknown state “Atlantis” in United States", result["errors"][0]["message"])

    def test_read_file_finds_the_header_row_below_a_title(self):
        rows = [["Export of 01.02.2024"], [], ["Klients", "E-pasts"], ["Title Below", "t@example.lv"]]
        info = self.Import.read_file(ods(rows), "export.ods")
        self.assertEqual((info["header_row"], info["headers"]), (3, ["Klients", "E-pasts"]))
        self.assertEqual(info["mapping"], {"Klients": "name", "E-pasts": "email"})
        self.assertEqual(info["preview"], [["Title Below", "t@example.lv"]])


@tagged("post_install", "-at_install")
class TestColumnNamesAsData(ImportCase):
    ROWS = [["Kundennummer", "Vorname", "Nachname"], ["K-1", "Greta", "Garbo"]]

    def test_administrator_adds_a_column_name_then_files_use_it(self):
        self.assertIn(
            self.env.ref("client_management.menu_client_import_headers").id,
            self.env["ir.ui.menu"].with_user(self.client_manager)._visible_menu_ids(),
        )
        Header = self.env["client.import.header"].with_user(self.client_manager)
        self.assertTrue(Header.search([("label", "=", "Nodokļu numurs"), ("target", "=", "vat")]))
        self.assertEqual(self.Import.read_file(xlsx(self.ROWS), "de.xlsx")["mapping"], {})
        Header.create(
            [
                {"label": "Kundennummer", "target": "ref", "lang": "de"},
                {"label": "Vorname", "target": "first_name", "lang": "DE"},
                {"label": "Nachname", "target": "last_name", "lang": "de"},
            ]
        )
        result = self.Import.import_file(xlsx(self.ROWS), "de.xlsx", options={"default_country": "LV"})
        self.assertEqual((result["created"], result["errors"]), (1, []))
        self.assertEqual(self.partner("Greta Garbo").ref, "K-1")

    def test_the_same_label_cannot_name_two_fields(self):
        Header = self.env["client.import.header"].with_user(self.client_manager)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            Header.create({"label": "NODOKĻU NUMURS!", "target": "ref"})
            Header.env.flush_all()
        shipped = Header.search([("label", "=", "Nodokļu numurs")])
        shipped.active = False
        shipped.flush_recordset()  # as when the administrator saves it, before adding the new name
        Header.create({"label": "Nodokļu numurs", "target": "ref"})
        self.assertEqual(
            self.Import.read_file(xlsx([["Nodokļu numurs"], ["1"]]), "x.xlsx")["mapping"], {"Nodokļu numurs": "ref"}
        )

    def test_clients_user_reads_but_cannot_change_column_names(self):
        Header = self.env["client.import.header"].with_user(self.client_user)
        shipped = Header.search([("label", "=", "Vārds")])
        self.assertEqual(shipped.target, "first_name")
        with self.assertRaises(AccessError):
            Header.create({"label": "Vorname", "target": "first_name"})
        with self.assertRaises(AccessError):
            shipped.write({"target": "name"})
        with self.assertRaises(AccessError):
            self.env["client.import.header"].with_user(self.plain_user).search([])


@tagged("post_install", "-at_install")
class TestDefaultCountryGuess(ImportCase):
    LATVIAN = [["Vārds", "Uzvārds", "Tālrunis"], ["Guess", "Bērziņš", "20 000 801"]]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.us")

    def test_latvian_headers_on_a_company_in_the_us(self):
        info = self.Import.read_file(xlsx(self.LATVIAN), "lv.xlsx")
        self.assertEqual(info["default_country"], "LV")
        self.assertEqual(info["default_country_reason"], "the column headers are in Latvian")
        result = self.Import.import_file(xlsx(self.LATVIAN), "lv.xlsx")  # no default_country
        self.assertEqual(result["errors"], [])
        self.assertEqual(e164s(self.partner("Guess Bērziņš")), ["+37120000801"])

    def test_the_wizard_shows_the_guess_and_its_reason_and_the_user_changes_it(self):
        wizard = (
            self.env["client.import.wizard"]
            .with_user(self.client_user)
            .create({"file": base64.b64encode(xlsx(self.LATVIAN)), "filename": "lv.xlsx"})
        )
        self.assertEqual(wizard.default_country_id.code, "US", "before the file is read: the company's")
        wizard.action_load()
        self.assertEqual(wizard.default_country_id.code, "LV")
        self.assertEqual(wizard.default_country_reason, "Guessed: the column headers are in Latvian.")
        wizard.default_country_id = self.env.ref("base.ee")
        self.assertFalse(wizard.default_country_reason)

    def test_numbers_with_plus_then_country_column_outweigh_the_language(self):
        rows = [["Vārds", "Tālrunis"], ["Plus One", "+420 601 000 802"], ["Plus Two", "+420 601 000 803; 601000804"]]
        info = self.Import.read_file(xlsx(rows), "cz numbers.xlsx")
        self.assertEqual(info["default_country"], "CZ")
        self.assertEqual(info["default_country_reason"], "most numbers written with + are +420 (Czech Republic)")
        rows = [["Vārds", "Tālrunis", "Valsts"], ["Col One", "+420 601 000 805", "Polska"], ["Col Two", "", "PL"]]
        info = self.Import.read_file(xlsx(rows), "pl column.xlsx")
        self.assertEqual(info["default_country"], "PL")
        self.assertIn("of the column “Valsts” name Poland", info["default_country_reason"])

    def test_english_headers_fall_back_to_the_company_country(self):
        info = self.Import.read_file(xlsx([["Name", "Phone"], ["Plain", "415 555 0101"]]), "en.xlsx")
        self.assertEqual(
            (info["default_country"], info["default_country_reason"]), ("US", "the country of your company")
        )
