from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import ClientCase

# (written, country of the client, expected E.164) in each country's usual spellings
SPELLINGS = [
    ("26 123 456", "LV", "+37126123456"),
    ("+371 26123456", "LV", "+37126123456"),
    ("601 123 456", "CZ", "+420601123456"),
    ("+420 601-123-456", "CZ", "+420601123456"),
    ("512 345 678", "PL", "+48512345678"),
    ("0048 512 345 678", "PL", "+48512345678"),
    ("8 (912) 345-67-89", "RU", "+79123456789"),
    ("+7 912 345 67 89", "RU", "+79123456789"),
    ("8 (777) 785-99-54", "KZ", "+77777859954"),
    ("0077777859954", "KZ", "+77777859954"),
    ("030 12345678", "DE", "+493012345678"),
    ("+49 (0)30 1234 5678", "DE", "+493012345678"),
    ("0151 23456789", "DE", "+4915123456789"),
]


@tagged("post_install", "-at_install")
class TestPhoneLines(ClientCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.country = {code: cls.env.ref(f"base.{code.lower()}") for code in ("LV", "CZ", "PL", "RU", "KZ", "DE")}

    def client(self, country="LV", **vals):
        return self.Partner.with_user(self.client_user).create(
            {"name": "Phone Client", "country_id": self.country[country].id, **vals}
        )

    def test_spellings_of_six_countries_are_normalised(self):
        for written, country, e164 in SPELLINGS:
            with self.subTest(written=written, country=country):
                partner = self.client(country, phone_ids=[(0, 0, {"number": written})])
                line = partner.phone_ids
                self.assertEqual(line.number_e164, e164)
                self.assertEqual(line.number, written, "the line keeps the number as typed")
                self.assertEqual(partner.phone, written, "the native phone shows the primary line")

    def test_region_falls_back_to_the_company_country(self):
        self.env.company.country_id = self.country["CZ"]
        partner = self.Partner.with_user(self.client_user).create(
            {"name": "No country", "phone_ids": [(0, 0, {"number": "601 123 456"})]}
        )
        self.assertEqual(partner.phone_ids.number_e164, "+420601123456")

    def test_invalid_number_is_refused_quoting_it(self):
        partner = self.client()
        for bad in ("12", "call me", "+371 1234"):
            with self.subTest(bad=bad), self.assertRaises(ValidationError) as caught:
                partner.write({"phone_ids": [(0, 0, {"number": bad})]})
            self.assertIn(bad, str(caught.exception))
        self.assertFalse(partner.phone_ids)

    def test_one_number_once_per_client(self):
        partner = self.client(phone_ids=[(0, 0, {"number": "+371 26 123 456"})])
        with self.assertRaises(ValidationError) as caught:
            partner.write({"phone_ids": [(0, 0, {"number": "0037126123456"})]})
        self.assertIn("+37126123456", str(caught.exception))
        # another client may have the same number
        other = self.client(phone_ids=[(0, 0, {"number": "26123456"})])
        self.assertEqual(other.phone_ids.number_e164, "+37126123456")

    def test_exactly_one_primary(self):
        partner = self.client(
            phone_ids=[(0, 0, {"number": "26123456", "sequence": 1}), (0, 0, {"number": "26123457", "sequence": 2})]
        )
        first, second = partner.phone_ids.sorted("sequence")
        self.assertEqual((first.is_primary, second.is_primary), (True, False), "the first line becomes primary")
        second.with_user(self.client_user).is_primary = True
        self.assertEqual((first.is_primary, second.is_primary), (False, True))
        self.assertEqual(partner.phone, second.number)
        second.with_user(self.client_user).unlink()
        self.assertTrue(first.is_primary, "the remaining line becomes primary")
        self.assertEqual(partner.phone, first.number)
        first.unlink()
        self.assertFalse(partner.phone)

    def test_native_phone_creates_then_updates_the_primary_line(self):
        partner = self.client(phone="26 123 456")
        self.assertEqual(partner.phone_ids.mapped("number_e164"), ["+37126123456"])
        self.assertEqual(partner.phone, "26 123 456", "the native phone keeps what was typed")
        partner.with_user(self.client_user).phone = "+371 26 123 457"
        self.assertEqual(partner.phone_ids.mapped("number_e164"), ["+37126123457"], "primary updated, no duplicate")
        partner.write({"phone_ids": [(0, 0, {"number": "26123458"})]})
        partner.phone = "+371 26 123 458"  # a number it already has becomes primary, no duplicate
        self.assertEqual(partner.phone, "+371 26 123 458", "kept as written")
        self.assertEqual(len(partner.phone_ids), 2)
        self.assertEqual(partner.phone_ids.filtered("is_primary").number_e164, "+37126123458")
        partner.phone = False
        self.assertEqual(partner.phone_ids.mapped("number_e164"), ["+37126123457"], "the other number stays")
        self.assertFalse(partner.phone, "what another app wrote stays written")
        self.assertFalse(partner.phone_ids.is_primary, "no primary while the native phone is empty")
        partner.phone_ids.with_user(self.client_user).whatsapp = True  # the user works on the lines
        self.assertEqual(partner.phone, "+371 26 123 457", "the remaining line is the primary again")

    def test_native_phone_written_by_rpc_or_another_module_keeps_unparsable_text(self):
        partner = self.client()
        partner.write({"phone": "ask reception"})
        self.assertEqual(partner.phone_ids.number, "ask reception")
        self.assertFalse(partner.phone_ids.number_e164)
        self.assertEqual(partner.phone, "ask reception")

    def test_line_number_edit_updates_native_phone(self):
        partner = self.client(phone="26123456")
        partner.phone_ids.with_user(self.client_user).number = "00 7 (777) 785-99-54"
        self.assertEqual(partner.phone_ids.number_e164, "+77777859954")
        self.assertEqual(partner.phone, "00 7 (777) 785-99-54")

    def test_phone_types_shipped_and_user_defined(self):
        Type = self.env["res.partner.phone.type"]
        self.assertEqual(
            set(Type.search([]).mapped("name")) >= {"Mobile", "Work", "Home"}, True, "Mobile, Work, Home shipped"
        )
        fax = Type.with_user(self.client_manager).create({"name": "Fax"})
        partner = self.client(phone_ids=[(0, 0, {"number": "67000000", "type_id": fax.id})])
        self.assertEqual(partner.phone_ids.type_id, fax)
        pager = Type.with_user(self.client_user).create({"name": "Pager"})  # quick create from a line
        with self.assertRaises(AccessError):  # renaming a shared type stays with administrators
            pager.with_user(self.client_user).write({"name": "Beeper"})

    def test_copy_keeps_the_primary_number_once(self):
        partner = self.client(phone="26123456")
        copy = partner.copy()
        self.assertEqual(copy.phone_ids.mapped("number_e164"), ["+37126123456"])
