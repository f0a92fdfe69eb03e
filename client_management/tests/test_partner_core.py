from datetime import date

from odoo import Command
from odoo.tests import freeze_time, tagged
from odoo.tools.safe_eval import safe_eval

from .common import ClientCase


@tagged("post_install", "-at_install")
class TestPartnerCore(ClientCase):
    def test_company_type_switch_labels(self):
        selection = dict(self.Partner._fields["company_type"]._description_selection(self.env))
        self.assertEqual(selection, {"person": "Individual", "company": "Company"})
        company = self.Partner.create({"name": "Acme SIA", "company_type": "company"})
        self.assertTrue(company.is_company)
        company.company_type = "person"
        self.assertFalse(company.is_company)

    def test_form_labels_follow_type(self):
        arch = self.Partner.get_view(view_type="form")["arch"]
        self.assertIn('placeholder="Client name"', arch)
        self.assertIn('placeholder="Company name"', arch)
        self.assertIn("o_client_conflict_banner", arch)

    def test_code_from_sequence_and_default_name(self):
        Clients = self.Partner.with_context(cm_client_code=True)
        first = Clients.create({"name": "Anna Bērziņa"})
        second = Clients.create({"name": "Jan Novák"})
        self.assertTrue(first.ref and second.ref)
        self.assertNotEqual(first.ref, second.ref)
        self.assertTrue(first.ref.startswith("C"))
        unnamed = Clients.create({})
        self.assertEqual(unnamed.name, f"Client {unnamed.ref}")
        explicit = Clients.create({"name": "Kept Code", "ref": "OLD-42"})
        self.assertEqual(explicit.ref, "OLD-42")
        action = self.env.ref("client_management.action_clients")
        self.assertIn("default_cm_client_code", action.context, "clients created in the Clients app get a code")
        in_app = self.Partner.with_context(default_cm_client_code=True).create({"name": "From the app"})
        self.assertTrue(in_app.ref)

    def test_existing_contacts_got_codes_at_install(self):
        company_partner = self.env.ref("base.main_partner")
        admin_partner = self.env.ref("base.partner_admin")
        self.assertFalse(company_partner.ref, "the company's own partner is no client")
        self.assertFalse(admin_partner.ref, "an internal user's partner is no client")
        new = self.Partner.with_context(cm_client_code=True).create({"name": "Newcomer"})
        clashing = self.Partner.with_context(active_test=False).search_count([("ref", "=", new.ref)])
        self.assertEqual(clashing, 1, "codes drawn after the install never repeat the install's codes")

    def test_responsible_manager_defaults_to_creator(self):
        partner = self.Partner.with_user(self.client_user).with_context(cm_client_code=True).create({"name": "P. N."})
        self.assertEqual(partner.user_id, self.client_user)
        self.assertEqual(self.Partner._fields["user_id"].string, "Responsible manager")
        elsewhere = self.Partner.with_user(self.client_user).create({"name": "From another app"})
        self.assertFalse(elsewhere.user_id, "partners created by other apps keep Odoo's default")

    def test_flags_and_fields_tracked_in_chatter(self):
        source = self.env["utm.source"].create({"name": "Radio ad"})
        tag = self.env["res.partner.category"].create({"name": "Wholesale"})
        partner = self.Partner.create({"name": "Ivan Petrov"})
        self.flush_tracking()
        partner.write(
            {
                "is_supplier": True,
                "is_conflict": True,
                "conflict_note": "Refused to pay in 2025",
                "birthdate": date(1980, 5, 17),
                "acquisition_source_id": source.id,
                "user_id": self.client_manager.id,
                "category_id": [Command.link(tag.id)],
            }
        )
        tracked = {
            field: self.tracked_values(partner, field)
            for field in (
                "is_supplier",
                "is_conflict",
                "conflict_note",
                "birthdate",
                "acquisition_source_id",
                "user_id",
                "category_id",
            )
        }
        for field, values in tracked.items():
            self.assertTrue(values, f"{field} change is not in the chatter")
        self.assertEqual(tracked["conflict_note"][-1][1], "Refused to pay in 2025")
        self.assertEqual(tracked["acquisition_source_id"][-1][1], "Radio ad")
        self.assertEqual(tracked["user_id"][-1][1], "Mark Manager")

    def test_archiving_hides_client(self):
        partner = self.Partner.create({"name": "Old Client"})
        self.flush_tracking()
        partner.action_archive()
        self.assertFalse(self.Partner.search([("name", "=", "Old Client")]))
        self.assertEqual(
            self.Partner.with_context(active_test=False).search([("name", "=", "Old Client"), ("active", "=", False)]),
            partner,
        )
        self.assertEqual(self.tracked_values(partner, "active")[-1][1], 0)


