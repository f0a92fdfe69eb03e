import datetime
from unittest.mock import patch

from odoo.tests import tagged

from .import_files import xlsx
from .test_import import ImportCase

# what Odoo computes for a new client right after inserting it
COMPUTED = ("complete_name", "commercial_company_name", "partner_share", "birthday_key")


@tagged("post_install", "-at_install")
class TestImportInsert(ImportCase):
    """The clients an import creates are inserted with what Odoo would compute for them right
    after (``models/res_partner_insert.py``): the same values, written once."""

    def row_writes(self):
        """(rows inserted, rows updated) in res_partner by this transaction so far."""
        self.env.flush_all()
        self.env.cr.execute("SELECT n_tup_ins, n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = 'res_partner'")
        return self.env.cr.fetchone()

    def reference(self, partner):
        """A client created by Odoo's own ``create`` with the imported one's values."""
        return self.env["res.partner"].create(
            {
                "name": partner.name,
                "is_company": partner.is_company,
                "parent_id": partner.parent_id.id,
                "birthdate": partner.birthdate,
            }
        )

    def test_values_are_those_of_odoos_create(self):
        rows = [
            ["Name", "Type", "Company", "Birthdate"],
            ["Insert Company", "Company", "", "01.03.1990"],
            ["  Insert Spaced Person  ", "Individual", "", "29.02.1988"],
            ["Insert Employed Person", "Individual", "Insert Company", "31.12.1975"],
            ["Insert Undated Person", "Individual", "", ""],
        ]
        result = self.run_import(rows)
        self.assertEqual(result["created"], 4, result["errors"])
        names = ("Insert Company", "Insert Spaced Person", "Insert Employed Person", "Insert Undated Person")
        imported = {name: self.Partner.search([("name", "ilike", name)]) for name in names}
        for name, partner in imported.items():
            self.assertEqual(len(partner), 1, name)
            reference = self.reference(partner)
            self.assertEqual(self.stored(partner, *COMPUTED), self.stored(reference, *COMPUTED), name)
            commercial = self.stored(partner, "commercial_partner_id")[0]
            self.assertEqual(commercial, (partner.parent_id or partner).id, name)
        company = imported["Insert Company"]
        self.assertEqual(self.stored(company, *COMPUTED), ("Insert Company", "Insert Company", True, 301))
        spaced = imported["Insert Spaced Person"]
        self.assertEqual(self.stored(spaced, "complete_name", "birthday_key"), ("Insert Spaced Person", 229))
        employed = imported["Insert Employed Person"]
        self.assertEqual(employed.commercial_partner_id, company)
        self.assertEqual(employed.complete_name, "Insert Company, Insert Employed Person")
        # what the birthday filters and the contact list read
        today = datetime.date.today()
        dated = self.run_import([["Name", "Birthdate"], ["Insert Birthday Today", today.strftime("%d.%m.1980")]])
        self.assertEqual(dated["created"], 1, dated["errors"])
        self.assertIn(
            self.partner("Insert Birthday Today"), self.Partner.search([("is_birthday_this_month", "=", True)])
        )
        self.assertIn(spaced, self.Partner.search([("complete_name", "=", "Insert Spaced Person")]))

    def test_each_new_client_is_written_once(self):
        """A client without a parent company is inserted with its computed values: no second
        write of its row (which would rewrite it in every index of the table)."""
        inserted, updated = self.row_writes()
        rows = [["Name", "Type", "Phone", "E-mail", "Birthdate"]]
        rows += [
            [f"Once Client {i}", "Individual", f"+371 26 600 0{i:02d}", f"once{i}@example.lv", "05.06.1990"]
            for i in range(12)
        ]
        rows.append(["Once Company", "Company", "+371 67 600 000", "office@once.example.lv", ""])
        result = self.run_import(rows)
        self.assertEqual(result["created"], 13, result["errors"])
        self.assertEqual(self.row_writes(), (inserted + 13, updated))
        company = self.partner("Once Company")
        self.assertTrue(company.is_company)
        self.assertEqual(self.stored(company, "commercial_company_name", "complete_name"), ("Once Company",) * 2)
        # Odoo's own create, as without the addon, writes it twice
        self.env["res.partner"].create({"name": "Twice Client"})
        self.assertEqual(self.row_writes(), (inserted + 14, updated + 1))

    def test_a_field_computed_from_an_apps_computed_field_is_left_to_odoo(self):
        """When an installed app computes a field one of these values depends on (here, the
        birthdate), the value is not inserted but computed by Odoo once the app's is known."""
        field = self.env["res.partner"]._fields["birthday_key"]
        inserted, updated = self.row_writes()
        with patch.dict(self.registry.field_depends, {field: ("email_normalized",)}):
            result = self.run_import([["Name", "Birthdate"], ["Insert Computed Dependency", "07.08.1990"]])
            self.assertEqual(result["created"], 1, result["errors"])
            self.assertEqual(self.stored(self.partner("Insert Computed Dependency"), "birthday_key"), (807,))
            self.assertEqual(self.row_writes(), (inserted + 1, updated + 1))

    def test_a_context_from_outside_changes_nothing(self):
        """Only the importer's own object asks for it: any value a context sent over RPC can
        hold leaves Odoo's create as it is."""
        Partner = self.env["res.partner"].with_user(self.client_user)
        for value in (True, 1, "1", {"known": True}, ["commercial_partner_id"]):
            inserted, updated = self.row_writes()
            partner = Partner.with_context(cm_insert_known=value).create({"name": f"Outside {value!r}"})
            self.assertEqual(self.row_writes(), (inserted + 1, updated + 1), value)
            self.assertEqual(partner.commercial_partner_id, partner)

    def test_a_default_parent_company_is_followed(self):
        """A parent company the rows do not give but a default does (``ir.default``) is Odoo's
        to follow: the client is computed as a contact of that company."""
        parent = self.env["res.partner"].create({"name": "Insert Default Parent", "is_company": True})
        self.env["ir.default"].set("res.partner", "parent_id", parent.id)
        result = self.run_import([["Name"], ["Insert Defaulted Person"]])
        self.assertEqual(result["created"], 1, result["errors"])
        partner = self.partner("Insert Defaulted Person")
        self.assertEqual(partner.parent_id, parent)
        self.assertEqual(self.stored(partner, "commercial_partner_id"), (parent.id,))
        self.assertEqual(self.stored(partner, "complete_name"), ("Insert Default Parent, Insert Defaulted Person",))

    def test_an_app_computing_otherwise_is_followed(self):
        """An installed app that computes one of these fields its own way is not bypassed; the
        other fields are still inserted."""
        model = type(self.env["res.partner"])
        group = self.env["res.partner"].create({"name": "Insert App Group", "is_company": True})

        def _compute_commercial_partner(partners):
            for partner in partners:
                if partner.name == "Insert App Person":
                    partner.commercial_partner_id = group
                elif partner.parent_id and not partner.is_company:
                    partner.commercial_partner_id = partner.parent_id.commercial_partner_id
                else:
                    partner.commercial_partner_id = partner

        def _compute_birthday_key(partners):
            for partner in partners:
                partner.birthday_key = 1234 if partner.birthdate else 0

        patches = (
            patch.object(model, "_compute_commercial_partner", _compute_commercial_partner, create=False),
            patch.object(model, "_compute_birthday_key", _compute_birthday_key, create=False),
        )
        with patches[0], patches[1]:
            result = self.run_import([["Name", "Birthdate"], ["Insert App Person", "02.03.1990"]])
            self.assertEqual(result["created"], 1, result["errors"])
            partner = self.partner("Insert App Person")
            self.assertEqual(self.stored(partner, "commercial_partner_id", "birthday_key"), (group.id, 1234))
            # the commercial company name follows the commercial partner: computed by Odoo too
            self.assertEqual(self.stored(partner, "commercial_company_name"), ("Insert App Group",))
            # the others are still inserted as Odoo computes them
            self.assertEqual(self.stored(partner, "complete_name", "partner_share"), ("Insert App Person", True))

    def test_a_parent_company_given_by_a_default_is_followed(self):
        """A parent company or company name the row does not give but a default does (the
        context, ``ir.default``) makes the client a contact of that company, as Odoo's create."""
        parent = self.env["res.partner"].create({"name": "Default Parent Co", "is_company": True})
        for key, value, client in (
            ("default_parent_id", parent.id, "Default Parented Person"),
            ("default_company_name", "Context Co", "Default Company Named Person"),
            ("default_company_name", "", "Empty Company Named Person"),
        ):
            with self.subTest(key=key):
                result = self.Import.with_context(**{key: value}).import_file(
                    xlsx([["Name"], [client]]), "clients.xlsx", options={"default_country": "LV"}
                )
                self.assertEqual(result["created"], 1, result["errors"])
                partner = self.Partner.search([("name", "=", client)])
                reference = self.env["res.partner"].with_context(**{key: value}).create({"name": client})
                names = ("commercial_partner_id", "complete_name", "commercial_company_name")
                imported, expected = self.stored(partner, *names), self.stored(reference, *names)
                self.assertEqual(imported[1:], expected[1:])
                self.assertEqual(imported[0] == partner.id, expected[0] == reference.id)
        self.assertEqual(self.Partner.search([("name", "=", "Default Parented Person")]).commercial_partner_id, parent)

    def test_an_app_computing_names_otherwise_is_followed(self):
        """An installed app that computes the display name its own way is not bypassed."""
        model = type(self.env["res.partner"])

        def _get_complete_name(partner):
            return f"[App] {partner.name}"

        with patch.object(model, "_get_complete_name", _get_complete_name, create=False):
            result = self.run_import([["Name"], ["App Named Client"]])
            self.assertEqual(result["created"], 1, result["errors"])
            self.assertEqual(
                self.stored(self.partner("App Named Client"), "complete_name"), ("[App] App Named Client",)
            )
