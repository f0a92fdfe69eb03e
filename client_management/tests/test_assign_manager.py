from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import ClientCase


@tagged("post_install", "-at_install")
class TestAssignManager(ClientCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.new_manager = new_test_user(
            cls.env,
            login="cm_new_manager",
            name="Nora Newmanager",
            groups="client_management.group_client_user",
            notification_type="email",
        )

    def assign(self, partners, manager, user=None):
        wizard = (
            self.env["client.assign.manager"]
            .with_user(user or self.client_manager)
            .with_context(active_model="res.partner", active_ids=partners.ids)
            .create({"user_id": manager.id})
        )
        return wizard.action_assign()

    def received(self, partner):
        """Notifications (inbox or e-mail) and e-mails that reached ``partner``."""
        self.flush_tracking()
        notifications = self.env["mail.notification"].search([("res_partner_id", "=", partner.id)])
        mails = self.env["mail.mail"].search([("recipient_ids", "in", partner.ids)])
        return notifications, mails

    def test_500_clients_one_summary_and_tracking_on_each(self):
        partners = self.Partner.create([{"name": f"Bulk client {i}"} for i in range(500)])
        self.flush_tracking()
        before, before_mails = self.received(self.new_manager.partner_id)

        result = self.assign(partners, self.new_manager)

        self.assertEqual(partners.user_id, self.new_manager)
        self.assertEqual(result["params"]["type"], "success")
        notifications, mails = self.received(self.new_manager.partner_id)
        notifications -= before
        mails -= before_mails
        self.assertEqual(len(notifications), 1, "one summary, not one notification per client")
        self.assertLessEqual(len(mails), 1)
        summary = notifications.mail_message_id
        self.assertIn("500 clients were assigned to you by Mark Manager", str(summary.body))
        self.assertIn("/odoo/my-clients", str(summary.body))
        self.assertEqual(summary.author_id, self.client_manager.partner_id)
        self.env.cr.execute(
            """SELECT count(DISTINCT m.res_id) FROM mail_tracking_value v
                 JOIN mail_message m ON m.id = v.mail_message_id
                 JOIN ir_model_fields f ON f.id = v.field_id
                WHERE m.model = 'res.partner' AND m.res_id = ANY(%s) AND f.name = 'user_id'
                  AND v.new_value_integer = %s""",
            [partners.ids, self.new_manager.id],
        )
        self.assertEqual(self.env.cr.fetchone()[0], 500, "each client's chatter shows the new manager")

    def test_one_client_is_named_in_the_notification(self):
        partner = self.Partner.create({"name": "Single client"})
        self.flush_tracking()
        before, _mails = self.received(self.new_manager.partner_id)
        self.assign(partner, self.new_manager)
        notifications, _mails = self.received(self.new_manager.partner_id)
        notifications -= before
        self.assertEqual(len(notifications), 1)
        self.assertIn("Single client was assigned to you by Mark Manager", str(notifications.mail_message_id.body))
        self.assertIn(f"/odoo/res.partner/{partner.id}", str(notifications.mail_message_id.body))

    def test_the_my_clients_link_lists_the_manager_clients(self):
        action = self.env.ref("client_management.action_my_clients")
        self.assertEqual(action.path, "my-clients")
        self.assertIn("search_default_filter_my_clients", action.context)
        view = self.env["res.partner"].with_user(self.new_manager).get_views([(action.search_view_id.id, "search")])
        self.assertIn('name="filter_my_clients"', view["views"]["search"]["arch"])

    def test_assigning_oneself_or_removing_the_manager_notifies_nobody(self):
        partners = self.Partner.create([{"name": "Mine 1"}, {"name": "Mine 2"}])
        self.flush_tracking()
        before, _mails = self.received(self.client_manager.partner_id)
        self.assign(partners, self.client_manager)
        self.assertEqual(partners.user_id, self.client_manager)
        self.assign(partners, self.env["res.users"])
        self.assertFalse(partners.user_id)
        notifications, _mails = self.received(self.client_manager.partner_id)
        self.assertEqual(notifications - before, self.env["mail.notification"])

    def test_only_clients_the_user_may_edit_are_reassigned(self):
        self.env["ir.rule"].create(
            {
                "name": "Locked clients are read-only for Clients users",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "groups": [(4, self.env.ref("client_management.group_client_user").id)],
                "domain_force": "[('ref', '!=', 'LOCKED')]",
                "perm_read": False,
                "perm_write": True,
                "perm_create": False,
                "perm_unlink": False,
            }
        )
        free = self.Partner.create({"name": "Free"})
        locked = self.Partner.create({"name": "Locked", "ref": "LOCKED"})
        result = self.assign(free | locked, self.new_manager)
        self.assertEqual(free.user_id, self.new_manager)
        self.assertFalse(locked.user_id, "a client the user may not edit is left alone")
        self.assertEqual(result["params"]["type"], "warning")
        self.assertIn("may not edit them: 1", result["params"]["message"])
        with self.assertRaisesRegex(UserError, "may not edit"):
            self.assign(locked, self.new_manager)
        self.assertFalse(locked.user_id)