@tagged("post_install", "-at_install")
class TestBirthdays(ClientCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.this_week = cls.Partner.create({"name": "Week", "birthdate": date(1990, 11, 20)})
        cls.this_month = cls.Partner.create({"name": "Month", "birthdate": date(1985, 11, 2)})
        cls.next_month = cls.Partner.create({"name": "December", "birthdate": date(1990, 12, 20)})
        cls.leap = cls.Partner.create({"name": "Leap", "birthdate": date(2000, 2, 29)})
        cls.none = cls.Partner.create({"name": "Unknown"})
        cls.all = cls.this_week | cls.this_month | cls.next_month | cls.leap | cls.none

    def _found(self, domain):
        return self.Partner.search([("id", "in", self.all.ids), *domain])

    @freeze_time("2026-11-18")
    def test_birthday_this_week_and_month(self):
        self.assertEqual(self._found([("is_birthday_this_week", "=", True)]), self.this_week)
        self.assertEqual(self._found([("is_birthday_this_month", "=", True)]), self.this_week | self.this_month)
        self.assertEqual(
            self._found([("is_birthday_this_week", "=", False)]),
            self.all - self.this_week,
        )
        self.assertTrue(self.this_week.is_birthday_this_week)
        self.assertFalse(self.this_month.is_birthday_this_week)

    @freeze_time("2026-11-18")
    def test_not_birthday_this_month_returns_everyone_else(self):
        """The negated filter (a *not* in the search, or `= False`) is the exact complement: the
        clients without a birthdate and those born in other months."""
        expected = self.next_month | self.leap | self.none
        self.assertEqual(self._found([("is_birthday_this_month", "=", False)]), expected)
        self.assertEqual(self._found([("is_birthday_this_month", "!=", True)]), expected)
        self.assertEqual(self._found(["!", ("is_birthday_this_month", "=", True)]), expected)
        self.assertEqual(self._found([("is_birthday_this_month", "not in", [True])]), expected)

    @freeze_time("2027-02-26")
    def test_leap_day_birthday_in_common_year(self):
        self.assertEqual(self._found([("is_birthday_this_week", "=", True)]), self.leap)

    @freeze_time("2026-11-18")
    def test_birthday_filters_in_search_view(self):
        arch = self.Partner.get_view(view_type="search")["arch"]
        self.assertIn('name="filter_birthday_week"', arch)
        self.assertIn('name="filter_birthday_month"', arch)


@tagged("post_install", "-at_install")
class TestSupplierAndConflict(ClientCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vendor = cls.Partner.create({"name": "Parts Supplier SIA", "is_company": True})
        cls.vendor_contact = cls.Partner.create({"name": "Anna", "parent_id": cls.vendor.id})
        cls.customer = cls.Partner.create({"name": "Plain Customer"})
        cls.product = cls.env["product.product"].create({"name": "Bolt", "standard_price": 10})
        if not cls.env.company.chart_template:
            cls.env["account.chart.template"].try_loading("generic_coa", cls.env.company, install_demo=False)

    def _move(self, move_type, partner):
        return self.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": date(2026, 11, 1),
                "invoice_line_ids": [Command.create({"product_id": self.product.id, "quantity": 1, "price_unit": 100})],
            }
        )

    def test_posting_vendor_bill_marks_supplier(self):
        bill = self._move("in_invoice", self.vendor_contact)
        self.flush_tracking()
        self.assertFalse(self.vendor.is_supplier)
        bill.action_post()
        self.assertTrue(self.vendor.is_supplier, "the commercial partner of a posted bill is a supplier")
        self.assertTrue(self.tracked_values(self.vendor, "is_supplier"))

    def test_customer_invoice_does_not_mark_supplier(self):
        invoice = self._move("out_invoice", self.customer)
        invoice.action_post()
        self.assertFalse(self.customer.is_supplier)

    def test_suppliers_menu_lists_only_suppliers(self):
        self.vendor.is_supplier = True
        action = self.env.ref("client_management.action_suppliers")
        found = self.Partner.search(safe_eval(action.domain))
        self.assertIn(self.vendor, found)
        self.assertNotIn(self.customer, found)
        menu = self.env.ref("client_management.menu_suppliers")
        self.assertEqual(menu.action, action)

    def test_conflict_warning_on_invoice_and_bill(self):
        self.customer.write({"is_conflict": True, "conflict_note": "Threatened staff"})
        for move_type in ("out_invoice", "in_invoice"):
            move = self.env["account.move"].new({"move_type": move_type, "partner_id": self.customer.id})
            result = move._onchange_partner_id_conflict_warning()
            self.assertTrue(result and result.get("warning"), move_type)
            self.assertIn("Threatened staff", result["warning"]["message"])
            self.assertIn("Plain Customer", result["warning"]["message"])
        quiet = self.env["account.move"].new({"move_type": "out_invoice", "partner_id": self.vendor.id})
        self.assertFalse(quiet._onchange_partner_id_conflict_warning())

    def test_conflict_of_company_warns_for_its_contacts(self):
        self.vendor.is_conflict = True
        move = self.env["account.move"].new({"move_type": "in_invoice", "partner_id": self.vendor_contact.id})
        result = move._onchange_partner_id_conflict_warning()
        self.assertIn("Parts Supplier SIA", result["warning"]["message"])


