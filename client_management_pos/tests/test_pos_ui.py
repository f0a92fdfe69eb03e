from odoo.addons.point_of_sale.tests.common_setup_methods import setup_product_combo_items
from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestPosClientUi(TestPointOfSaleHttpCommon):
    def test_conflict_client_marker_warning_search_and_discount(self):
        """The cashier types a number in the national format, sees the conflict client with the
        red marker and its note, picks it (the warning with the note pops up) and sells it a
        product: the line gets the client's discount, the same product again adds to it."""
        Partner = self.env["res.partner"]
        company = Partner.create(
            {
                "name": "AAA Tour Pos Conflict SIA",
                "is_company": True,
                "is_conflict": True,
                "conflict_note": "Cash only, no credit",
                "client_discount": 10,
            }
        )
        Partner.create({"name": "AAA Tour Pos Buyer", "parent_id": company.id, "phone": "+7 777 785 9954"})
        Partner.create({"name": "AAA Tour Pos Calm", "phone": "+371 26 000 111"})
        self.env["product.product"].create(
            {
                "name": "Tour Pos Product",
                "list_price": 100,
                "taxes_id": False,
                "available_in_pos": True,
                "type": "consu",
            }
        )
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.start_pos_tour("client_management_pos_conflict_tour", login="pos_user")

    def test_combo_items_get_the_client_discount_and_keep_it_once_paid(self):
        """A combo sold to a client with a personal discount: each item gets it, and the paid
        order keeps it on the server."""
        setup_product_combo_items(self)
        self.office_combo.write({"lst_price": 50, "barcode": "SuperCombo"})
        client = self.env["res.partner"].create({"name": "AAA Tour Pos Discount", "client_discount": 10})
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.start_pos_tour("client_management_pos_combo_discount_tour", login="pos_user")
        order = self.env["pos.order"].search([("partner_id", "=", client.id)])
        self.assertEqual(order.state, "paid")
        items = order.lines.filtered("combo_parent_id")
        self.assertEqual(len(items), 3)
        self.assertEqual(set(order.lines.mapped("discount")), {10.0}, "the combo and each of its items")
        for line in items:
            full = line.tax_ids.compute_all(line.price_unit, line.currency_id, line.qty, line.product_id)
            self.assertAlmostEqual(
                line.price_subtotal, full["total_excluded"] * 0.9, places=2, msg=line.full_product_name
            )

    def test_a_client_not_loaded_is_found_on_the_server_by_its_number(self):
        """The point of sale loads only some clients; Enter searches the others on the server,
        by a number written differently than stored."""
        self.env["ir.config_parameter"].sudo().set_param("point_of_sale.limited_customer_count", 5)
        self.env["res.partner"].create(
            {
                "name": "ZZZ Tour Pos Far",
                "country_id": self.env.ref("base.kz").id,
                "phone": "8 701 555 44 33",
                "is_conflict": True,
                "conflict_note": "Returned goods twice",
            }
        )
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.start_pos_tour("client_management_pos_server_search_tour", login="pos_user")
