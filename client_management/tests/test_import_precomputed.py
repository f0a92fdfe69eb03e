from odoo.tests import tagged
from odoo.tools import email_normalize

from .import_files import xlsx
from .test_import import ImportCase


@tagged("post_install", "-at_install")
class TestImportPrecomputed(ImportCase):
    """The import gives ``create`` what it already knows (the normalised number and e-mail,
    which fields have no default) instead of having Odoo work it out again for every client:
    the clients it creates are the ones Odoo's own computation gives."""

    def test_normalised_number_and_email_are_odoos(self):
        rows = [
            ["Name", "Phone", "E-mail"],
            ["Plain Client", "+371 26 500 001", "Plain.Client@Example.LV"],
            ["Extension Client", "+371 67 500 002 ext. 12", "ext.client+shop@example.lv"],
            ["National Client", "26 500 003", "national_client@sub.example.lv"],
            ["Doubled Zero Client", "00420 601 500 004", "zero@example.cz"],
            ["Unicode Client", "+7 912 500-00-05", "Jānis@example.lv"],
            ["Russian Mail Client", "+48 512 500 006", "иван@пример.рф"],
            ["Number Only Client", "+371 26 500 007", ""],
            ["Mail Only Client", "", "only.mail@example.lv"],
        ]
        result = self.run_import(rows)
        self.assertEqual(result["created"], len(rows) - 1, result["errors"])
        for row in rows[1:]:
            partner = self.partner(row[0])
            phone_sanitized, email_normalized = self.stored(partner, "phone_sanitized", "email_normalized")
            self.assertEqual(phone_sanitized, partner._phone_format(fname="phone") or None, row[0])
            self.assertEqual(email_normalized, email_normalize(partner.email, strict=False) or None, row[0])
        self.assertEqual(self.partner("Extension Client").phone_sanitized, "+37167500002")
        self.assertEqual(self.partner("National Client").phone_sanitized, "+37126500003")
        # the blacklist and the lookup read the normalised values
        self.env["phone.blacklist"]._add(["+37126500001"])
        self.env["mail.blacklist"]._add("plain.client@example.lv")
        plain = self.partner("Plain Client")
        plain.invalidate_recordset()
        self.assertTrue(plain.phone_sanitized_blacklisted)
        self.assertTrue(plain.is_blacklisted)
        self.assertIn(plain, self.Partner.search([("phone_mobile_search", "=", "+37126500001")]))

    def test_defaults_of_the_database_apply_to_imported_clients(self):
        """A default an administrator set (``ir.default``) or one given in the context reaches
        every imported client, also for a field that otherwise has none."""
        self.env["ir.default"].set("res.partner", "function", "Imported contact")
        rows = [["Name", "Phone"], ["Default One", "+371 26 500 011"], ["Default Two", "+371 26 500 012"]]
        result = self.Import.with_context(default_website="https://example.lv").import_file(
            xlsx(rows), "clients.xlsx", options={"default_country": "LV"}
        )
        self.assertEqual(result["created"], 2, result["errors"])
        for name in ("Default One", "Default Two"):
            partner = self.partner(name)
            self.assertEqual(partner.function, "Imported contact")
            self.assertEqual(partner.website, "https://example.lv")
            # the defaults Odoo gives every contact
            self.assertEqual(partner.type, "contact")
            self.assertTrue(partner.active)
            self.assertEqual(partner.lang, self.client_user.lang)
            # a field without a default stays empty
            self.assertFalse(partner.industry_id)

    def test_default_tags_of_the_context_reach_imported_clients(self):
        """Tags have an empty default, left out of the import's ``create``; tags the context
        gives as defaults still reach every client, next to the row's own."""
        vip = self.env["res.partner.category"].create({"name": "Context VIP"})
        # Odoo's partner default reads "category_id"; any field's reads "default_category_id"
        for key, value in (("category_id", vip.id), ("default_category_id", [vip.id])):
            with self.subTest(key=key):
                one, two = f"Tagged One {key}", f"Tagged Two {key}"
                rows = [["Name", "Tags"], [one, "Wholesale"], [two, ""]]
                result = self.Import.with_context(**{key: value}).import_file(
                    xlsx(rows), "clients.xlsx", options={"default_country": "LV"}
                )
                self.assertEqual(result["created"], 2, result["errors"])
                self.assertEqual(self.partner(one).category_id.mapped("name"), ["Context VIP", "Wholesale"])
                self.assertEqual(self.partner(two).category_id, vip)
        plain = self.run_import([["Name", "Tags"], ["Untagged Three", ""]])
        self.assertEqual(plain["created"], 1, plain["errors"])
        self.assertFalse(self.partner("Untagged Three").category_id)

    def test_a_context_cannot_remove_defaults_of_other_partners(self):
        """Only the importer's own object skips fields in default_get: a context value sent over
        RPC (lists, or any other value) changes nothing."""
        self.env["ir.default"].set("res.partner", "function", "Default function")
        Partner = self.env["res.partner"].with_user(self.client_user)
        owner = (self.client_user.id, self.client_user.company_id.id)
        for value in ([list(owner), ["function"]], (owner, frozenset({"function"})), "function"):
            partner = Partner.with_context(cm_fields_without_default=value).create({"name": f"Context {value!r}"})
            self.assertEqual(partner.function, "Default function")