@tagged("post_install", "-at_install")
class TestWizards(ClientCase):
    def test_merge_tags_moves_clients_and_removes_tags(self):
        Tag = self.env["res.partner.category"]
        kept, dup1, dup2, other = Tag.create([{"name": n} for n in ("VIP", "vip", "V.I.P.", "Retail")])
        p1 = self.Partner.create({"name": "A", "category_id": [Command.set([dup1.id, other.id])]})
        p2 = self.Partner.create({"name": "B", "category_id": [Command.set([dup2.id, kept.id])]})
        p3 = self.Partner.create({"name": "C", "category_id": [Command.set([other.id])], "active": False})
        p3.category_id |= dup1
        wizard = (
            self.env["client.tag.merge"]
            .with_user(self.client_manager)
            .with_context(
                active_model="res.partner.category",
                active_ids=[kept.id, dup1.id, dup2.id],
            )
            .create({})
        )
        self.assertEqual(wizard.target_tag_id, kept)
        self.assertEqual(wizard.partner_count, 3)
        wizard.action_merge()
        self.assertFalse((dup1 | dup2).exists())
        self.assertEqual(p1.category_id, kept | other)
        self.assertEqual(p2.category_id, kept)
        self.assertEqual(p3.category_id, kept | other)

    def test_assign_manager_to_many_clients(self):
        partners = self.Partner.create([{"name": f"Client {i}"} for i in range(3)])
        self.flush_tracking()
        wizard = (
            self.env["client.assign.manager"]
            .with_user(self.client_manager)
            .with_context(
                active_model="res.partner",
                active_ids=partners.ids,
            )
            .create({"user_id": self.client_user.id})
        )
        wizard.action_assign()
        self.assertEqual(partners.user_id, self.client_user)
        self.assertTrue(self.tracked_values(partners[0], "user_id"))
