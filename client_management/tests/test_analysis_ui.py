from odoo.tests import HttpCase, tagged

from .test_invoicing_common import InvoicingCase


@tagged("post_install", "-at_install")
class TestAnalysisUi(HttpCase, InvoicingCase):
    def test_analysis_presets_tour(self):
        """An accountant opens Channel effectiveness, Analysis and the Clients graph and pivot."""
        self.accountant.password = "cm_accountant"
        channel = self.env["utm.source"].create({"name": "CM tour channel"})
        client = self.Partner.create({"name": "Tour Analysis Client", "acquisition_source_id": channel.id})
        self.make_move(client, amount=250)
        self.flush_tracking()
        self.start_tour("/odoo/client-channels", "client_management_analysis_tour", login="cm_accountant")
