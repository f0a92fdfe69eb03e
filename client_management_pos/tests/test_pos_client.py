from odoo.addons.point_of_sale.tests.common import CommonPosTest
from odoo.tests import new_test_user, tagged

from .pos_search import pos_search_domain


@tagged("post_install", "-at_install")
class TestPosClient(CommonPosTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.config = cls.pos_config_usd
        cls.cashier = new_test_user(
            cls.env, login="cm_pos_cashier", name="CM Cashier", groups="base.group_user,point_of_sale.group_pos_user"
        )
        Partner = cls.env["res.partner"]
        cls.company_client = Partner.create(
            {
                "name": "Conflict Shop SIA",
                "is_company": True,
                "is_conflict": True,
                "conflict_note": "Paid with a bad cheque",
                "client_discount": 12,
            }
        )
        cls.contact = Partner.create({"name": "Janis Shop", "parent_id": cls.company_client.id})
        cls.own_discount = Partner.create(
            {"name": "Liga Shop", "parent_id": cls.company_client.id, "client_discount": 5}
        )
        cls.calm = Partner.create({"name": "Calm Shopper"})

    def _pos_read(self, partners, lang="en_US"):
        Partner = self.env["res.partner"].with_user(self.cashier).with_context(lang=lang)
        rows = Partner._load_pos_data_read(partners.with_env(Partner.env), self.config)
        return {row["id"]: row for row in rows}

    def test_cashier_gets_the_conflict_warning_of_a_client_and_of_its_contacts(self):
        rows = self._pos_read(self.company_client | self.contact | self.calm)
        for partner in (self.company_client, self.contact):
            with self.subTest(partner=partner.name):
                warning = rows[partner.id]["cm_pos_conflict_warning"]
                # the same text as the invoice's warning
                self.assertEqual(warning, partner._get_conflict_warning()["message"])
                self.assertIn("Conflict Shop SIA is marked as a conflict client.", warning)
                self.assertIn("Paid with a bad cheque", warning)
                self.assertEqual(rows[partner.id]["cm_pos_conflict_note"], "Paid with a bad cheque")
        self.assertFalse(rows[self.calm.id]["cm_pos_conflict_warning"], "no marker for an ordinary client")
        self.assertFalse(rows[self.calm.id]["cm_pos_conflict_note"])

    def test_cashier_gets_the_effective_discount(self):
        rows = self._pos_read(self.company_client | self.contact | self.own_discount | self.calm)
        self.assertEqual(rows[self.company_client.id]["cm_pos_discount"], 12)
        self.assertEqual(rows[self.contact.id]["cm_pos_discount"], 12, "a contact without one gets its company's")
        self.assertEqual(rows[self.own_discount.id]["cm_pos_discount"], 5, "its own discount wins")
        self.assertEqual(rows[self.calm.id]["cm_pos_discount"], 0)

    def test_session_loading_and_later_searches_carry_the_fields(self):
        """The partners of the session's first load and those found later by the customer
        search (``get_new_partner``) have the fields."""
        self.config.with_user(self.cashier).open_ui()
        session = self.config.current_session_id.with_user(self.cashier)
        params = session.load_data_params()["res.partner"]["fields"]
        for field in ("cm_pos_conflict_warning", "cm_pos_discount", "cm_pos_phone_numbers", "is_conflict"):
            self.assertIn(field, params)
        found = (
            self.env["res.partner"]
            .with_user(self.cashier)
            .get_new_partner(self.config.id, pos_search_domain("Janis Shop"), 0)["res.partner"]
        )
        self.assertEqual([row["id"] for row in found], self.contact.ids)
        self.assertIn("Paid with a bad cheque", found[0]["cm_pos_conflict_warning"])
        self.assertEqual(found[0]["cm_pos_discount"], 12)

    def test_warning_in_the_cashier_language(self):
        self.env["res.lang"]._activate_lang("lv_LV")
        self.env["ir.module.module"]._load_module_terms(["client_management"], ["lv_LV"], overwrite=True)
        warning = self._pos_read(self.contact, lang="lv_LV")[self.contact.id]["cm_pos_conflict_warning"]
        self.assertIn("Conflict Shop SIA ir atzīmēts kā konflikta klients.", warning)
        self.assertIn("Paid with a bad cheque", warning)

    def test_users_outside_the_company_staff_do_not_get_the_internal_fields(self):
        portal = new_test_user(self.env, login="cm_pos_portal", groups="base.group_portal")
        fields_list = self.env["res.partner"].with_user(portal)._load_pos_data_fields(self.config)
        self.assertNotIn("cm_pos_conflict_warning", fields_list)
        self.assertNotIn("client_discount", fields_list)
        pos_fields = {"cm_pos_conflict_warning", "cm_pos_conflict_note", "cm_pos_discount", "cm_pos_phone_numbers"}
        self.assertFalse(pos_fields & set(self.env["res.partner"].with_user(portal).fields_get()), "not even listed")
        cashier_fields = self.env["res.partner"].with_user(self.cashier)._load_pos_data_fields(self.config)
        self.assertIn("cm_pos_discount", cashier_fields)

    def test_a_contact_whose_company_the_cashier_may_not_read(self):
        """The company of a contact can be another company's client (the cashier may not read
        it): the POS still loads the contact, with its company's flag and discount."""
        other = self.env["res.company"].create({"name": "CM POS Elsewhere"})
        company = self.env["res.partner"].create(
            {
                "name": "Elsewhere Conflict SIA",
                "is_company": True,
                "company_id": other.id,
                "is_conflict": True,
                "conflict_note": "Disputed delivery",
                "client_discount": 7,
            }
        )
        contact = self.env["res.partner"].create({"name": "Elsewhere Buyer", "parent_id": company.id})
        contact.company_id = False
        self.assertFalse(company.with_user(self.cashier).has_access("read"))
        self.assertTrue(contact.with_user(self.cashier).has_access("read"))
        row = self._pos_read(contact)[contact.id]
        self.assertIn("Disputed delivery", row["cm_pos_conflict_warning"])
        self.assertEqual(row["cm_pos_discount"], 7)
