from odoo.addons.client_management.tests.common import ClientCase
from odoo.tests import new_test_user


class CrmClientCase(ClientCase):
    """Salesmen of two companies (own leads only), a sales manager (all leads) and a conflict
    company with a contact."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "CRM Branch B"})
        cls.salesman = new_test_user(
            cls.env,
            login="cm_crm_sales",
            name="Sandra Sales",
            groups="sales_team.group_sale_salesman,client_management.group_client_user",
        )
        cls.other_salesman = new_test_user(
            cls.env, login="cm_crm_sales2", name="Oskars Other", groups="sales_team.group_sale_salesman"
        )
        cls.salesman_b = new_test_user(
            cls.env,
            login="cm_crm_sales_b",
            name="Bruno Branch",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )
        cls.sales_manager = new_test_user(
            cls.env, login="cm_crm_manager", name="Mara Manager", groups="sales_team.group_sale_manager"
        )
        cls.conflict_company = cls.Partner.create(
            {
                "name": "Conflict Trading SIA",
                "is_company": True,
                "is_conflict": True,
                "conflict_note": "Prepayment only, disputed invoice",
            }
        )
        cls.conflict_contact = cls.Partner.create({"name": "Ilze Conflict", "parent_id": cls.conflict_company.id})
        cls.quiet_client = cls.Partner.create({"name": "Quiet Client", "is_company": True})
        cls.Lead = cls.env["crm.lead"]

    def opportunity(self, partner, user=None, **values):
        return self.Lead.create(
            {
                "name": values.pop("name", f"Deal of {partner.name}"),
                "type": "opportunity",
                "partner_id": partner.id,
                "user_id": (user or self.salesman).id,
                **values,
            }
        )

    def commit_events(self):
        """Run what a commit runs before it: the queued timeline events."""
        self.env.flush_all()
        self.env.cr.precommit.run()
