import re
from contextlib import contextmanager

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

    @contextmanager
    def _lookup_sql(self):
        """The SQL statements the lookup runs on the phone lines."""
        statements = []
        with contextmanager(self._patchExecute)(statements, flush=True):
            yield statements
        statements[:] = [s for s in statements if "res_partner_phone" in s]

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

    def test_portal_users_find_nobody(self):
        """The lookup reads the phone lines, which portal users may not read at all: it would
        tell them whose secondary number a number is."""
        portal = new_test_user(self.env, login="cm_portal", name="Portal Pete", groups="base.group_portal")
        portal.partner_id.phone = "+371 29 111 222"
        colleague = self.Partner.create({"name": "Colleague", "parent_id": portal.partner_id.id})
        colleague.write({"phone_ids": [(0, 0, {"number": "+371 29 333 444"})], "phone": "+371 29 555 666"})
        Partner = self.Partner.with_user(portal)
        self.assertFalse(Partner.find_by_phone("+371 26 123 456"), "another client is hidden by the portal rules")
        self.assertFalse(Partner.find_by_phone("+371 29 333 444"), "a colleague's secondary number is not told")
        self.assertFalse(Partner.find_by_phone("+371 29 111 222"))

    def test_odoo_rules_are_applied_on_the_lines_without_joining_clients(self):
        Partner = self.Partner.with_user(self.client_user)
        Partner.find_by_phone("+371 26 123 456")  # rules compiled once, then cached
        with self._lookup_sql() as statements:
            self.assertEqual(Partner.find_by_phone("+371 26 123 456"), self.lv)
        self.assertEqual(len(statements), 1, "one statement per lookup")
        self.assertFalse(
            re.search(r'"?\bres_partner\b"?(?!_)', statements[0]),
            f"the multi-company rule is applied to the lines' copies of the client's fields:\n{statements[0]}",
        )

    def test_copied_client_fields_follow_the_client(self):
        other_company = self.env["res.company"].create({"name": "Third Branch"})
        Partner = self.Partner.with_user(self.client_user)
        self.lv.company_id = other_company
        self.assertFalse(Partner.find_by_phone("+371 26 123 456"), "company copied on the lines")
        # an internal user's partner is readable in every company (Odoo's rule on partner_share)
        new_test_user(self.env, login="cm_lv_colleague", name="LV colleague", partner_id=self.lv.id)
        self.assertFalse(self.lv.partner_share)
        self.assertEqual(Partner.find_by_phone("+371 26 123 456"), self.lv, "partner_share copied on the lines")
        self.kz.action_archive()
        self.assertFalse(Partner.find_by_phone("+7 777 785 99 54"), "archiving copied on the lines")
        self.kz.action_unarchive()
        self.assertEqual(Partner.find_by_phone("+7 777 785 99 54"), self.kz)

    def test_merged_lines_take_the_kept_client_company(self):
        other_company = self.env["res.company"].create({"name": "Merge Branch"})
        kept = self.Partner.create({"name": "Kept", "company_id": other_company.id})
        gone = self.Partner.create({"name": "Gone", "phone": "+371 29 000 111", "company_id": other_company.id})
        wizard = self.env["base.partner.merge.automatic.wizard"].create({})
        wizard._merge((kept | gone).ids, kept, extra_checks=False)
        self.assertEqual(kept.phone_ids.company_id, other_company)
        user = self.client_user
        self.assertFalse(self.Partner.with_user(user).find_by_phone("+371 29 000 111"), "another company's")
        user.company_ids |= other_company
        Partner = self.Partner.with_user(user).with_context(allowed_company_ids=[user.company_id.id, other_company.id])
        self.assertEqual(Partner.find_by_phone("+371 29 000 111"), kept, "the moved number follows its new client")

    def test_other_record_rules_are_applied_through_the_clients(self):
        rule = self.env["ir.rule"].create(
            {
                "name": "Clients with reference SECRET are hidden from Clients users",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "groups": [(4, self.env.ref("client_management.group_client_user").id)],
                "domain_force": "[('ref', '!=', 'SECRET')]",
                "perm_read": True,
            }
        )
        self.lv.ref = "SECRET"
        Partner = self.Partner.with_user(self.client_user)
        self.assertFalse(Partner.find_by_phone("+371 26 123 456"), "a rule on a field the lines do not copy")
        self.assertEqual(Partner.find_by_phone("+7 777 785 99 54"), self.kz)
        rule.unlink()
        self.assertEqual(Partner.find_by_phone("+371 26 123 456"), self.lv, "the cached rules go with the rule")
