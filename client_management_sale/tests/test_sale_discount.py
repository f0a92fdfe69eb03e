from odoo.tests import Form, new_test_user, tagged

from .common import SaleClientCase


@tagged("post_install", "-at_install")
class TestSaleDiscount(SaleClientCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client.client_discount = 10

    def test_new_line_gets_the_client_discount(self):
        order = self._order(user=self.own, partner=self.contact)
        self.assertEqual(order.order_line.discount, 10, "a contact gets its company's discount")
        self.assertAlmostEqual(order.amount_untaxed, 90)

    def test_in_the_form_and_the_user_can_change_it(self):
        with Form(self.env["sale.order"].with_user(self.own)) as form:
            form.partner_id = self.client
            with form.order_line.new() as line:
                line.product_id = self.product
                self.assertEqual(line.discount, 10)
                line.discount = 3
        order = form.record
        self.assertEqual(order.order_line.discount, 3, "the user's discount stays")
        with Form(order.with_user(self.own)) as form, form.order_line.edit(0) as line:
            line.product_uom_qty = 5
        self.assertEqual(order.order_line.discount, 3, "a saved line keeps its discount")

    def test_discount_given_by_the_caller_stays(self):
        order = (
            self.env["sale.order"]
            .with_user(self.own)
            .create(
                {
                    "partner_id": self.client.id,
                    "order_line": [(0, 0, {"product_id": self.product.id, "discount": 4})],
                }
            )
        )
        self.assertEqual(order.order_line.discount, 4)

    def test_a_pricelist_discount_wins(self):
        pricelist = self.env["product.pricelist"].create(
            {
                "name": "CM 20% off",
                "item_ids": [(0, 0, {"compute_price": "percentage", "percent_price": 20, "applied_on": "3_global"})],
            }
        )
        self.env.ref("base.group_user").implied_ids += self.env.ref("sale.group_discount_per_so_line")
        order = self._order(user=self.own, pricelist_id=pricelist.id)
        self.assertEqual(order.order_line.discount, 20)

    def test_existing_lines_are_not_changed(self):
        order = self._order(user=self.own, partner=self.env["res.partner"].create({"name": "No Discount Yet"}))
        order.partner_id.client_discount = 15
        order.order_line.product_uom_qty = 3
        self.assertEqual(order.order_line.discount, 0)
        order.write({"order_line": [(0, 0, {"product_id": self.product.id})]})
        self.assertEqual(order.order_line.sorted("id")[-1].discount, 15, "the new line gets it")

    def test_update_prices_applies_the_discount_again(self):
        order = self._order(user=self.own)
        order.order_line.discount = 0
        order.with_user(self.own).action_update_prices()
        self.assertEqual(order.order_line.discount, 10, "updating the prices is asking for the client's discount")

    def test_without_the_discount_setting_nothing_is_applied(self):
        user = new_test_user(
            self.env,
            login="cm_sale_nodisc",
            groups="sales_team.group_sale_salesman,client_management.group_client_user",
        )
        if user.has_group("sale.group_discount_per_so_line"):
            user.group_ids -= self.env.ref("sale.group_discount_per_so_line")
        order = self._order(user=user)
        self.assertEqual(order.order_line.discount, 0, "a hidden discount column gets no discount")

    def test_client_of_another_company_applies_in_its_company(self):
        order = self._order(user=self.foreign, company=self.other_company)
        self.assertEqual(order.order_line.discount, 10)
