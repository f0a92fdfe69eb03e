from odoo.addons.client_management.tests.test_invoicing_common import InvoicingCase
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestClientsDashboardUi(HttpCase, InvoicingCase):
    def test_clients_dashboard_tour(self):
        """A Clients user opens the Clients dashboard, then a figure's list of clients."""
        self.client_user.password = "cm_user"
        self.Partner.create({"name": "Dashboard Tour Client"})
        dashboard = self.env.ref("client_management_spreadsheet_dashboard.spreadsheet_dashboard_clients")
        self.start_tour(
            f"/odoo/dashboards?dashboard_id={dashboard.id}", "client_management_dashboard_tour", login="cm_user"
        )

    def test_turnover_dashboard_tour(self):
        """An accountant opens the turnover dashboard."""
        self.accountant.password = "cm_accountant"
        self.make_move(self.client, amount=100)
        self.flush_tracking()
        dashboard = self.env.ref("client_management_spreadsheet_dashboard.spreadsheet_dashboard_clients_accounting")
        self.start_tour(
            f"/odoo/dashboards?dashboard_id={dashboard.id}",
            "client_management_dashboard_turnover_tour",
            login="cm_accountant",
        )
