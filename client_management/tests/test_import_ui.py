from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestImportWizardUi(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env, login="cm_import_tour", name="Import Tour User", groups="client_management.group_client_user"
        )

    def test_import_wizard_tour(self):
        """A Clients user uploads a CSV, sees the guessed mapping and the preview, runs a dry run,
        imports, and opens the imported client."""
        self.start_tour("/odoo", "client_management_import_tour", login="cm_import_tour")
        partner = self.env["res.partner"].search([("name", "=", "Tour Imported Client")])
        self.assertEqual(partner.email, "tour.import@example.com")
        self.assertEqual(partner.user_id, self.user)

    def test_background_import_tour(self):
        """Above the size threshold the wizard hands the file to a background job with a progress bar."""
        self.env["ir.config_parameter"].sudo().set_param("client_management.import_background_size", "10")
        self.start_tour("/odoo", "client_management_import_background_tour", login="cm_import_tour")
        job = self.env["client.import.job"].search([("user_id", "=", self.user.id)])
        self.assertEqual((job.name, job.state), ("klienti.csv", "pending"))
        job._run(commit=False)
        self.assertEqual((job.state, job.created), ("done", 1))
