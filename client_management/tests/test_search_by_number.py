from lxml import etree

from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import ClientCase


@tagged("post_install", "-at_install")
class TestSearchByNumber(ClientCase):
    """A number typed in any format in a partner picker or a customer search box finds the
    client through the phone lookup; names are found as before."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.kz")
        cls.env.flush_all()  # the lookup reads the company's country in SQL (saved long before, in use)
        cls.kz = cls.Partner.create(
            {"name": "Aigerim Nurlanovna", "country_id": cls.env.ref("base.kz").id, "phone": "+7 777 785 99 54"}
        )
        cls.lv = cls.Partner.create(
            {
                "name": "Jānis Bērziņš",
                "country_id": cls.env.ref("base.lv").id,
                "phone_ids": [(0, 0, {"number": "+371 67 000 000"}), (0, 0, {"number": "+371 26 123 456"})],
            }
        )
        cls.salesman = new_test_user(
            cls.env, login="cm_search_sales", name="Sam Search", groups="base.group_user,base.group_partner_manager"
        )

    def _names(self, text, user=None, **kwargs):
        Partner = self.Partner.with_user(user or self.client_user)
        return [pid for pid, _name in Partner.name_search(text, **kwargs)]

    def test_picker_finds_the_client_by_a_number_in_any_format(self):
        for written in ("8 777 785 99 54", "+7 777 785 9954", "8 (777) 785-99-54", "0077777859954"):
            with self.subTest(written=written):
                self.assertIn(self.kz.id, self._names(written), "read in the company's country (KZ)")
                self.assertNotIn(self.lv.id, self._names(written))
        # a secondary number, written with 00, of a client of another country
        self.assertEqual(self._names("0037126123456"), [self.lv.id])
        # a plain internal user (a salesman without Clients rights) finds the client too
        self.assertIn(self.kz.id, self._names("8 777 785 99 54", user=self.salesman))

    def test_default_region_is_the_users_company_country(self):
        # a client without a country: the number typed without +7 is read in the company's country
        nomad = self.Partner.create({"name": "No Country", "phone": "+7 701 123 45 67"})
        self.env.flush_all()
        self.assertIn(nomad.id, self._names("8 701 123 45 67"))
        self.env.company.country_id = self.env.ref("base.lv")
        self.env.flush_all()
        self.assertEqual(self._names("26 123 456"), [self.lv.id])

    def test_names_and_short_texts_behave_as_before(self):
        ours = [("id", "in", (self.kz | self.lv).ids)]
        self.assertEqual(self._names("Aigerim", domain=ours), [self.kz.id])
        self.assertEqual(self._names("Bērziņš", domain=ours), [self.lv.id])
        # a name gives exactly what Odoo's fields of the name search give
        for text in ("Aigerim", "Jānis", "a", "40003"):
            expected = self.Partner.with_user(self.client_user).search(
                [
                    "|",
                    "|",
                    "|",
                    "|",
                    ("complete_name", "ilike", text),
                    ("email", "ilike", text),
                    ("ref", "ilike", text),
                    ("vat", "ilike", text),
                    ("company_registry", "ilike", text),
                ]
            )
            self.assertEqual(sorted(self._names(text, limit=None)), sorted(expected.ids), text)
        # too few digits to be a number: the name search of Odoo only
        self.assertNotIn(self.kz.id, self._names("785 99"))
        # letters make it a name, not a number
        self.assertNotIn(self.kz.id, self._names("777 785 99 54 Nurlan"))
        # the exact match used by imports does not look numbers up
        self.assertEqual(self._names("8 777 785 99 54", operator="="), [])
        # the domain of the picker is still applied
        self.assertEqual(self._names("8 777 785 99 54", domain=[("is_company", "=", True)]), [])

    def test_only_clients_the_user_may_read(self):
        other_company = self.env["res.company"].create({"name": "Search Branch"})
        self.kz.company_id = other_company
        self.assertNotIn(self.kz.id, self._names("8 777 785 99 54"), "a client of a company the user is not in")
        self.client_user.company_ids |= other_company
        Partner = self.Partner.with_user(self.client_user).with_context(
            allowed_company_ids=[self.env.company.id, other_company.id]
        )
        self.assertIn(self.kz.id, [pid for pid, _n in Partner.name_search("8 777 785 99 54")])
        self.kz.company_id = False
        self.kz.action_archive()
        self.assertNotIn(self.kz.id, self._names("8 777 785 99 54"), "archived clients are not picked")

    def test_customer_search_box_of_invoices(self):
        invoice = self.env["account.move"].create({"move_type": "out_invoice", "partner_id": self.kz.id})
        other = self.env["account.move"].create({"move_type": "out_invoice", "partner_id": self.lv.id})
        found = self.env["account.move"].search([("partner_id", "ilike", "+7 777 785 9954")])
        self.assertIn(invoice, found)
        self.assertNotIn(other, found)
        # a search box field with operator child_of (quotations' and invoices' customer) too
        found = self.env["account.move"].search([("partner_id", "child_of", "8 777 785 99 54")])
        self.assertIn(invoice, found)
        self.assertNotIn(other, found)
        # and the partner list searched by display name (the search box's name field)
        self.assertEqual(self.Partner.search([("display_name", "ilike", "0037126123456")]), self.lv)

    def test_contacts_search_box_name_field_finds_a_number(self):
        """What the web client does with the text typed in the search box of the clients (and
        contacts) list: the name field's filter domain, with the text as ``self``."""
        arch = self.Partner.with_user(self.client_user).get_views([(False, "search")])["views"]["search"]["arch"]
        field = etree.fromstring(arch).xpath("//field[@name='name']")[0]
        Partner = self.Partner.with_user(self.client_user)
        for text, expected in (("8 777 785 99 54", self.kz), ("Bērziņš", self.lv), ("0037126123456", self.lv)):
            with self.subTest(text=text):
                domain = safe_eval(field.get("filter_domain"), {"self": text})
                self.assertIn(expected, Partner.search(domain))
