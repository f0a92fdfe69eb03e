"""The Clients list shows clients: not addresses, not internal users' or companies' partners."""

from odoo.tests import tagged
from odoo.tests.common import new_test_user
from odoo.tools.safe_eval import safe_eval

from .common import ClientCase


@tagged("post_install", "-at_install")
class TestClientList(ClientCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Clients = cls.Partner.with_user(cls.client_user).with_context(default_cm_client_code=True)
        cls.person = Clients.create({"name": "List Person Anna"})
        cls.company = Clients.create({"name": "List Company SIA", "is_company": True})
        cls.employee = Clients.create({"name": "List Employee Jānis", "parent_id": cls.company.id})
        cls.delivery = cls.Partner.create({"name": "List Warehouse", "parent_id": cls.company.id, "type": "delivery"})
        cls.invoice_address = cls.Partner.create(
            {"name": "List Accounts Dept", "parent_id": cls.company.id, "type": "invoice"}
        )
        cls.portal = new_test_user(
            cls.env, login="cm_list_portal", name="List Portal Customer", groups="base.group_portal"
        )
        cls.internal = new_test_user(cls.env, login="cm_list_staff", name="List Staff Member", groups="base.group_user")
        cls.other_company = cls.env["res.company"].create({"name": "List Other Company"})

    def clients_action_domain(self, user):
        """The records the Clients menu lists for ``user``: the action's default filter applied."""
        action = self.env.ref("client_management.action_clients")
        context = safe_eval(action.context)
        self.assertTrue(context.get("search_default_filter_clients"), "the Clients filter is on by default")
        arch = self.env.ref("base.view_res_partner_filter")
        view = self.Partner.with_user(user).get_views([(arch.id, "search")])["views"]["search"]["arch"]
        self.assertIn('name="filter_clients"', view, "the filter can be removed and put back from the search panel")
        return [("is_client", "=", True), ("name", "like", "List ")]

    def test_the_list_shows_persons_companies_and_portal_customers(self):
        domain = self.clients_action_domain(self.client_user)
        listed = self.Partner.with_user(self.client_user).search(domain)
        self.assertIn(self.person, listed)
        self.assertIn(self.company, listed)
        self.assertIn(self.employee, listed, "a person of a client company is a client")
        self.assertIn(self.portal.partner_id, listed, "a portal customer is a client")

    def test_addresses_users_and_companies_are_not_listed(self):
        domain = self.clients_action_domain(self.client_user)
        listed = self.Partner.with_user(self.client_user).search(domain)
        for partner in (self.delivery, self.invoice_address, self.internal.partner_id):
            self.assertNotIn(partner, listed, partner.name)
        everyone = self.Partner.with_user(self.client_user).search([("is_client", "=", True)])
        self.assertNotIn(self.env.company.partner_id, everyone, "the company's own partner is no client")
        self.assertNotIn(self.other_company.partner_id, everyone, "nor another company's")
        self.assertNotIn(self.client_user.partner_id, everyone, "nor the user's own partner")

    def test_without_the_filter_every_contact_shows_and_counts_follow(self):
        Partner = self.Partner.with_user(self.client_user)
        clients = Partner.search_count([("is_client", "=", True), ("name", "like", "List ")])
        others = Partner.search_count([("is_client", "=", False), ("name", "like", "List ")])
        everyone = Partner.search_count([("name", "like", "List ")])
        self.assertEqual(clients + others, everyone)
        self.assertEqual(others, 4, "delivery, invoice address, staff member, other company")
        groups = Partner._read_group([("is_client", "=", True), ("name", "like", "List ")], ["is_company"], ["__count"])
        self.assertEqual(
            dict(groups), {False: clients - 1, True: 1}, "the kanban's and list's groups count clients only"
        )

    def test_the_flag_follows_the_partner(self):
        self.assertTrue(self.person.is_client)
        self.assertFalse(self.delivery.is_client)
        self.assertFalse(self.internal.partner_id.is_client)
        self.delivery.type = "contact"
        self.assertTrue(self.delivery.is_client, "an address turned into a contact becomes a client")
        self.portal.write(
            {"group_ids": [(3, self.env.ref("base.group_portal").id), (4, self.env.ref("base.group_user").id)]}
        )
        self.assertFalse(self.portal.partner_id.is_client, "a customer who becomes an employee leaves the list")

    def test_the_card_shows_and_switches_active_or_archived(self):
        arch = self.Partner.with_user(self.client_user).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertRegex(arch, r'<field name="active"[^>]*widget="boolean_toggle"', "a switch on the card")
        self.assertIn('title="Archived"', arch, "Odoo's ribbon marks an archived card")
        self.person.with_user(self.client_user).active = False
        self.assertNotIn(self.person, self.Partner.with_user(self.client_user).search([("is_client", "=", True)]))
        self.person.with_user(self.client_user).active = True
        self.assertTrue(self.person.active)

    def test_phones_and_emails_take_the_cards_full_width(self):
        from lxml import etree

        arch = self.Partner.with_user(self.client_user).get_views([(False, "form")])["views"]["form"]["arch"]
        form = etree.fromstring(arch)
        for name in ("phone_ids", "email_ids"):
            (field,) = form.xpath(f"//field[@name='{name}']")
            self.assertFalse(
                [a for a in field.iterancestors() if a.tag == "group"],
                f"{name} is not squeezed into a column of a group",
            )
        self.assertEqual(
            [c.get("name") for c in form.xpath("//div[@name='contact_channels']/field")], ["phone_ids", "email_ids"]
        )
        lines = self.env["res.partner.phone"].with_user(self.client_user)
        list_arch = lines.get_views(
            [(self.env.ref("client_management.res_partner_phone_view_list_embedded").id, "list")]
        )
        (number,) = etree.fromstring(list_arch["views"]["list"]["arch"]).xpath("//field[@name='number']")
        self.assertTrue(number.get("width"), "the number column is wide enough for the whole number")
