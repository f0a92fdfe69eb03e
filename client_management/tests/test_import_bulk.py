import datetime
from unittest.mock import patch

from odoo.addons.client_management.importer.run import Importer
from odoo.addons.client_management.tools.copy_rows import NotCopyable, copy_rows
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .test_import import ImportCase

LISTED = "+37126400074"  # opted out of SMS before the test
LISTED_MAIL = "listed.bulk@example.lv"


@tagged("post_install", "-at_install")
class TestImportBulkLines(ImportCase):
    """The lines of the clients an import creates are inserted in bulk, one batch at a time
    (``_cm_create_trusted``): what a user sees on the clients is what line-by-line creation
    gave."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["phone.blacklist"]._add([LISTED])
        cls.env["mail.blacklist"]._add(LISTED_MAIL)

    def test_lines_of_a_batch_keep_their_own_boxes_and_defaults(self):
        result = self.run_import(
            [
                ["Name", "Phone", "E-mail", "SMS", "Newsletter"],
                ["Said No", "+371 26 400 071; +371 26 400 072", "no.bulk@example.lv", "No", "No"],
                ["Said Nothing", "+371 26 400 073", "nothing.bulk@example.lv", "", ""],
                [
                    "Opted Out Before",
                    f"{LISTED}; +371 26 400 075",
                    f"{LISTED_MAIL}; other.bulk@example.lv",
                    "Yes",
                    "Yes",
                ],
            ],
            mapping={"Name": "name", "Phone": "phone", "E-mail": "email", "SMS": "sms", "Newsletter": "email_consent"},
        )
        self.assertEqual(result["created"], 3, result["errors"])
        said_no, nothing, listed = (self.partner(n) for n in ("Said No", "Said Nothing", "Opted Out Before"))
        self.assertEqual(said_no.phone_ids.mapped("sms"), [False, False])
        self.assertFalse(said_no.email_ids.consent)
        self.assertTrue(
            self.env["phone.blacklist"].search([("number", "=", "+37126400071")]), "the file's No is an opt-out"
        )
        self.assertTrue(self.env["mail.blacklist"].search([("email", "=", "no.bulk@example.lv")]))
        # a row without a Yes / No gets the boxes of a new line, whatever the other rows said
        self.assertTrue(nothing.phone_ids.sms)
        self.assertTrue(nothing.email_ids.consent)
        self.assertEqual(nothing.phone_ids.type_id, self.env.ref("client_management.phone_type_mobile"))
        self.assertFalse(self.env["phone.blacklist"].search([("number", "=", "+37126400073")]))
        # an opt-out made before is never lifted by the file's Yes
        by_number = {line.number_e164: line.sms for line in listed.phone_ids}
        self.assertEqual(by_number, {LISTED: False, "+37126400075": True})
        by_email = {line.email: line.consent for line in listed.email_ids}
        self.assertEqual(by_email, {LISTED_MAIL: False, "other.bulk@example.lv": True})

    def test_first_number_and_address_are_primary_and_the_native_fields(self):
        self.run_import(
            [
                ["Name", "Phone", "E-mail"],
                ["Two Of Each", "+371 26 400 076; +48 512 345 678", "First.Bulk@Example.lv; second.bulk@example.lv"],
            ]
        )
        partner = self.partner("Two Of Each")
        phones = partner.phone_ids.sorted("sequence")
        self.assertEqual(phones.mapped("is_primary"), [True, False])
        self.assertEqual(phones.mapped("number_e164"), ["+37126400076", "+48512345678"])
        self.assertEqual(partner.phone, phones[0].number)
        self.assertEqual(partner.phone_sanitized, "+37126400076")
        emails = partner.email_ids.sorted("sequence")
        self.assertEqual(emails.mapped("email"), ["first.bulk@example.lv", "second.bulk@example.lv"])
        self.assertEqual(emails.mapped("is_primary"), [True, False])
        self.assertEqual(partner.email_normalized, "first.bulk@example.lv")
        # the copies of the client's fields the phone lookup filters on
        self.assertEqual(phones.mapped("partner_share"), [True, True])
        self.assertEqual(phones.mapped("partner_active"), [True, True])
        self.assertEqual(phones.company_id, partner.company_id)
        self.assertEqual(self.env["res.partner"].find_by_phone("+48 512 345 678"), partner)

    def test_lines_of_a_client_of_another_company_are_refused(self):
        other = self.env["res.company"].create({"name": "Other bulk company"})
        partner = self.env["res.partner"].create({"name": "Elsewhere", "company_id": other.id})
        Line = self.env["res.partner.phone"].with_user(self.client_user)
        with self.assertRaises(AccessError):
            Line._cm_create_trusted(
                [{"partner_id": partner.id, "number": "+371 26 400 077", "number_e164": "+37126400077"}]
            )
        mine = self.env["res.partner"].create({"name": "Mine"})
        with self.assertRaises(AccessError, msg="an employee may read lines, not add them"):
            self.env["res.partner.email"].with_user(self.plain_user)._cm_create_trusted(
                [{"partner_id": mine.id, "email": "mine.bulk@example.lv"}]
            )

    def test_statistics_follow_an_import_into_a_table_believed_empty(self):
        """PostgreSQL plans the queries of each batch (its foreign key checks included) from
        the statistics of the client tables: they are refreshed as the import grows them."""
        rows = [["Name", "Phone", "E-mail"]] + [
            [f"Statistics Client {i}", f"+371 26 41{i:04d}", f"stats{i}@example.lv"] for i in range(40)
        ]
        self.env.cr.execute("ANALYZE res_partner_phone")  # the lines before the import
        with patch.object(Importer, "_partner_rows", return_value=0):
            result = self.run_import(rows, batch_size=5)
        self.assertEqual(result["created"], 40, result["errors"])
        self.env.cr.execute(
            "SELECT reltuples FROM pg_class WHERE oid = 'res_partner_phone'::regclass",
        )
        estimated = self.env.cr.fetchone()[0]
        self.assertGreaterEqual(
            estimated, self.env["res.partner.phone"].search_count([]) - 10, "analysed with the lines just written"
        )
        self.assertEqual(self.partner("Statistics Client 39").phone_ids.number_e164, "+37126410039")

    def test_a_rule_on_the_lines_applies_to_imported_lines(self):
        """The import checks the record rules of the lines it inserts in bulk once the batch is
        written: a line a rule forbids is refused with its row, the other rows are imported."""
        self.env["ir.rule"].create(
            {
                "name": "No premium numbers",
                "model_id": self.env.ref("client_management.model_res_partner_phone").id,
                "domain_force": "[('number_e164', 'not like', '+3712699%')]",
                "perm_read": False,
                "perm_write": False,
                "perm_unlink": False,
                "perm_create": True,
            }
        )
        result = self.run_import(
            [
                ["Name", "Phone"],
                ["Allowed Rule Client", "+371 26 400 081"],
                ["Forbidden Rule Client", "+371 26 990 082"],
                ["Other Allowed Rule Client", "+371 26 400 083"],
            ]
        )
        self.assertEqual(result["created"], 2)
        self.assertEqual([error["row"] for error in result["errors"]], [3])
        self.assertFalse(self.partner("Forbidden Rule Client"), "nothing of the refused row is written")
        self.assertEqual(self.partner("Other Allowed Rule Client").phone_ids.number_e164, "+37126400083")

    def test_lines_a_copy_cannot_write_are_inserted(self):
        """A value COPY's text format is not written for (a field another app adds to the lines)
        makes the bulk path insert the lines instead: the import is the same."""

        def not_copyable(*_args):
            raise NotCopyable("dict")

        with patch("odoo.addons.client_management.models.res_partner_line_bulk.copy_rows", not_copyable):
            result = self.run_import(
                [["Name", "Phone", "E-mail"], ["Inserted Lines", "+371 26 400 091", "ins@bulk.lv"]]
            )
        self.assertEqual(result["created"], 1, result["errors"])
        partner = self.partner("Inserted Lines")
        self.assertEqual((partner.phone_ids.number_e164, partner.email_ids.email), ("+37126400091", "ins@bulk.lv"))


@tagged("post_install", "-at_install")
class TestCopyRows(ImportCase):
    """The bulk lines are written with PostgreSQL's COPY (``tools/copy_rows``): every value
    arrives as it was given."""

    def test_values_arrive_as_given(self):
        self.env.cr.execute(
            "CREATE TEMP TABLE cm_copy_test (id serial PRIMARY KEY, label varchar, flag boolean, amount integer, "
            "at timestamp)"
        )
        moment = datetime.datetime(2026, 12, 7, 8, 30, 15)
        rows = [
            ("tab\there, new\nline, back\\slash, return\r.", True, 7, moment),
            ("Bērziņa «Ω» \\N", False, None, None),
            (None, None, -3, moment),
        ]
        ids = copy_rows(self.env.cr, "cm_copy_test", ["label", "flag", "amount", "at"], rows)
        self.env.cr.execute("SELECT id, label, flag, amount, at FROM cm_copy_test ORDER BY id")
        self.assertEqual(self.env.cr.fetchall(), [(row_id, *row) for row_id, row in zip(ids, rows, strict=True)])
        with self.assertRaises(NotCopyable):
            copy_rows(self.env.cr, "cm_copy_test", ["label"], [({"a": 1},)])
