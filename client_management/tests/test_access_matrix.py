"""Who may do what: every role × every operation on a client, with real users.

``EXPECTED`` is the matrix documented in README.md ("Who may do what"). Each cell runs as its
own subTest inside a savepoint that is rolled back afterwards, so cells never influence each
other. An operation returns True when it is allowed *and* its effect really happened (the
client really changed, the line really changed, the client is really found, ...), False when
it is refused (AccessError / UserError) or, for reads and lookups, when the data is not
returned; anything else (allowed without effect, half allowed) is returned as a text that
matches neither and fails the cell with a message naming role and operation.
"""

from contextlib import closing

from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from .import_files import csv_bytes, read_xlsx

ROLES = (
    "public",  # base.public_user (the website visitor)
    "portal",  # base.group_portal
    "internal",  # base.group_user only
    "accountant",  # account.group_account_invoice (no Clients rights)
    "salesperson",  # base.group_user + base.group_partner_manager (contact creation)
    "clients_user",  # client_management.group_client_user
    "clients_admin",  # client_management.group_client_manager
    "other_company",  # client_management.group_client_user of company B (the client is of A)
)

OPERATIONS = (
    "read_client",
    "create_client",
    "edit_client",
    "archive_client",
    "read_lines",
    "edit_line",
    "read_figures",
    "read_conflict_note",
    "import",
    "export",
    "merge_tags",
    "assign_manager",
    "find_by_phone",
)


def _row(*allowed):
    unknown = set(allowed) - set(OPERATIONS)
    assert not unknown, unknown
    return {operation: operation in allowed for operation in OPERATIONS}


# Reads of another client's data: every internal user of the client's company.
_READS = ("read_client", "read_lines", "read_conflict_note", "find_by_phone")
# Writes on clients and their lines: whoever may edit contacts (base.group_partner_manager).
_WRITES = ("create_client", "edit_client", "archive_client", "edit_line")

EXPECTED = {
    "public": _row(),
    "portal": _row(),  # reads its own contact only, never internal fields (see below)
    "internal": _row(*_READS),
    "accountant": _row(*_READS, "read_figures"),
    "salesperson": _row(*_READS, *_WRITES),
    # Clients users given Odoo's export right (Settings → Users → Export), as most are
    "clients_user": _row(*_READS, *_WRITES, "import", "export", "assign_manager"),
    "clients_admin": _row(*_READS, *_WRITES, "import", "export", "merge_tags", "assign_manager"),
    # creates and imports clients of its own company; sees nothing of company A's client
    "other_company": _row("create_client", "import"),
}

# The client card offers editable phone / e-mail lists exactly to the users who may save
# lines (write access on res.partner.phone / res.partner.email: base.group_partner_manager).
FORM_EDITABLE_LINES = {
    "internal": False,
    "accountant": False,
    "salesperson": True,
    "clients_user": True,
    "clients_admin": True,
    "other_company": True,  # lines of its own company's clients
}

PHONE = "+371 26 100 771"
EMAIL = "alfa.matrix@example.lv"
NOTE = "Insulted the cashier"
TURNOVER = 1234.5
REFUSED = (AccessError, UserError)


