from odoo.tests import new_test_user, tagged

from .common import ClientCase


@tagged("post_install", "-at_install")
class TestFindByPhone(ClientCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kz = cls.Partner.create(
            {"name": "Caller KZ", "country_id": cls.env.ref("base.kz").id, "phone": "+7 777 785 99 54"}
        )
        cls.lv = cls.Partner.create(
            {"name": "Caller LV", "country_id": cls.env.ref("base.lv").id, "phone": "+371 26 123 456"}
        )
        cls.conflict = cls.Partner.create(
            {"name": "Caller CZ", "is_conflict": True, "phone_ids": [(0, 0, {"number": "+420 601 123 456"})]}
        )

    def test_any_written_form_finds_the_owner(self):
        Partner = self.Partner.with_user(self.client_user)
        for written, country in (
            ("+7 777 785 99 54", None),
            ("8 (777) 785-99-54", "KZ"),
            ("0077777859954", None),
            ("+77777859954", None),
        ):
            with self.subTest(written=written):
                self.assertEqual(Partner.find_by_phone(written, country), self.kz)
        self.assertEqual(Partner.find_by_phone("26123456", "LV"), self.lv)
        self.assertEqual(Partner.find_by_phone("26 12 34 56", country_code="LV"), self.lv)

    def test_default_country_is_the_company_one(self):
        self.env.company.country_id = self.env.ref("base.lv")
        self.assertEqual(self.Partner.find_by_phone("26123456"), self.lv)

    def test_non_primary_numbers_and_unknown_numbers(self):
        self.lv.write({"phone_ids": [(0, 0, {"number": "+371 67 000 000"})]})
        self.assertEqual(self.Partner.find_by_phone("67000000", "LV"), self.lv)
        self.assertFalse(self.Partner.find_by_phone("+371 29 999 999"))
        self.assertFalse(self.Partner.find_by_phone("not a number"))

    def test_uses_the_index_on_number_e164(self):
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'res_partner_phone' AND indexdef LIKE '%number_e164%'"
        )
        self.assertTrue(self.env.cr.fetchall(), "number_e164 is indexed")

    def test_phone_search_of_the_client_list(self):
        Partner = self.Partner.with_user(self.client_user)
        self.env.company.country_id = self.env.ref("base.kz")
        found = Partner.search([("phone_lookup", "ilike", "8 (777) 785-99-54")])
        self.assertEqual(found, self.kz)
        self.assertEqual(Partner.search([("phone_lookup", "ilike", "00420601123456")]), self.conflict)
        self.assertTrue(Partner.search([("phone_lookup", "ilike", "601 123")]) >= self.conflict, "partial digits")
        arch = Partner.get_view(self.env.ref("base.view_res_partner_filter").id, "search")["arch"]
        self.assertIn("phone_lookup", arch, "the Phone search of the Clients list uses find_by_phone")

    def test_conflict_marker_in_result(self):
        found = self.Partner.with_user(self.client_user).find_by_phone("+420601123456")
        self.assertTrue(found.is_conflict, "the telephony integration sees the conflict marker")

    def test_archived_clients_are_not_found(self):
        Partner = self.Partner.with_user(self.client_user)
        self.assertEqual(Partner.find_by_phone("+371 26 123 456"), self.lv)
        self.lv.action_archive()
        self.assertFalse(Partner.find_by_phone("+371 26 123 456"), "archived clients are hidden")
        self.assertEqual(
            Partner.with_context(active_test=False).find_by_phone("+371 26 123 456"),
            self.lv,
            "unless the caller asks for archived records",
        )

    def test_clients_of_another_company_follow_the_record_rules(self):
        other_company = self.env["res.company"].create({"name": "Other Branch"})
        self.lv.company_id = other_company
        user = self.client_user
        Partner = self.Partner.with_user(user)
        self.assertFalse(Partner.find_by_phone("+371 26 123 456"), "a client of a company the user is not in")
        user.company_ids |= other_company
        Partner = self.Partner.with_user(user).with_context(allowed_company_ids=[user.company_id.id, other_company.id])
        self.assertEqual(Partner.find_by_phone("+371 26 123 456"), self.lv, "once the user works in that company")

    def test_portal_users_only_find_themselves(self):
        portal = new_test_user(self.env, login="cm_portal", name="Portal Pete", groups="base.group_portal")
        portal.partner_id.phone = "+371 29 111 222"
        Partner = self.Partner.with_user(portal)
        self.assertFalse(Partner.find_by_phone("+371 26 123 456"), "another client is hidden by the portal rules")
        self.assertEqual(Partner.find_by_phone("+371 29 111 222"), portal.partner_id)
