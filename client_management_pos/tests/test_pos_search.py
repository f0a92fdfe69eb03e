from odoo.addons.point_of_sale.tests.common import CommonPosTest
from odoo.tests import new_test_user, tagged

from .pos_search import pos_search_domain


@tagged("post_install", "-at_install")
class TestPosCustomerSearch(CommonPosTest):
    """The customer search of the point of sale finds a client from a number typed in any
    format, through the indexed lookup of ``find_by_phone``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.config = cls.pos_config_usd
        cls.env.company.partner_id.country_id = cls.env.ref("base.kz")  # numbers without "+" are Kazakh
        cls.cashier = new_test_user(
            cls.env,
            login="cm_pos_search_cashier",
            name="CM Search Cashier",
            groups="base.group_user,point_of_sale.group_pos_user",
        )
        cls.client = cls.env["res.partner"].create({"name": "Aigerim Number", "phone": "+7 777 785 9954"})
        cls.env["res.partner.phone"].create({"partner_id": cls.client.id, "number": "+371 26 123 456"})
        cls.other_company = cls.env["res.company"].create({"name": "CM POS Other Company"})
        cls.foreign = cls.env["res.partner"].create(
            {"name": "Foreign Number", "phone": "+7 777 111 2233", "company_id": cls.other_company.id}
        )

    def _pos_search(self, text, user=None):
        Partner = self.env["res.partner"].with_user(user or self.cashier)
        rows = Partner.get_new_partner(self.config.id, pos_search_domain(text), 0)["res.partner"]
        return {row["id"] for row in rows}

    def test_a_number_in_any_format_finds_the_client(self):
        for text in ("8 777 785 99 54", "+7 777 785 9954", "0037126123456", "+371 26123456", "8(777)785-99-54"):
            with self.subTest(text=text):
                self.assertIn(self.client.id, self._pos_search(text))

    def test_odoo_own_search_misses_these_formats(self):
        """Without the addon's lookup, Odoo's domain does not find the client written nationally
        (what this addon adds)."""
        Partner = self.env["res.partner"].with_user(self.cashier)
        self.assertNotIn(self.client, Partner.search(pos_search_domain("8 777 785 99 54")))
        self.assertNotIn(self.client, Partner.search(pos_search_domain("0037126123456")))

    def test_names_and_partial_numbers_are_searched_as_before(self):
        self.assertEqual(self._pos_search("Aigerim"), {self.client.id})
        self.assertIn(self.client.id, self._pos_search("785"), "a part of the number, as Odoo finds it")
        self.assertNotIn(self.client.id, self._pos_search("8 777 785 99 55"), "another number")

    def test_the_cashier_finds_only_the_clients_he_may_read(self):
        self.assertNotIn(self.foreign.id, self._pos_search("+7 777 111 2233"), "another company's client")
        self.client.active = False
        self.assertNotIn(self.client.id, self._pos_search("8 777 785 99 54"), "an archived client")

    def test_the_loaded_client_carries_its_numbers_for_the_list_filter(self):
        rows = self.env["res.partner"].with_user(self.cashier)._load_pos_data_read(self.client, self.config)
        self.assertEqual(sorted(rows[0]["cm_pos_phone_numbers"].split()), ["371-26123456", "7-7777859954"])