@tagged("post_install", "-at_install")
class TestAccessMatrix(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        lv = cls.env.ref("base.lv")
        cls.company_a = cls.env.company
        cls.company_a.country_id = lv
        cls.company_b = cls.env["res.company"].create({"name": "Matrix Company B", "country_id": lv.id})

        def user(login, groups, company=cls.company_a):
            return new_test_user(
                cls.env,
                login=login,
                groups=groups,
                company_id=company.id,
                company_ids=[Command.set(company.ids)],
            )

        cls.users = {
            "public": cls.env.ref("base.public_user"),
            "portal": new_test_user(cls.env, login="matrix_portal", groups="base.group_portal"),
            "internal": user("matrix_internal", "base.group_user"),
            "accountant": user("matrix_accountant", "account.group_account_invoice"),
            "salesperson": user("matrix_salesperson", "base.group_user,base.group_partner_manager"),
            "clients_user": user("matrix_clients_user", "client_management.group_client_user,base.group_allow_export"),
            "clients_admin": user(
                "matrix_clients_admin", "client_management.group_client_manager,base.group_allow_export"
            ),
            "other_company": user("matrix_other_company", "client_management.group_client_user", cls.company_b),
        }
        cls.new_manager = user("matrix_new_manager", "client_management.group_client_user")
        cls.client = cls.env["res.partner"].create(
            {
                "name": "Alfa Matrix Client",
                "company_id": cls.company_a.id,
                "country_id": lv.id,
                "phone": PHONE,
                "email": EMAIL,
                "is_conflict": True,
                "conflict_note": NOTE,
            }
        )
        cls.phone_line = cls.client.phone_ids
        cls.email_line = cls.client.email_ids
        assert len(cls.phone_line) == 1 and len(cls.email_line) == 1
        cls.env["res.partner.invoicing.stat"].create(
            {"partner_id": cls.client.id, "company_id": cls.company_a.id, "invoiced_total": TURNOVER}
        )

    # ------------------------------------------------------------------
    # The matrix
    # ------------------------------------------------------------------
    def test_matrix_is_complete(self):
        self.assertEqual(set(EXPECTED), set(ROLES))
        for role in ROLES:
            self.assertEqual(set(EXPECTED[role]), set(OPERATIONS), role)
        for operation in OPERATIONS:
            self.assertTrue(callable(getattr(self, f"_op_{operation}", None)), operation)

    def test_role_operation_matrix(self):
        for role in ROLES:
            user = self.users[role]
            for operation in OPERATIONS:
                expected = EXPECTED[role][operation]
                with self.subTest(role=role, operation=operation):
                    with closing(self.env.cr.savepoint()):
                        outcome = getattr(self, f"_op_{operation}")(user)
                    self.assertEqual(
                        outcome,
                        expected,
                        f"{role} × {operation}: expected {'allowed' if expected else 'refused'}, got {outcome!r}",
                    )

    # ------------------------------------------------------------------
    # Operations: True = allowed and done, False = refused / not returned
    # ------------------------------------------------------------------
    def _op_read_client(self, user):
        Partner = self.env["res.partner"].with_user(user)
        try:
            name = Partner.browse(self.client.id).read(["name"])[0]["name"]
        except AccessError:
            name = None
        found = Partner.search([("id", "=", self.client.id)])
        if name == self.client.name and found == self.client:
            return True
        if name is None and not found:
            return False
        return f"read gives {name!r}, search finds {found.ids}"

    def _op_create_client(self, user):
        try:
            partner = (
                self.env["res.partner"]
                .with_user(user)
                .with_context(cm_client_code=True)
                .create({"name": "Matrix New Client"})
            )
            partner.flush_recordset()
        except REFUSED:
            return False
        return partner.sudo().exists().name == "Matrix New Client" or "created without effect"

    def _op_edit_client(self, user):
        try:
            self.client.with_user(user).write({"name": "Alfa Matrix Client (edited)"})
            self.client.flush_recordset()
        except REFUSED:
            return False
        self.client.invalidate_recordset()
        return self.client.sudo().name == "Alfa Matrix Client (edited)" or "written without effect"

    def _op_archive_client(self, user):
        try:
            self.client.with_user(user).action_archive()
            self.client.flush_recordset()
        except REFUSED:
            return False
        self.client.invalidate_recordset()
        return not self.client.sudo().active or "archived without effect"

    def _op_read_lines(self, user):
        seen = []
        for line, field, value in ((self.phone_line, "number", PHONE), (self.email_line, "email", EMAIL)):
            Lines = self.env[line._name].with_user(user)
            try:
                read = Lines.browse(line.id).read([field])[0][field]
            except AccessError:
                read = None
            try:
                found = Lines.search([("partner_id", "=", self.client.id)])
            except AccessError:
                found = Lines.browse()
            try:
                through_client = self.client.with_user(user)[f"{line._name.split('.')[-1]}_ids"].mapped(field)
            except AccessError:
                through_client = None
            if read == value and found == line and through_client == [value]:
                seen.append(True)
            elif read is None and not found and through_client is None:
                seen.append(False)
            else:
                return f"{line._name}: read {read!r}, search {found.ids}, through the client {through_client!r}"
        return seen[0] if len(set(seen)) == 1 else f"phone / e-mail lines differ: {seen}"

    def _op_edit_line(self, user):
        try:
            self.phone_line.with_user(user).write({"whatsapp": True})
            self.phone_line.flush_recordset()
        except REFUSED:
            return False
        self.phone_line.invalidate_recordset()
        return self.phone_line.sudo().whatsapp or "written without effect"

    def _op_read_figures(self, user):
        try:
            total = self.client.with_user(user).read(["invoiced_total"])[0]["invoiced_total"]
        except AccessError:
            total = None
        try:
            rows = (
                self.env["res.partner.invoicing.stat"]
                .with_user(user)
                .search_read([("partner_id", "=", self.client.id)], ["invoiced_total"])
            )
        except AccessError:
            rows = None
        if total == TURNOVER and rows and [row["invoiced_total"] for row in rows] == [TURNOVER]:
            return True
        if total is None and not rows:
            return False
        return f"invoiced_total {total!r}, figures {rows!r}"

    def _op_read_conflict_note(self, user):
        try:
            note = self.client.with_user(user).read(["conflict_note"])[0]["conflict_note"]
        except AccessError:
            return False
        return note == NOTE or f"read {note!r}"

    def _op_import(self, user):
        email = f"matrix.import.{user.id}@example.com"
        content = csv_bytes([["Name", "E-mail"], ["Matrix Imported Client", email]])
        try:
            result = self.env["client.import"].with_user(user).import_file(content, "clients.csv")
        except REFUSED:
            return False
        imported = self.env["res.partner"].sudo().search([("email", "=", email)])
        if result["created"] == 1 and not result["errors"] and imported.name == "Matrix Imported Client":
            return True
        return f"import result {result!r}, imported {imported.ids}"

    def _op_export(self, user):
        try:
            content = self.env["client.import"].with_user(user).export_partners(self.client.ids)
        except REFUSED:
            return False
        rows, _sheet = read_xlsx(content)
        values = [value for row in rows[1:] for value in row]
        return (self.client.name in values and EMAIL in "".join(str(v) for v in values)) or f"exported {rows!r}"

    def _op_merge_tags(self, user):
        Tag = self.env["res.partner.category"]
        keep, merged = Tag.create({"name": "Matrix VIP"}), Tag.create({"name": "Matrix V.I.P."})
        self.client.category_id = [Command.link(merged.id)]
        try:
            wizard = (
                self.env["client.tag.merge"]
                .with_user(user)
                .create({"tag_ids": [Command.set((keep | merged).ids)], "target_tag_id": keep.id})
            )
            wizard.action_merge()
            self.env.flush_all()
        except REFUSED:
            return False
        self.client.invalidate_recordset()
        if not merged.exists() and keep in self.client.category_id:
            return True
        return f"merged tag still exists: {bool(merged.exists())}, client tags {self.client.category_id.mapped('name')}"

    def _op_assign_manager(self, user):
        try:
            wizard = (
                self.env["client.assign.manager"]
                .with_user(user)
                .create({"partner_ids": [Command.set(self.client.ids)], "user_id": self.new_manager.id})
            )
            wizard.action_assign()
            self.env.flush_all()
        except REFUSED:
            return False
        self.client.invalidate_recordset()
        return self.client.sudo().user_id == self.new_manager or f"manager is {self.client.sudo().user_id.login!r}"

    def _op_find_by_phone(self, user):
        try:
            found = self.env["res.partner"].with_user(user).find_by_phone("+37126100771")
        except AccessError:
            return False
        if found == self.client:
            return True
        return False if not found else f"found {found.ids}"

    # ------------------------------------------------------------------
    # Around the matrix
    # ------------------------------------------------------------------
    def test_portal_reads_its_own_contact_only_and_never_internal_fields(self):
        """The "own only" of the portal column: its own contact card, nothing internal."""
        portal = self.users["portal"]
        own = portal.partner_id.with_user(portal)
        self.assertEqual(own.read(["name"])[0]["name"], portal.partner_id.name)
        for field in ("conflict_note", "phone_ids", "email_ids", "invoiced_total"):
            with self.subTest(field=field), self.assertRaises(AccessError):
                own.read([field])

    def test_export_needs_odoos_export_right_too(self):
        """An administrator who withheld Odoo's export right keeps clients from being exported."""
        without = new_test_user(
            self.env,
            login="matrix_no_export",
            groups="client_management.group_client_manager",
            company_id=self.company_a.id,
        )
        with self.assertRaises(AccessError):
            self.env["client.import"].with_user(without).export_partners(self.client.ids)
        self.assertIs(self._op_export(self.users["clients_user"]), True)

    def test_other_company_import_never_updates_the_client_of_company_a(self):
        """A row with company A's client's e-mail, imported in company B, creates a client of
        its own: the client of company A is neither matched nor changed."""
        user = self.users["other_company"]
        content = csv_bytes([["Name", "E-mail", "Notes"], ["Alfa Matrix Client", EMAIL, "from B"]])
        result = self.env["client.import"].with_user(user).import_file(content, "clients.csv")
        self.assertEqual((result["created"], result["updated"]), (1, 0), result)
        self.assertNotIn(self.client.id, result["partner_ids"])
        self.client.invalidate_recordset()
        self.assertFalse(self.client.comment, "the client of company A is untouched")

    def test_client_card_never_shows_an_editable_list_to_a_user_who_cannot_save_it(self):
        for role, editable in FORM_EDITABLE_LINES.items():
            user = self.users[role]
            arch = etree.fromstring(self.env["res.partner"].with_user(user).get_view(view_type="form")["arch"])
            for field, model in (("phone_ids", "res.partner.phone"), ("email_ids", "res.partner.email")):
                with self.subTest(role=role, field=field):
                    self.assertEqual(
                        self.env[model].with_user(user).has_access("write"),
                        editable,
                        f"{role}: the card's {field} list must be editable exactly when {model} may be written",
                    )
                    nodes = arch.xpath(f"//field[@name='{field}']")
                    self.assertTrue(nodes, f"{role}: {field} is on the card")
                    readonly = {node.get("readonly") in ("1", "True", "true") for node in nodes}
                    self.assertEqual(
                        readonly,
                        {not editable},
                        f"{role}: {field} must be {'editable' if editable else 'read-only'} on the card",
                    )
