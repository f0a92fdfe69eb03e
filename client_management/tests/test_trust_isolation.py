from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged

from .common import ClientCase

INTERNAL_FIELDS = (
    "is_conflict",
    "conflict_note",
    "acquisition_source_id",
    "is_supplier",
    "birthdate",
    "phone_ids",
    "email_ids",
    "duplicate_partner_ids",
    "last_activity_date",
    "next_activity_date",
)


class TwoCompaniesCase(ClientCase):
    """Company A (the main one) and company B, with users working in one of them only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        lv = cls.env.ref("base.lv")
        cls.company_a = cls.env.company
        cls.company_a.country_id = lv
        cls.company_b = cls.env["res.company"].create({"name": "Company B", "country_id": lv.id})

        def user(login, groups, company):
            return new_test_user(
                cls.env, login=login, groups=groups, company_id=company.id, company_ids=[Command.set(company.ids)]
            )

        cls.clients_a = user("iso_clients_a", "client_management.group_client_user", cls.company_a)
        cls.clients_b = user("iso_clients_b", "client_management.group_client_user", cls.company_b)
        cls.plain_a = user("iso_plain_a", "base.group_user", cls.company_a)
        cls.accountant_a = user("iso_accountant_a", "account.group_account_invoice", cls.company_a)
        Partner = cls.env["res.partner"]
        cls.client_a = Partner.create(
            {
                "name": "Alfa Client",
                "company_id": cls.company_a.id,
                "phone": "+371 26 100 001",
                "email": "alfa@example.lv",
            }
        )
        cls.client_b = Partner.create(
            {
                "name": "Secret B Client",
                "company_id": cls.company_b.id,
                "phone": "+371 26 200 002",
                "email": "secret.b@example.lv",
            }
        )


@tagged("post_install", "-at_install")
class TestCompanyIsolation(TwoCompaniesCase):
    def test_lines_of_another_company_are_invisible_to_every_internal_user(self):
        for user in (self.plain_a, self.clients_a, self.accountant_a):
            for model, field in (("res.partner.phone", "number"), ("res.partner.email", "email")):
                with self.subTest(user=user.login, model=model):
                    Lines = self.env[model].with_user(user)
                    rows = Lines.search_read([], [field, "partner_id"])
                    names = {row["partner_id"][1] for row in rows}
                    self.assertIn("Alfa Client", names)
                    self.assertNotIn("Secret B Client", names, "no number, address or name of company B")
                    other = self.client_b[f"{model.split('.')[-1]}_ids"]
                    with self.assertRaises(AccessError):
                        Lines.browse(other.ids).read([field])
                    self.assertFalse(Lines.search_count([("partner_id", "=", self.client_b.id)]))
        # and the other way round
        B = self.env["res.partner.phone"].with_user(self.clients_b)
        self.assertEqual(B.search([]).partner_id & (self.client_a | self.client_b), self.client_b)

    def test_a_lines_copies_of_its_client_cannot_be_forged(self):
        """The copies of the client's company, archiving and kind on a phone line (which the
        phone lookup filters on) only follow the client: writing them on the line changes nothing."""
        line = self.client_a.phone_ids.with_user(self.clients_a)
        line.write({"company_id": False, "partner_share": False, "partner_active": False})
        line.invalidate_recordset()
        self.assertEqual((line.company_id, line.partner_share, line.partner_active), (self.company_a, True, True))
        self.assertEqual(self.client_a.company_id, self.company_a, "nor the client's company")
        found = self.env["res.partner"].with_user(self.clients_b).find_by_phone("+371 26 100 001")
        self.assertFalse(found, "company B still finds nothing of company A")

    def test_a_user_of_both_companies_sees_the_lines_of_the_active_ones(self):
        both = new_test_user(
            self.env,
            login="iso_both",
            groups="client_management.group_client_user",
            company_id=self.company_a.id,
            company_ids=[Command.set((self.company_a | self.company_b).ids)],
        )
        Lines = self.env["res.partner.phone"].with_user(both)
        in_a = Lines.with_context(allowed_company_ids=[self.company_a.id])
        self.assertNotIn(self.client_b, in_a.search([]).partner_id, "company B is not active in the switcher")
        in_b = Lines.with_context(allowed_company_ids=[self.company_b.id, self.company_a.id])
        self.assertIn(self.client_b, in_b.search([]).partner_id)

    def test_lines_follow_any_rule_an_administrator_puts_on_clients(self):
        """A rule "salespeople see only their own clients" hides those clients' lines too, and
        a read-only rule keeps their lines read-only."""
        mine = self.env["res.partner"].create(
            {"name": "Mine", "phone": "+371 26 100 003", "user_id": self.clients_a.id}
        )
        theirs = self.client_a  # no manager
        self.env["ir.rule"].create(
            {
                "name": "Own clients only",
                "model_id": self.env.ref("base.model_res_partner").id,
                "groups": [Command.link(self.env.ref("client_management.group_client_user").id)],
                "domain_force": "[('user_id', '=', user.id)]",
            }
        )
        for model in ("res.partner.phone", "res.partner.email"):
            Lines = self.env[model].with_user(self.clients_a)
            self.assertFalse(Lines.search([("partner_id", "=", theirs.id)]), model)
        self.assertEqual(self.env["res.partner.phone"].with_user(self.clients_a).search([]).partner_id, mine)
        self.assertFalse(self.env["res.partner"].with_user(self.clients_a).search([("id", "=", theirs.id)]))

    def test_lines_of_a_client_the_user_may_not_modify_cannot_be_modified(self):
        self.env["ir.rule"].create(
            {
                "name": "Company B clients read-only here",
                "model_id": self.env.ref("base.model_res_partner").id,
                "domain_force": "[('name', 'not like', 'Frozen')]",
                "perm_read": False,
            }
        )
        frozen = self.env["res.partner"].create({"name": "Frozen Client", "phone": "+371 26 100 004"})
        line = frozen.phone_ids.with_user(self.clients_a)
        self.assertEqual(line.number, "+371 26 100 004", "readable")
        with self.assertRaises(AccessError):
            line.write({"whatsapp": True})
        with self.assertRaises(AccessError):
            self.env["res.partner.phone"].with_user(self.clients_a).create(
                {"partner_id": frozen.id, "number": "+371 26 100 005"}
            )

    def test_lines_of_an_archived_client_stay_readable_like_the_client(self):
        self.client_a.active = False
        line = self.client_a.phone_ids.with_user(self.clients_a)
        self.assertEqual(line.number, "+371 26 100 001")
        self.assertTrue(self.client_a.with_user(self.clients_a).name)

    def test_figures_of_another_company_are_invisible(self):
        Stat = self.env["res.partner.invoicing.stat"]
        Stat.create({"partner_id": self.client_a.id, "company_id": self.company_a.id, "invoiced_total": 10})
        Stat.create({"partner_id": self.client_b.id, "company_id": self.company_b.id, "invoiced_total": 99})
        Stat.create({"partner_id": self.client_a.id, "company_id": self.company_b.id, "invoiced_total": 77})
        rows = Stat.with_user(self.accountant_a).search_read([], ["partner_id", "invoiced_total"])
        self.assertEqual([row["invoiced_total"] for row in rows if row["partner_id"][0] == self.client_a.id], [10])
        self.assertNotIn(self.client_b.id, [row["partner_id"][0] for row in rows])
        with self.assertRaises(AccessError):
            Stat.with_user(self.plain_a).search([])  # no accounting rights: no figures at all

    def test_duplicates_banner_never_names_a_hidden_client(self):
        twin_a = self.env["res.partner"].create({"name": "Twin in A", "phone": "+371 26 200 002"})
        self.assertEqual(twin_a.duplicate_partner_ids, self.client_b, "the same number in company B")
        twin_a.invalidate_recordset(["duplicate_partner_ids"])
        self.assertFalse(twin_a.with_user(self.clients_a).duplicate_partner_ids, "hidden from company A")


@tagged("post_install", "-at_install")
class TestNothingInternalForCustomers(ClientCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        source = cls.env["utm.source"].create({"name": "Word of mouth"})
        cls.portal = new_test_user(cls.env, login="cm_portal", groups="base.group_portal", password="cm_portal_pwd")
        cls.portal.partner_id.write(
            {
                "is_conflict": True,
                "conflict_note": "Insulted the cashier",
                "acquisition_source_id": source.id,
                "phone": "+371 26 300 003",
            }
        )
        cls.public = cls.env.ref("base.public_user")

    def test_portal_and_public_users_cannot_read_internal_fields(self):
        for user in (self.portal, self.public):
            partner = self.portal.partner_id.with_user(user)
            for field in INTERNAL_FIELDS:
                with self.subTest(user=user.login, field=field), self.assertRaises(AccessError):
                    partner.read([field])
            if user == self.portal:
                self.assertEqual(partner.read(["name"])[0]["name"], self.portal.partner_id.name, "own name")
            self.assertFalse(set(INTERNAL_FIELDS) & set(partner.fields_get()), "not even listed")
            with self.assertRaises(AccessError):
                partner.search([("is_conflict", "=", True)])

    def test_portal_users_read_no_line_or_figure(self):
        for model in ("res.partner.phone", "res.partner.email", "res.partner.invoicing.stat", "client.import.job"):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.portal).search([])


@tagged("post_install", "-at_install")
class TestNothingInternalOverRpc(HttpCase):
    def test_portal_customer_cannot_read_conflict_over_rpc_nor_on_portal_pages(self):
        portal = new_test_user(
            self.env, login="cm_rpc_portal", groups="base.group_portal", password="cm_rpc_portal_pwd"
        )
        portal.partner_id.write({"is_conflict": True, "conflict_note": "Insulted the cashier"})
        self.authenticate("cm_rpc_portal", "cm_rpc_portal_pwd")
        for fields in (["is_conflict"], ["conflict_note"], ["phone_ids"]):
            with self.subTest(fields=fields), self.assertRaises(JsonRpcException):
                self.make_jsonrpc_request(
                    "/web/dataset/call_kw/res.partner/read",
                    {
                        "model": "res.partner",
                        "method": "read",
                        "args": [[portal.partner_id.id], fields],
                        "kwargs": {},
                    },
                )
        described = self.make_jsonrpc_request(
            "/web/dataset/call_kw/res.partner/fields_get",
            {"model": "res.partner", "method": "fields_get", "args": [], "kwargs": {}},
        )
        self.assertIn("name", described)
        self.assertNotIn("is_conflict", described)
        self.assertNotIn("conflict_note", described)
        found = self.make_jsonrpc_request(
            "/web/dataset/call_kw/res.partner/search_read",
            {
                "model": "res.partner",
                "method": "search_read",
                "args": [[("id", "=", portal.partner_id.id)], ["name", "email", "phone"]],
                "kwargs": {},
            },
        )
        self.assertEqual([row["id"] for row in found], portal.partner_id.ids)
        self.assertNotIn("Insulted the cashier", str(found))
        for page in ("/my", "/my/account"):
            response = self.url_open(page)
            self.assertEqual(response.status_code, 200, page)
            self.assertNotIn("Insulted the cashier", response.text, page)
