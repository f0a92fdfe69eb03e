from odoo.tests import Form, tagged

from .common import CrmClientCase


@tagged("post_install", "-at_install")
class TestCrmConflict(CrmClientCase):
    def _pick(self, user, partner):
        """Pick ``partner`` on a new opportunity as ``user``; the onchange warning, or None."""
        lead = self.Lead.with_user(user).new({"type": "opportunity", "name": "Picked"})
        lead.partner_id = partner.with_user(user)
        result = lead._onchange_partner_id_conflict_warning()
        return result and result["warning"]

    def test_picking_a_contact_of_a_conflict_company_warns_with_the_note(self):
        warning = self._pick(self.salesman, self.conflict_contact)
        self.assertEqual(warning["title"], "Conflict client")
        self.assertIn("Conflict Trading SIA", warning["message"])
        self.assertIn("Prepayment only, disputed invoice", warning["message"])
        self.assertIsNone(self._pick(self.salesman, self.quiet_client))

    def test_the_form_shows_the_warning(self):
        # the onchange a browser calls: the form logs the warning the user gets
        with self.assertLogs("odoo.tests.form.onchange", "WARNING") as logs:
            form = Form(self.Lead.with_user(self.salesman).with_context(default_type="opportunity"))
            form.name = "Form deal"
            form.partner_id = self.conflict_company
        self.assertIn("Prepayment only", logs.output[0])
        lead = form.save()
        self.assertEqual(lead.partner_id, self.conflict_company, "the warning does not block the choice")

    def test_salesman_of_another_company_is_warned_on_a_shared_client(self):
        shared = self.Partner.create({"name": "Shared Conflict", "is_conflict": True, "conflict_note": "Shouts"})
        self.assertFalse(shared.company_id)
        warning = self._pick(self.salesman_b, shared)
        self.assertIn("Shouts", warning["message"])

    def test_marker_on_list_and_kanban(self):
        own = self.opportunity(self.conflict_contact)
        plain = self.opportunity(self.quiet_client)
        leads = (own | plain).with_user(self.salesman)
        self.assertEqual(leads.mapped("partner_is_conflict"), [True, False])
        # the marker follows the flag of the company
        self.conflict_company.is_conflict = False
        self.assertFalse(own.with_user(self.salesman).partner_is_conflict)
        self.conflict_company.is_conflict = True
        Lead = self.Lead.with_user(self.salesman)
        for view_type in ("list", "kanban"):
            arch = Lead.get_view(view_type=view_type)["arch"]
            self.assertIn("o_cm_conflict_marker", arch, view_type)
        lead_list = Lead.get_view(self.env.ref("crm.crm_case_tree_view_leads").id, "list")["arch"]
        self.assertIn("action_cm_show_conflict_note", lead_list)
        note = own.with_user(self.salesman).action_cm_show_conflict_note()
        self.assertEqual(note["params"]["message"], "Prepayment only, disputed invoice")

    def test_marker_is_internal(self):
        field = self.Lead._fields["partner_is_conflict"]
        self.assertEqual(field.groups, "base.group_user")
        portal = self.env["res.users"].create(
            {
                "name": "Portal Pia",
                "login": "cm_crm_portal",
                "group_ids": [(6, 0, self.env.ref("base.group_portal").ids)],
            }
        )
        self.assertNotIn("partner_is_conflict", self.Lead.with_user(portal).fields_get())
