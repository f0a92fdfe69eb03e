from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import ClientCase

LISTED = "+37126400004"  # opted out of SMS before the test
LISTED_MAIL = "listed@example.lv"


@tagged("post_install", "-at_install")
class TestOptOutsStay(ClientCase):
    """An opt-out (Odoo's blacklists) is only lifted by an explicit user action of a user
    allowed to do so; nothing else — an edit, the native field, another app — lifts it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["phone.blacklist"]._add([LISTED])
        cls.env["mail.blacklist"]._add(LISTED_MAIL)
        cls.lv = cls.env.ref("base.lv")
        cls.settings_admin = new_test_user(
            cls.env, login="cm_settings", groups="base.group_system,base.group_partner_manager"
        )
        cls.salesman = new_test_user(cls.env, login="cm_sales", groups="base.group_user,base.group_partner_manager")

    def phone_listed(self, number=LISTED):
        return bool(self.env["phone.blacklist"].search([("number", "=", number)]))

    def mail_listed(self, email=LISTED_MAIL):
        return bool(self.env["mail.blacklist"].search([("email", "=", email)]))

    def client(self, **vals):
        Partner = self.Partner.with_user(self.client_user)
        return Partner.create({"name": "Opt-out client", "country_id": self.lv.id, **vals})

    # -- phones -----------------------------------------------------------------------------
    def test_a_line_edited_onto_an_opted_out_number_starts_unticked(self):
        partner = self.client(phone_ids=[(0, 0, {"number": "+371 26 400 001"})])
        line = partner.phone_ids.with_user(self.client_user)
        self.assertTrue(line.sms)
        line.number = "26 400 004"
        self.assertFalse(line.sms, "the new number asked not to receive SMS")
        self.assertTrue(self.phone_listed(), "still opted out for every client")
        # the same save ticking the box (a form sending both) does not lift it either
        line.write({"number": "+371 26 400 001"})
        line.write({"number": "26400004", "sms": True})
        self.assertFalse(line.sms)
        self.assertTrue(self.phone_listed())

    def test_a_new_line_of_an_opted_out_number_starts_unticked_whatever_the_form_says(self):
        partner = self.client(phone_ids=[(0, 0, {"number": "26400004", "sms": True})])
        self.assertFalse(partner.phone_ids.sms)
        self.assertTrue(self.phone_listed())

    def test_the_native_phone_never_lifts_an_opt_out(self):
        for user in (self.client_user, self.salesman):
            with self.subTest(user=user.login):
                partner = self.client(phone="+371 26 400 001")
                partner.with_user(user).phone = "26 400 004"
                self.assertEqual(partner.phone, "26 400 004", "kept as written")
                self.assertFalse(partner.phone_ids.sms)
                self.assertTrue(self.phone_listed())
                created = self.Partner.with_user(user).create({"name": "Other app", "phone": "+37126400004"})
                self.assertFalse(created.phone_ids.sms)
                self.assertTrue(self.phone_listed())

    def test_leaving_an_opted_out_number_keeps_its_opt_out(self):
        partner = self.client(phone="26400004")
        partner.with_user(self.client_user).phone = "+371 26 400 001"
        self.assertTrue(partner.phone_ids.sms, "the new number has no opt-out")
        self.assertTrue(self.phone_listed(), "the old number stays opted out")

    def test_only_a_user_allowed_to_may_lift_an_sms_opt_out(self):
        partner = self.client(phone="26400004")
        line = partner.phone_ids
        for user in (self.client_user, self.salesman):
            with self.subTest(user=user.login), self.assertRaises(AccessError) as caught:
                line.with_user(user).sms = True
            self.assertIn(LISTED, str(caught.exception))
            self.assertTrue(self.phone_listed())
            self.assertFalse(line.sms)
        line.with_user(self.client_manager).sms = True
        self.assertFalse(self.phone_listed(), "lifted by a Clients administrator")
        line.with_user(self.client_user).sms = False
        self.assertTrue(self.phone_listed(), "any user may record an opt-out")
        line.with_user(self.settings_admin).sms = True
        self.assertFalse(self.phone_listed(), "lifted by a user who manages Odoo's blacklist")

    def test_an_opt_out_follows_every_client_with_the_number(self):
        first = self.client(phone="+371 26 400 001")
        second = self.client(phone="26400001")
        first.phone_ids.with_user(self.client_user).sms = False
        self.assertFalse(second.phone_ids.sms, "the blacklist is per number")
        self.assertTrue(self.phone_listed("+37126400001"))

    # -- e-mails ----------------------------------------------------------------------------
    def test_a_line_edited_onto_an_opted_out_address_starts_unticked(self):
        partner = self.client(email_ids=[(0, 0, {"email": "free@example.lv"})])
        line = partner.email_ids.with_user(self.client_user)
        line.email = "Listed@Example.lv"
        self.assertFalse(line.consent)
        self.assertTrue(self.mail_listed())
        line.write({"email": "free@example.lv"})
        self.assertTrue(line.consent, "an address without opt-out")
        line.write({"email": LISTED_MAIL, "consent": True})
        self.assertFalse(line.consent)
        self.assertTrue(self.mail_listed())

    def test_the_native_email_never_lifts_an_opt_out(self):
        partner = self.client(email="free@example.lv")
        partner.with_user(self.salesman).email = '"Listed" <LISTED@example.lv>'
        self.assertEqual(partner.email, '"Listed" <LISTED@example.lv>', "kept as written")
        self.assertFalse(partner.email_ids.filtered("is_primary").consent)
        self.assertTrue(self.mail_listed())

    def test_only_a_user_allowed_to_may_lift_an_email_opt_out(self):
        partner = self.client(email=LISTED_MAIL)
        line = partner.email_ids
        self.assertFalse(line.consent)
        with self.assertRaises(AccessError):
            line.with_user(self.client_user).consent = True
        self.assertTrue(self.mail_listed())
        line.with_user(self.client_manager).consent = True
        self.assertFalse(self.mail_listed())
        line.with_user(self.client_user).consent = False
        self.assertTrue(self.mail_listed())
        self.assertTrue(partner.is_blacklisted, "Odoo's mass mailing skips the client")

    # -- what a caller cannot force -----------------------------------------------------------
    def test_an_rpc_caller_cannot_skip_the_blacklist(self):
        partner = self.client(phone="26400004", email=LISTED_MAIL)
        forged = {"cm_blacklist_sync": True}
        with self.assertRaises(AccessError):
            partner.phone_ids.with_user(self.client_user).with_context(**forged).sms = True
        self.assertFalse(partner.phone_ids.sms)
        other = self.client(phone="+371 26 400 001", email="free@example.lv")
        other.phone_ids.with_user(self.client_user).with_context(**forged).sms = False
        other.email_ids.with_user(self.client_user).with_context(**forged).consent = False
        self.assertTrue(self.phone_listed("+37126400001"), "the opt-out reached Odoo's blacklist")
        self.assertTrue(self.mail_listed("free@example.lv"))

    def test_a_line_cannot_be_moved_to_another_client(self):
        first = self.client(phone="+371 26 400 001", email="free@example.lv")
        second = self.client(name="Other")
        for lines in (first.phone_ids, first.email_ids):
            with self.subTest(model=lines._name), self.assertRaises(UserError):
                lines.with_user(self.client_user).write({"partner_id": second.id})
            self.assertEqual(lines.partner_id, first)
