from odoo.tests import TransactionCase, new_test_user

SALESMAN = "sales_team.group_sale_salesman,client_management.group_client_user,sale.group_discount_per_so_line"


class SaleClientCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.other_company = cls.env["res.company"].create({"name": "CM Sale Other Company"})
        cls.own = new_test_user(cls.env, login="cm_sale_own", name="Own Salesman", groups=SALESMAN)
        cls.all_docs = new_test_user(
            cls.env,
            login="cm_sale_all",
            name="All Documents Salesman",
            groups=SALESMAN + ",sales_team.group_sale_salesman_all_leads",
        )
        cls.foreign = new_test_user(
            cls.env,
            login="cm_sale_foreign",
            name="Other Company Salesman",
            groups=SALESMAN + ",sales_team.group_sale_salesman_all_leads",
            company_id=cls.other_company.id,
            company_ids=[(6, 0, cls.other_company.ids)],
        )
        cls.client = cls.env["res.partner"].create({"name": "Sale Client SIA", "is_company": True})
        cls.contact = cls.env["res.partner"].create({"name": "Anna Sale", "parent_id": cls.client.id})
        cls.product = cls.env["product.product"].create(
            {"name": "CM Sale Service", "type": "service", "list_price": 100}
        )

    @classmethod
    def _order(cls, user=None, partner=None, company=None, **vals):
        env = cls.env(user=user) if user else cls.env
        company = company or cls.company
        return (
            env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": (partner or cls.client).id,
                    "company_id": company.id,
                    "order_line": [(0, 0, {"product_id": cls.product.id, "product_uom_qty": 1, "price_unit": 100})],
                    **vals,
                }
            )
        )
