"""One phone parser: the same written number gives the same E.164 on a phone line, in an
import and in the lookup, extensions included, and is refused by all three alike."""

from odoo.addons.client_management.tools.phone import PhoneError, parse_phone, split_extension
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ClientCase
from .import_files import xlsx

# (written, country for numbers without +, E.164 or the reason it is refused)
TABLE = [
    ("+371 26 123 456", "LV", "+37126123456"),
    ("0037126123456", "LV", "+37126123456"),
    ("26 123 456", "LV", "+37126123456"),
    ("8 (912) 345-67-89", "RU", "+79123456789"),
    ("+49 (0)30 1234 5678", "DE", "+493012345678"),
    ("030 1234 5678", "DE", "+493012345678"),
    ("+371 67 123 456 ext. 12", "LV", "+37167123456"),
    ("+37167123456x12", "LV", "+37167123456"),
    ("67 123 456 #12", "LV", "+37167123456"),
    ("tel:+37167123456;ext=12", "LV", "+37167123456"),
    ("8 (495) 123-45-67 доб. 305", "RU", "+74951234567"),
    ("call me", "LV", "invalid"),
    ("+371 1234", "LV", "invalid"),
    ("+371 26 123 456 / +371 26 123 457", "LV", "invalid"),
    ("x12", "LV", "invalid"),
]


@tagged("post_install", "-at_install")
class TestPhoneParser(ClientCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.countries = {code: cls.env.ref(f"base.{code.lower()}") for code in ("LV", "RU", "DE")}
        cls.Import = cls.env["client.import"].with_user(cls.client_user)

    def test_extensions_are_kept_apart_from_the_number(self):
        for written, number, extension in [
            ("+371 67 123 456 ext. 12", "+371 67 123 456", "12"),
            ("+371 67123456 x12", "+371 67123456", "12"),
            ("67123456#12", "67123456", "12"),
            ("+37167123456;ext=12", "+37167123456", "12"),
            ("601 123 456 linka 22", "601 123 456", "22"),
            ("512 345 678 wew. 3", "512 345 678", "3"),
            ("+371 26 123 456", "+371 26 123 456", ""),
        ]:
            with self.subTest(written=written):
                self.assertEqual(split_extension(written), (number, extension))
        phone = parse_phone("+371 67 123 456 ext. 12")
        self.assertEqual(phone.e164, "+37167123456", "the E.164 has no extension")
        self.assertEqual(phone.display, "+371 67 123 456 ext. 12", "the written form keeps it")

    def test_a_number_without_country_code_needs_a_country(self):
        with self.assertRaises(PhoneError) as caught:
            parse_phone("26 123 456")
        self.assertEqual(caught.exception.reason, "no_country")

    def test_same_e164_on_the_line_in_the_import_and_in_the_lookup(self):
        Partner = self.env["res.partner"].with_user(self.client_user)
        for index, (written, country, expected) in enumerate(TABLE):
            with self.subTest(written=written, country=country):
                refused = not expected.startswith("+")
                # the parser itself
                if refused:
                    with self.assertRaises(PhoneError):
                        parse_phone(written, country)
                else:
                    self.assertEqual(parse_phone(written, country).e164, expected)
                # a phone line typed on a client of that country
                client = Partner.create({"name": f"Line {index}", "country_id": self.countries[country].id})
                if refused:
                    with self.assertRaises(ValidationError):
                        client.write({"phone_ids": [(0, 0, {"number": written})]})
                else:
                    client.write({"phone_ids": [(0, 0, {"number": written})]})
                    self.assertEqual(client.phone_ids.number_e164, expected)
                    self.assertEqual(client.phone_ids.number, written, "the line keeps the number as typed")
                # the same number in an imported file, the country being the default one
                result = self.Import.import_file(
                    xlsx([["Name", "Phone"], [f"Imported {index}", written]]),
                    "clients.xlsx",
                    options={"default_country": country, "match_on": ["ref"]},
                )
                if refused:
                    self.assertEqual(result["created"], 0)
                    self.assertEqual(len(result["errors"]), 1)
                    self.assertIn("is not a valid phone number", result["errors"][0]["message"])
                    self.assertIn(written, result["errors"][0]["message"])
                    self.assertFalse(Partner.find_by_phone(written, country))
                    continue
                imported = Partner.browse(result["partner_ids"])
                self.assertEqual(imported.phone_ids.number_e164, expected)
                # the lookup finds both, however the number is written (its extension ignored)
                self.assertEqual(Partner.find_by_phone(written, country), client | imported)
                self.assertEqual(Partner.find_by_phone(expected), client | imported)
                client.phone_ids.unlink()
                imported.phone_ids.unlink()

    def test_an_imported_extension_stays_on_the_line(self):
        result = self.Import.import_file(
            xlsx([["Name", "Phone"], ["Reception", "+371 67 123 456 ext. 12; 0037126123456"]]),
            "clients.xlsx",
            options={"default_country": "LV"},
        )
        partner = self.env["res.partner"].browse(result["partner_ids"])
        lines = partner.phone_ids.sorted("sequence")
        self.assertEqual(lines.mapped("number_e164"), ["+37167123456", "+37126123456"])
        self.assertEqual(lines[0].number, "+371 67 123 456 ext. 12", "the extension is in the number written")
        self.assertEqual(partner.phone, "+371 67 123 456 ext. 12")
        # the same number with another extension is the same client's number: matched, not a new client
        again = self.Import.import_file(
            xlsx([["Name", "Phone"], ["Reception", "+37167123456 x7"]]),
            "clients.xlsx",
            options={"default_country": "LV"},
        )
        self.assertEqual((again["created"], again["partner_ids"]), (0, partner.ids))
