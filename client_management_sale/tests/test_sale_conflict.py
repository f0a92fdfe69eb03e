from odoo.tests import Form, new_test_user, tagged

from .common import SaleClientCase


@tagged("post_install", "-at_install")
class TestSaleConflict(SaleClientCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client.write({"is_conflict": True, "conflict_note": "Pays only in advance"})

    def test_picking_a_conflict_client_warns_with_the_note(self):
        for user in (self.own, self.all_docs, self.foreign):
            with self.subTest(user=user.login):
                order = self.env["sale.order"].with_user(user).new({"partner_id": self.client.id})
                warning = order._onchange_partner_id_conflict_warning()["warning"]
                self.assertEqual(warning["title"], "Conflict client")
                self.assertIn("Sale Client SIA", warning["message"])
                self.assertIn("Pays only in advance", warning["message"])

    def test_a_contact_of_a_conflict_company_warns_too(self):
        order = self.env["sale.order"].with_user(self.own).new({"partner_id": self.contact.id})
        warning = order._onchange_partner_id_conflict_warning()["warning"]
        self.assertIn("Pays only in advance", warning["message"])

    def test_the_form_onchange_returns_the_warning(self):
        """The warning comes back from the form's onchange, as the browser gets it."""
        result = (
            self.env["sale.order"]
            .with_user(self.own)
            .onchange({"partner_id": self.contact.id}, ["partner_id"], {"partner_id": {}})
        )
        self.assertIn("Pays only in advance", result["warning"]["message"])

    def test_no_warning_for_an_ordinary_client(self):
        other = self.env["res.partner"].create({"name": "Calm Client"})
        order = self.env["sale.order"].with_user(self.own).new({"partner_id": other.id})
        self.assertIsNone(order._onchange_partner_id_conflict_warning())
        with Form(self.env["sale.order"].with_user(self.own)) as form:
            form.partner_id = other
            form.order_line.new().product_id = self.product

    def test_marker_on_the_order_list_and_kanban(self):
        order = self._order(user=self.own, partner=self.contact)
        calm = self._order(user=self.own, partner=self.env["res.partner"].create({"name": "Calm"}))
        self.assertTrue(order.cm_partner_is_conflict)
        self.assertFalse(calm.cm_partner_is_conflict)
        SaleOrder = self.env["sale.order"].with_user(self.own)
        for view_type in ("list", "kanban"):
            arch = SaleOrder.get_view(
                self.env.ref("sale.view_quotation_tree").id if view_type == "list" else None, view_type
            )["arch"]
            self.assertIn("cm_partner_is_conflict", arch)
            self.assertIn("fa-exclamation-triangle", arch)
        action = order.with_user(self.own).action_cm_show_conflict_note()
        self.assertIn("Pays only in advance", action["params"]["message"])

    def test_customers_never_get_the_marker(self):
        portal = new_test_user(self.env, login="cm_sale_portal", groups="base.group_portal")
        self.assertNotIn("cm_partner_is_conflict", self.env["sale.order"].with_user(portal).fields_get())
