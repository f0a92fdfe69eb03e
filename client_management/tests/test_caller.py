"""Incoming call → client card: /clients/caller and res.partner.cm_caller_action."""

from urllib.parse import parse_qs, urlparse

from odoo.tests import HttpCase, new_test_user, tagged

from .common import ClientCase


@tagged("post_install", "-at_install")
class TestCallerAction(ClientCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lv = cls.env.ref("base.lv")
        cls.caller = cls.Partner.create(
            {"name": "Caller Client", "country_id": cls.lv.id, "phone": "+371 26 111 222", "is_conflict": True}
        )

    def action(self, number, **kwargs):
        return self.Partner.with_user(self.client_user).cm_caller_action(number, **kwargs)

    def test_a_known_number_as_dialled_opens_the_clients_card(self):
        for dialled in ("26111222", "+37126111222", "0037126111222", "26 111 222"):
            action = self.action(dialled, country_code="lv")
            self.assertEqual((action["res_model"], action["res_id"]), ("res.partner", self.caller.id), dialled)
            self.assertEqual(action["views"], [(False, "form")])
            self.assertEqual(action["path"], "clients", "the card opens inside the Clients app")

    def test_a_shared_number_lists_its_clients(self):
        sibling = self.Partner.create({"name": "Caller Sibling", "phone": "+37126111222"})
        action = self.action("+371 26111222")
        self.assertEqual(action["views"][0], (False, "list"))
        self.assertEqual(self.Partner.search(action["domain"]), self.caller | sibling)
        self.assertIn("+371 26111222", action["name"])

    def test_an_unknown_number_opens_a_new_client_form_with_it(self):
        action = self.action("26 999 000", country_code="LV")
        self.assertFalse(action.get("res_id"))
        self.assertEqual(action["context"]["default_phone"], "26 999 000")
        self.assertEqual(action["context"]["default_country_id"], self.lv.id)
        self.assertTrue(action["context"]["default_cm_client_code"], "saved, it becomes a client with a code")
        client = (
            self.Partner.with_user(self.client_user).with_context(**action["context"]).create({"name": "New Caller"})
        )
        self.assertEqual(client.phone_ids.number_e164, "+37126999000")
        self.assertTrue(client.ref)

    def test_the_call_is_logged_on_request_only(self):
        self.action("+37126111222")
        self.assertFalse(self.caller.message_ids.filtered(lambda m: "Incoming call" in str(m.body)))
        self.action("+37126111222", log=True)
        notes = self.caller.message_ids.filtered(lambda m: "Incoming call from +37126111222" in str(m.body))
        self.assertEqual(len(notes), 1)
        self.assertEqual(notes.author_id, self.client_user.partner_id)
        self.assertTrue(notes.subtype_id.internal, "a note: the client is not told")
        # what the web client calls once the user agreed to log the call (``&log=1``)
        self.assertTrue(self.Partner.with_user(self.client_user).cm_caller_log("26 111 222", country_code="LV"))
        self.assertEqual(len(self.caller.message_ids.filtered(lambda m: "Incoming call" in str(m.body))), 2)
        self.assertFalse(self.Partner.with_user(self.client_user).cm_caller_log("+37129999999"), "nobody's number")

    def test_users_who_may_not_read_phone_lines_find_nobody(self):
        portal = new_test_user(self.env, login="cm_caller_portal", groups="base.group_portal")
        action = self.Partner.with_user(portal).cm_caller_action("+37126111222")
        self.assertFalse(action.get("res_id"))
        self.assertFalse(action.get("domain"))


@tagged("post_install", "-at_install")
class TestCallerRoute(HttpCase):
    def test_the_route_hands_the_number_to_the_web_client_and_the_card_opens(self):
        new_test_user(self.env, login="cm_caller", name="Caller Desk", groups="client_management.group_client_user")
        caller = self.env["res.partner"].create(
            {
                "name": "Tour Caller Client",
                "country_id": self.env.ref("base.lv").id,
                "phone": "+371 26 111 333",
                "is_conflict": True,
                "conflict_note": "Ask for prepayment",
            }
        )
        response = self.url_open("/clients/caller?number=26111333&country=lv", allow_redirects=False)
        self.assertIn("/web/login", response.headers["Location"], "not logged in: the login page first")
        self.authenticate("cm_caller", "cm_caller")
        response = self.url_open("/clients/caller?number=%2B371 26111333&country=lv&log=1", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        location = urlparse(response.headers["Location"])
        self.assertEqual(location.path, "/odoo/clients-caller")
        self.assertEqual(parse_qs(location.query), {"number": ["+371 26111333"], "country": ["LV"], "log": ["1"]})
        self.start_tour(
            "/clients/caller?number=26111333&country=LV&log=1", "client_management_caller_tour", login="cm_caller"
        )
        calls = caller.message_ids.filtered(lambda m: "Incoming call" in str(m.body))
        self.assertEqual(len(calls), 1, "logged once, after the user agreed")
