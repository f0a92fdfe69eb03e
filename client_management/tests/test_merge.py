from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import html2plaintext

from .common import ClientCase
from .test_invoicing_common import InvoicingCase


def merge_in_wizard(partners, kept, user):
    """Merge ``partners`` into ``kept`` with Odoo's merge wizard, as ``user`` would."""
    wizard = (
        kept.env["base.partner.merge.automatic.wizard"]
        .with_user(user)
        .with_context(active_model="res.partner", active_ids=partners.ids)
        .create({})
    )
    wizard.dst_partner_id = kept
    return wizard.action_merge()


class MergeCase(ClientCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.settings_admin = new_test_user(
            cls.env,
            login="cm_settings_admin",
            name="Sandra Settings",
            groups="base.group_system,client_management.group_client_user",
        )


@tagged("post_install", "-at_install")
class TestMergeKeepsLines(MergeCase):
    def test_same_number_and_address_combine_their_flags(self):
        Partner = self.Partner.with_user(self.client_user)
        work = self.env.ref("client_management.phone_type_work")
        home = self.env.ref("client_management.phone_type_home")
        # numbers and addresses that cannot be parsed are kept as typed: their SMS / e-mail
        # opt-out is their own (not in Odoo's blacklists)
        kept = Partner.create({"name": "Kept", "phone": "ask reception", "email": "reception desk"})
        kept.write(
            {
                "phone_ids": [Command.create({"number": "+371 26 123 456", "is_primary": True, "type_id": work.id})],
                "email_ids": [Command.create({"email": "kept@example.lv", "is_primary": True})],
            }
        )
        kept.phone_ids.filtered(lambda line: line.number == "ask reception").type_id = False
        gone = Partner.create({"name": "Gone", "phone": "ask reception", "email": "reception desk"})
        gone.phone_ids.write({"whatsapp": True, "type_id": home.id, "sms": False})
        gone.email_ids.consent = False
        gone.write(
            {
                "phone_ids": [
                    Command.create({"number": "0037126123456", "whatsapp": True, "viber": True, "type_id": home.id}),
                    Command.create({"number": "+371 29 111 222", "viber": True, "sms": False, "type_id": home.id}),
                ],
                "email_ids": [
                    Command.create({"email": "Kept@Example.lv"}),
                    Command.create({"email": "gone@example.lv", "consent": False}),
                ],
            }
        )
        self.assertTrue(kept.phone_ids.filtered(lambda line: line.number == "ask reception").sms)
        self.assertTrue(kept.email_ids.filtered(lambda line: line.email == "reception desk").consent)

        merge_in_wizard(kept | gone, kept, self.settings_admin)

        self.assertFalse(gone.exists())
        phones = {line.number: line for line in kept.phone_ids}
        self.assertEqual(sorted(phones), ["+371 26 123 456", "+371 29 111 222", "ask reception"])
        self.assertRecordValues(
            phones["+371 26 123 456"],
            [{"is_primary": True, "whatsapp": True, "viber": True, "type_id": work.id, "sms": True}],
        )
        self.assertRecordValues(
            phones["ask reception"],
            [{"is_primary": False, "whatsapp": True, "viber": False, "type_id": home.id, "sms": False}],
        )
        self.assertRecordValues(
            phones["+371 29 111 222"],
            [{"is_primary": False, "whatsapp": False, "viber": True, "type_id": home.id, "sms": False}],
        )
        self.assertTrue(self.env["phone.blacklist"].search([("number", "=", "+37129111222")]), "opt-out kept")
        emails = {line.email: line for line in kept.email_ids}
        self.assertEqual(sorted(emails), ["gone@example.lv", "kept@example.lv", "reception desk"])
        self.assertRecordValues(emails["kept@example.lv"], [{"is_primary": True, "consent": True}])
        self.assertRecordValues(emails["reception desk"], [{"is_primary": False, "consent": False}])
        self.assertRecordValues(emails["gone@example.lv"], [{"is_primary": False, "consent": False}])
        self.assertEqual((kept.phone, kept.email), ("+371 26 123 456", "kept@example.lv"), "primary unchanged")

    def test_numbers_shared_by_merged_clients_only_are_one_line(self):
        Partner = self.Partner.with_user(self.client_user)
        kept = Partner.create({"name": "Kept"})
        first = Partner.create({"name": "First", "phone": "+371 26 555 000"})
        second = Partner.create({"name": "Second", "phone": "+371 26 555 000"})
        second.phone_ids.whatsapp = True
        merge_in_wizard(kept | first | second, kept, self.settings_admin)
        self.assertRecordValues(kept.phone_ids, [{"number_e164": "+37126555000", "whatsapp": True, "is_primary": True}])
        self.assertEqual(kept.phone, "+371 26 555 000")


@tagged("post_install", "-at_install")
class TestMergeBanner(MergeCase):
    def make_twins(self, count, emails=None):
        """A client and ``count`` duplicates sharing its number, each with a number of its own."""
        Partner = self.Partner.with_user(self.client_user)
        client = Partner.create({"name": "Client", "phone": "+371 26 000 100"})
        twins = Partner.browse()
        for i in range(count):
            twins |= Partner.create(
                {
                    "name": f"Twin {i}",
                    "email": (emails or {}).get(i),
                    "phone_ids": [
                        Command.create({"number": "0037126000100"}),
                        Command.create({"number": f"+371 26 000 2{i:02d}"}),
                    ],
                }
            )
        client.invalidate_recordset(["duplicate_partner_ids"])
        self.assertEqual(client.duplicate_partner_ids, twins)
        return client, twins

    def run_wizard(self, action, user):
        """Merge every group the wizard proposes; the clients kept at each screen."""
        self.assertEqual(action["res_model"], "base.partner.merge.automatic.wizard")
        wizard = self.env[action["res_model"]].with_user(user).browse(action["res_id"])
        screens = []
        while wizard.state == "selection":
            screens.append((wizard.partner_ids, wizard.dst_partner_id))
            wizard.action_merge()
        self.assertEqual(wizard.state, "finished")
        return screens

    def test_more_than_three_duplicates_are_merged_in_groups(self):
        client, twins = self.make_twins(5)
        action = client.with_user(self.client_user).action_merge_duplicates()
        screens = self.run_wizard(action, self.client_user)
        self.assertEqual([len(partners) for partners, _dst in screens], [3, 3, 2], "at most 3 at once, as Odoo")
        self.assertTrue(all(dst == client for _partners, dst in screens), "the open client is kept")
        self.assertTrue(client.exists())
        self.assertFalse(twins.exists())
        self.assertEqual(len(client.phone_ids), 6, "the shared number once, and each twin's own number")
        self.assertEqual(client.phone, "+371 26 000 100")

    def test_clients_user_merges_only_what_odoo_allows(self):
        client, twins = self.make_twins(3, emails={1: "twin@example.lv", 2: "other@example.lv"})
        client.with_user(self.client_user).email = "twin@example.lv"
        same_email_less, same_email, other_email = twins
        for user in (self.client_user, self.client_manager):
            with self.subTest(user=user.login):
                action = client.with_user(user).action_merge_duplicates()
                self.assertEqual(action["tag"], "display_notification")
                message = action["params"]["message"]
                self.assertIn("Twin 0", message)
                self.assertIn("Twin 2", message)
                self.assertNotIn("Twin 1", message)
                self.assertIn("Settings administrator", message)
                wizard_action = action["params"]["next"]
                wizard = self.env[wizard_action["res_model"]].browse(wizard_action["res_id"])
                self.assertEqual(wizard.partner_ids, client | same_email)
        self.run_wizard(wizard_action, self.client_manager)
        self.assertFalse(same_email.exists())
        self.assertTrue((same_email_less | other_email).exists())

    def test_settings_admin_merges_clients_with_different_emails(self):
        client, twins = self.make_twins(3, emails={1: "twin@example.lv", 2: "other@example.lv"})
        action = client.with_user(self.settings_admin).action_merge_duplicates()
        self.assertEqual(action["type"], "ir.actions.act_window", "nothing left out")
        self.run_wizard(action, self.settings_admin)
        self.assertFalse(twins.exists())
        self.assertEqual(
            sorted(client.email_ids.mapped("email")), ["other@example.lv", "twin@example.lv"], "both addresses kept"
        )

    def test_nothing_mergeable_is_explained_not_raised(self):
        client, twins = self.make_twins(1, emails={0: "twin@example.lv"})
        action = client.with_user(self.client_user).action_merge_duplicates()
        self.assertEqual(action["tag"], "display_notification")
        self.assertNotIn("next", action["params"])
        self.assertIn("Twin 0", action["params"]["message"])
        self.assertTrue(twins.exists())

    def test_clients_of_another_company_are_not_merged(self):
        company_b = self.env["res.company"].create({"name": "Branch B"})
        self.client_manager.company_ids |= company_b
        Partner = self.Partner.with_user(self.client_manager).with_context(
            allowed_company_ids=[self.env.company.id, company_b.id]
        )
        client = Partner.create({"name": "Client A", "company_id": self.env.company.id, "phone": "+371 26 000 300"})
        twin = Partner.create({"name": "Client B", "company_id": company_b.id, "phone": "+371 26 000 300"})
        self.assertEqual(client.duplicate_partner_ids, twin)
        action = client.action_merge_duplicates()
        self.assertNotIn("next", action["params"])
        self.assertIn("different companies", action["params"]["message"])
        with self.assertRaisesRegex(UserError, "different companies"):
            merge_in_wizard(client | twin, client, self.client_manager)
        self.assertTrue(twin.exists())

    def test_clients_the_user_may_not_edit_are_left_out(self):
        client, twins = self.make_twins(2)
        self.env["ir.rule"].create(
            {
                "name": "Locked clients are read-only for Clients users",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "groups": [Command.link(self.env.ref("client_management.group_client_user").id)],
                "domain_force": "[('ref', '!=', 'LOCKED')]",
                "perm_read": False,
                "perm_write": True,
                "perm_create": False,
                "perm_unlink": False,
            }
        )
        twins[0].ref = "LOCKED"
        action = client.with_user(self.client_user).action_merge_duplicates()
        self.assertIn("Twin 0", action["params"]["message"])
        self.assertIn("may not edit", action["params"]["message"])
        wizard_action = action["params"]["next"]
        self.run_wizard(wizard_action, self.client_user)
        self.assertTrue(twins[0].exists(), "a client the user may not edit is not merged away")
        self.assertFalse(twins[1].exists())
        client.ref = "LOCKED"
        with self.assertRaises(AccessError):
            client.with_user(self.client_user).action_merge_duplicates()

    def test_merge_button_only_for_users_who_may_merge(self):
        client, twins = self.make_twins(1)
        for user, visible in ((self.plain_user, False), (self.client_user, True), (self.settings_admin, True)):
            with self.subTest(user=user.login):
                arch = self.Partner.with_user(user).get_views([(False, "form")])["views"]["form"]["arch"]
                self.assertEqual("action_merge_duplicates" in arch, visible)
        with self.assertRaises(AccessError):
            client.with_user(self.plain_user).action_merge_duplicates()
        self.assertTrue(twins.exists())


@tagged("post_install", "-at_install")
class TestMergeInvoicing(InvoicingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.settings_admin = new_test_user(
            cls.env,
            login="cm_settings_admin",
            name="Sandra Settings",
            groups="base.group_system,client_management.group_client_user",
        )

    def test_kept_client_figures_and_dates_include_the_merged_client(self):
        kept = self.Partner.create({"name": "Kept Client"})
        gone = self.Partner.create({"name": "Gone Client"})
        self.make_move(kept, 100.0)
        self.make_move(gone, 250.0)
        self.flush_tracking()  # the figures are written when the transaction commits
        Stat = self.env["res.partner.invoicing.stat"]
        self.assertTrue(Stat.search([("partner_id", "=", gone.id)]))
        kept.activity_schedule("mail.mail_activity_data_todo", date_deadline=self.today + timedelta(days=20))
        gone.activity_schedule("mail.mail_activity_data_todo", date_deadline=self.today + timedelta(days=5))
        kept.message_post(body="Called", message_type="comment", subtype_xmlid="mail.mt_note")
        self.env.flush_all()
        # the kept client's own last activity is old; the merged client's is today
        self.env.cr.execute(
            """UPDATE mail_message SET date = now() - interval '40 days'
                WHERE model = 'res.partner' AND res_id = %s""",
            [kept.id],
        )
        self.env.cr.execute(
            "UPDATE account_move SET invoice_date = %s WHERE commercial_partner_id = %s",
            [self.today - timedelta(days=30), kept.id],
        )
        self.env.invalidate_all()
        self.Partner._cm_fill_activity_dates([kept.id, gone.id])
        self.assertEqual(kept.last_activity_date, self.today - timedelta(days=30))
        self.assertEqual(gone.last_activity_date, self.today)

        merge_in_wizard(kept | gone, kept, self.accountant)

        self.assertFalse(Stat.search([("partner_id", "=", gone.id)]), "the removed client's figures are gone")
        self.assertEqual(self.figures(kept.with_user(self.accountant))["invoiced_total"], 350.0)
        self.assertEqual(kept.last_activity_date, self.today)
        self.assertEqual(kept.next_activity_date, self.today + timedelta(days=5))

    def test_client_of_hashed_entries_is_not_merged_away(self):
        kept = self.Partner.create({"name": "Kept Client"})
        hashed = self.Partner.create({"name": "Hashed Client"})
        move = self.make_move(hashed, 100.0)
        move.button_hash()
        self.assertTrue(move.inalterable_hash)
        with self.assertRaisesRegex(UserError, "Hashed Client"):
            merge_in_wizard(kept | hashed, kept, self.settings_admin)
        merge_in_wizard(kept | hashed, hashed, self.settings_admin)
        self.assertFalse(kept.exists())
        self.assertEqual(move.partner_id, hashed, "kept as the destination, its entries are untouched")


@tagged("post_install", "-at_install")
class TestTagMerge(ClientCase):
    def test_clients_of_other_companies_keep_a_tag(self):
        company_b = self.env["res.company"].create({"name": "Branch B"})
        Tag = self.env["res.partner.category"]
        kept, dup = Tag.create([{"name": "VIP"}, {"name": "vip"}])
        here = self.Partner.create({"name": "Here", "company_id": self.env.company.id, "category_id": dup.ids})
        there = self.Partner.create({"name": "There", "company_id": company_b.id, "category_id": dup.ids})
        self.flush_tracking()
        self.assertNotIn(company_b, self.client_manager.company_ids)
        self.assertFalse(self.Partner.with_user(self.client_manager).search([("id", "=", there.id)]))
        wizard = (
            self.env["client.tag.merge"]
            .with_user(self.client_manager)
            .with_context(active_model="res.partner.category", active_ids=[kept.id, dup.id])
            .create({})
        )
        self.assertEqual((wizard.partner_count, wizard.hidden_partner_count), (2, 1))
        wizard.action_merge()
        self.assertFalse(dup.exists())
        self.assertEqual(here.category_id, kept)
        self.assertEqual(there.category_id, kept, "a client the administrator cannot see keeps its tag")
        self.assertIn(("vip", "VIP"), self.tracked_values(there, "category_id"), "in its chatter")


@tagged("post_install", "-at_install")
class TestMergeKeepsClientData(MergeCase):
    def test_conflict_notes_of_every_merged_client_are_kept(self):
        Partner = self.Partner
        kept = Partner.create({"name": "Same Person", "email": "same@example.lv", "conflict_note": "Pays late"})
        gone = Partner.create(
            {"name": "Same Person", "email": "same@example.lv", "is_conflict": True, "conflict_note": "Shouted"}
        )
        wizard = self.env["base.partner.merge.automatic.wizard"].create({})
        wizard._merge((kept | gone).ids, kept)
        self.assertFalse(gone.exists())
        self.assertTrue(kept.is_conflict, "a conflict client stays one")
        self.assertIn("Pays late", kept.conflict_note)
        self.assertIn("Shouted", kept.conflict_note, "the merged client's note is not lost")

    def test_values_the_kept_client_does_not_take_are_written_in_a_note(self):
        """Odoo keeps the kept client's own value of each field: the merged client's other
        values (notes, birthdate, discount, code, channel...) are listed on the kept client."""
        channel = self.env["utm.source"].create({"name": "Radio ad"})
        kept = self.Partner.create(
            {"name": "Same Person", "email": "same@example.lv", "comment": "<p>NOTE-A</p>", "client_discount": 5}
        )
        kept.birthdate = "1980-01-01"
        gone = self.Partner.create(
            {
                "name": "Same Person",
                "email": "same@example.lv",
                "comment": "<p>NOTE-B</p>",
                "client_discount": 10,
                "ref": "C-GONE-1",
                "acquisition_source_id": channel.id,
                "function": "Buyer",
            }
        )
        gone.birthdate = "1990-02-02"
        kept.ref = "C-KEPT-1"
        merge_in_wizard(kept | gone, kept, self.client_user)
        self.assertFalse(gone.exists())
        self.assertEqual(kept.client_discount, 5, "Odoo's rule: the kept client's value stays")
        self.assertEqual(kept.function, "Buyer", "an empty field takes the merged client's value (Odoo)")
        note = kept.message_ids.filtered(lambda m: "not kept" in str(m.body))
        self.assertEqual(len(note), 1, "one note of the values not kept")
        body = html2plaintext(note.body)
        for typed in ("NOTE-B", "C-GONE-1", "Personal discount (%): 10", "02/02/1990"):
            self.assertIn(typed, body)
        for taken in ("Buyer", "Radio ad"):
            self.assertNotIn(taken, body, "a value the kept client took is not listed")
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"), "an internal note")

    def test_no_note_when_nothing_is_dropped(self):
        kept = self.Partner.create({"name": "Same Person", "email": "same@example.lv", "city": "Riga"})
        gone = self.Partner.create({"name": "Same Person", "email": "same@example.lv", "city": "Riga"})
        merge_in_wizard(kept | gone, kept, self.client_user)
        self.assertFalse(kept.message_ids.filtered(lambda m: "not kept" in str(m.body)))

    def test_a_shared_client_and_a_company_client_are_not_merged(self):
        company_b = self.env["res.company"].create({"name": "Merge Company B"})
        of_b = self.Partner.create({"name": "Twin", "email": "twin@example.lv", "company_id": company_b.id})
        shared = self.Partner.create({"name": "Twin", "email": "twin@example.lv"})
        wizard = self.env["base.partner.merge.automatic.wizard"].create({})
        for kept in (of_b, shared):
            with self.subTest(kept=kept.name), self.assertRaises(UserError):
                wizard._merge((of_b | shared).ids, kept)
        self.assertTrue(shared.exists(), "the invoices of every company keep a client they can use")
        self.assertFalse(shared.company_id, "the shared client stays shared")
