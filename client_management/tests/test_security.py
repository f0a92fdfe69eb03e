from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ClientCase


@tagged("post_install", "-at_install")
class TestSecurity(ClientCase):
    def test_groups_in_clients_privilege(self):
        user_group = self.env.ref("client_management.group_client_user")
        manager_group = self.env.ref("client_management.group_client_manager")
        self.assertEqual(user_group.privilege_id.name, "Clients")
        self.assertIn(user_group, manager_group.implied_ids)
        self.assertTrue(self.client_manager.has_group("client_management.group_client_user"))
        self.assertFalse(self.client_user.has_group("client_management.group_client_manager"))

    def test_client_user_creates_and_edits_clients(self):
        partner = (
            self.env["res.partner"]
            .with_user(self.client_user)
            .create(
                {
                    "name": "Made by user",
                    "is_conflict": True,
                    "conflict_note": "Rude",
                }
            )
        )
        partner.with_user(self.client_user).write({"is_supplier": True})
        self.assertTrue(partner.is_supplier)

    def test_plain_employee_cannot_create_clients(self):
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.plain_user).create({"name": "Nope"})

    def test_tag_merge_is_for_administrators(self):
        tag = self.env["res.partner.category"].create({"name": "Tag"})
        with self.assertRaises(AccessError):
            self.env["client.tag.merge"].with_user(self.client_user).create(
                {
                    "tag_ids": [(6, 0, tag.ids)],
                    "target_tag_id": tag.id,
                }
            )
        wizard = (
            self.env["client.tag.merge"]
            .with_user(self.client_manager)
            .create(
                {
                    "tag_ids": [(6, 0, tag.ids)],
                    "target_tag_id": tag.id,
                }
            )
        )
        self.assertTrue(wizard)

    def test_mass_reassignment_is_for_clients_users(self):
        partner = self.env["res.partner"].create({"name": "Someone"})
        wizard = (
            self.env["client.assign.manager"]
            .with_user(self.client_user)
            .create({"partner_ids": [(6, 0, partner.ids)], "user_id": self.client_user.id})
        )
        wizard.action_assign()
        self.assertEqual(partner.user_id, self.client_user)
        action = self.env.ref("client_management.action_assign_manager")
        self.assertIn(self.env.ref("client_management.group_client_user"), action.group_ids)
        with self.assertRaises(AccessError):
            self.env["client.assign.manager"].with_user(self.plain_user).create(
                {"partner_ids": [(6, 0, partner.ids)], "user_id": self.plain_user.id}
            )

    def test_clients_users_create_phone_types_from_a_line_but_only_admins_change_them(self):
        Types = self.env["res.partner.phone.type"]
        type_id, _name = Types.with_user(self.client_user).name_create("Dacha")
        created = Types.browse(type_id)
        self.assertEqual(created.name, "Dacha")
        with self.assertRaises(AccessError):
            created.with_user(self.client_user).write({"name": "Summer house"})
        with self.assertRaises(AccessError):
            created.with_user(self.client_user).unlink()
        with self.assertRaises(AccessError):
            Types.with_user(self.plain_user).name_create("Boat")
        created.with_user(self.client_manager).write({"name": "Summer house"})
        arch = (
            self.env["res.partner.phone"]
            .with_user(self.client_user)
            .get_views([(False, "list")])["views"]["list"]["arch"]
        )
        self.assertNotIn("no_create&quot;: True", arch)

    def _visible_menus(self, user):
        return self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()

    def test_menus_by_group(self):
        root = self.env.ref("client_management.menu_clients_root")
        config = self.env.ref("client_management.menu_clients_config")
        self.assertIn(root.id, self._visible_menus(self.client_user))
        self.assertNotIn(config.id, self._visible_menus(self.client_user))
        self.assertIn(config.id, self._visible_menus(self.client_manager))
        self.assertNotIn(root.id, self._visible_menus(self.plain_user))

    def test_actions_bound_by_group(self):
        bindings_user = self.env["ir.actions.actions"].with_user(self.client_user).get_bindings("res.partner")
        bindings_manager = self.env["ir.actions.actions"].with_user(self.client_manager).get_bindings("res.partner")
        names_user = {a["name"] for a in bindings_user.get("action", [])}
        names_manager = {a["name"] for a in bindings_manager.get("action", [])}
        self.assertIn("Assign responsible manager", names_user)
        self.assertIn("Assign responsible manager", names_manager)
        names_plain = {
            a["name"]
            for a in self.env["ir.actions.actions"]
            .with_user(self.plain_user)
            .get_bindings("res.partner")
            .get("action", [])
        }
        self.assertNotIn("Assign responsible manager", names_plain)
