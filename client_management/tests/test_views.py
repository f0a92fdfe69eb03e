from lxml import etree

from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import ClientCase


@tagged("post_install", "-at_install")
class TestViews(ClientCase):
    def _arch(self, view_type):
        return etree.fromstring(self.Partner.with_user(self.client_user).get_view(view_type=view_type)["arch"])

    def test_search_by_name_code_email_vat(self):
        partner = self.Partner.create(
            {
                "name": "Jana Dvořáková",
                "ref": "OLD-7781",
                "email": "jana@example.cz",
                "vat": "CZ27082440",
            }
        )
        search = self._arch("search")
        name_field = search.xpath("//field[@name='name']")[0]
        filter_domain = name_field.get("filter_domain")
        for needle in ("OLD-7781", "jana@example", "CZ27082440", "Dvořáková"):
            domain = safe_eval(filter_domain, {"self": needle})
            self.assertIn(partner, self.Partner.search(domain), f"searching {needle!r} misses the client")
        for field in ("ref", "vat", "email", "category_id", "user_id", "acquisition_source_id"):
            self.assertTrue(search.xpath(f"//field[@name='{field}']"), f"no search on {field}")
        self.assertTrue(search.xpath("//field[@name='phone_mobile_search' or @name='phone']"), "no search on phone")

    def test_filters_and_group_bys(self):
        search = self._arch("search")
        for name in (
            "type_person",
            "type_company",
            "filter_supplier",
            "filter_conflict",
            "filter_active",
            "inactive",
            "filter_my_clients",
            "filter_birthday_week",
            "filter_birthday_month",
        ):
            self.assertTrue(search.xpath(f"//filter[@name='{name}']"), f"filter {name} missing")
        for name in ("salesperson", "group_supplier", "group_acquisition_source", "group_category"):
            self.assertTrue(search.xpath(f"//filter[@name='{name}']"), f"group by {name} missing")

    def test_filters_select_the_right_clients(self):
        supplier = self.Partner.create({"name": "Supp", "is_supplier": True})
        conflict = self.Partner.create({"name": "Conf", "is_conflict": True})
        plain = self.Partner.create({"name": "Plain", "user_id": self.client_user.id})
        archived = self.Partner.create({"name": "Gone", "active": False})
        ours = supplier | conflict | plain | archived
        search = self._arch("search")

        def run(filter_name):
            domain = search.xpath(f"//filter[@name='{filter_name}']")[0].get("domain")
            domain = safe_eval(domain, {"uid": self.client_user.id})
            scoped = self.Partner.with_user(self.client_user).with_context(active_test=False)
            return scoped.search([("id", "in", ours.ids), *domain])

        self.assertEqual(run("filter_supplier"), supplier)
        self.assertEqual(run("filter_conflict"), conflict)
        self.assertEqual(run("filter_my_clients"), plain)
        self.assertEqual(run("inactive"), archived)
        self.assertEqual(run("filter_active"), supplier | conflict | plain)

    def test_list_marks_supplier_and_conflict_with_optional_columns(self):
        tree = self._arch("list")
        self.assertFalse(tree.get("decoration-danger"), "no row decoration reading an internal field")
        truck = tree.xpath("//button[@icon='fa-truck']")
        marker = tree.xpath("//button[@icon='fa-exclamation-triangle']")
        self.assertTrue(truck and marker, "supplier and conflict markers missing from the list")
        self.assertEqual(truck[0].get("invisible"), "not is_supplier")
        self.assertEqual(marker[0].get("invisible"), "not is_conflict")
        optional = {f.get("name") for f in tree.xpath("//field[@optional]")}
        self.assertTrue({"ref", "user_id", "category_id", "acquisition_source_id", "birthdate"} <= optional)

    def test_marker_buttons(self):
        partner = self.Partner.create({"name": "Marked", "is_conflict": True, "conflict_note": "Shouted at staff"})
        note = partner.with_user(self.client_user).action_show_conflict_note()
        self.assertEqual(note["params"]["message"], "Shouted at staff")
        self.assertEqual(note["params"]["type"], "danger")
        # a Clients user without accounting rights gets the card, an accountant the bills
        card = partner.with_user(self.client_user).action_open_supplier_bills()
        self.assertEqual((card["res_model"], card["res_id"]), ("res.partner", partner.id))
        accountant = new_test_user(self.env, login="cm_acc", groups="account.group_account_invoice")
        bills = partner.with_user(accountant).action_open_supplier_bills()
        self.assertEqual(bills["res_model"], "account.move")
        self.assertIn(("partner_id", "child_of", partner.id), bills["domain"])

    def test_kanban_marks_supplier_and_conflict(self):
        kanban = self._arch("kanban")
        self.assertTrue(kanban.xpath("//i[contains(@class, 'fa-truck')]"))
        self.assertTrue(kanban.xpath("//i[contains(@class, 'fa-exclamation-triangle')]"))

    def test_clients_menu_structure(self):
        root = self.env.ref("client_management.menu_clients_root")
        children = self.env["ir.ui.menu"].search([("parent_id", "child_of", root.id)])
        actions = {menu.action for menu in children if menu.action}
        self.assertIn(self.env.ref("client_management.action_clients"), actions)
        self.assertIn(self.env.ref("client_management.action_suppliers"), actions)
        self.assertIn(self.env.ref("client_management.action_acquisition_channels"), actions)
        self.assertIn(self.env.ref("client_management.action_client_tags"), actions)
        self.assertEqual(
            self.env.ref("client_management.action_clients").view_mode.split(",")[:3], ["kanban", "list", "form"]
        )
