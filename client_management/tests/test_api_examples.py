"""The README's JSON-2 examples (section "API for integrators (JSON-2)") run as they stand,
over HTTP against the live test server, with API keys of real users: the rights the README
asks for are enough, and a user without them gets a clear refusal."""

import contextlib
import io
import json
import os
import re
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .test_invoicing_common import InvoicingCase

README = Path(__file__).resolve().parents[2] / "README.md"
SECTION = "## API for integrators (JSON-2)"
EXAMPLES = {
    "setup": "python",
    "create_client": "python",
    "find_by_phone": "python",
    "import_file": "python",
    "read_figures": "python",
    "curl_find_by_phone": "bash",
}


def readme_examples():
    """{name: (language, code)} of the fenced blocks of the section whose first line is
    `# example: <name>`."""
    text = README.read_text(encoding="utf-8")
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    section = text[start : end if end > 0 else len(text)]
    blocks = re.findall(r"^```(\w+)\n(# example: (\w+)\n.*?)^```$", section, re.MULTILINE | re.DOTALL)
    return {name: (language, code) for language, code, name in blocks}


@tagged("post_install", "-at_install")
class TestApiExamples(HttpCase, InvoicingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.examples = readme_examples()
        company = cls.env.company

        def user(login, groups):
            return new_test_user(
                cls.env, login=login, groups=groups, company_id=company.id, company_ids=[Command.set(company.ids)]
            )

        # exactly the rights the README asks for
        cls.bot = user("cm_api_bot", "client_management.group_client_user,account.group_account_invoice")
        cls.employee = user("cm_api_employee", "base.group_user")
        cls.clients_only = user("cm_api_clients_only", "client_management.group_client_user")

    def api_key(self, user):
        Keys = self.env["res.users.apikeys"].with_user(user)
        return Keys._generate("rpc", "README examples", datetime.now() + timedelta(days=1))

    def run_example(self, name, namespace):
        """Runs the README's block as it stands in ``namespace``; returns what it printed."""
        language, code = self.examples[name]
        self.assertEqual(language, "python", name)
        # what this test wrote is seen by the server (figures are written at commit time)
        self.env.flush_all()
        self.cr.flush()
        self.cr.clear()
        output = io.StringIO()
        try:
            with self.allow_requests(all_requests=True), contextlib.redirect_stdout(output):
                exec(compile(code, f"README.md [{name}]", "exec"), namespace)
        finally:
            self.env.invalidate_all()
        return output.getvalue()

    def connect(self, user=None, key=None):
        """The README's setup block, with this server, database and the user's key."""
        namespace = {"__name__": "readme_example"}
        self.run_example("setup", namespace)
        namespace.update(ODOO_URL=self.base_url(), ODOO_DB=self.env.cr.dbname, API_KEY=key or self.api_key(user))
        return namespace

    def test_every_example_of_the_section_is_run_here(self):
        self.assertEqual({name: language for name, (language, _code) in self.examples.items()}, EXAMPLES)

    def test_the_integration_user_creates_finds_imports_and_reads_figures(self):
        api = self.connect(self.bot)

        printed = self.run_example("create_client", api)
        client = self.Partner.browse(api["client_id"])
        self.assertEqual(client.name, "Jānis Bērziņš")
        self.assertRegex(client.ref or "", r"^C\d{5}$", "the next client code")
        self.assertEqual(client.create_uid, self.bot)
        phones = client.phone_ids.sorted("sequence")
        self.assertEqual(phones.mapped("number_e164"), ["+37126123456", "+37167123456"])
        self.assertEqual(phones.mapped("is_primary"), [True, False])
        self.assertEqual(phones.mapped("whatsapp"), [True, False])
        self.assertEqual(phones[1].type_id, self.env.ref("client_management.phone_type_work"))
        self.assertEqual(client.email_ids.mapped("email"), ["janis.berzins@example.lv"])
        self.assertTrue(client.email_ids.is_primary)
        self.assertEqual(printed.split(), [client.ref, "+371", "26", "123", "456", client.email])

        client.is_conflict = True
        printed = self.run_example("find_by_phone", api)
        self.assertEqual(api["ids"], [client.id], "found from the number written without +371 and spaced otherwise")
        self.assertEqual(printed.strip(), f"{client.ref} Jānis Bērziņš (conflict client)")

        printed = self.run_example("import_file", api)
        report = api["report"]
        self.assertEqual((report["created"], report["updated"]), (1, 1), report)
        self.assertEqual([(error["row"], error["column"]) for error in report["errors"]], [(4, "Phone")], report)
        self.assertEqual(client.city, "Rīga", "the matched client gets the city it lacked")
        self.assertEqual(client.phone_ids.mapped("number_e164"), ["+37126123456", "+37167123456"], "no new line")
        anna = self.Partner.search([("email", "=", "anna.kalnina@example.lv")])
        self.assertEqual(anna.phone_ids.number_e164, "+37129876543", "read in the default country")
        self.assertFalse(self.Partner.search_count([("name", "=", "Pēteris Ozols")]), "the bad row is skipped")
        lines = printed.splitlines()
        self.assertEqual(lines[0], "created 1, updated 1, unchanged 0")
        self.assertTrue(lines[1].startswith("row 4, Phone: ") and "12" in lines[1], lines)
        self.run_example("import_file", api)
        self.assertEqual((api["report"]["created"], api["report"]["updated"]), (0, 0), "the same file again")

        self.make_move(client, amount=250.0)
        self.make_move(client, amount=50.0, due=self.today - timedelta(days=3), invoice_date=self.today)
        self.flush_tracking()  # the figures land right after the commit
        printed = self.run_example("read_figures", api)
        figures = api["figures"]
        self.assertEqual(
            (figures["invoiced_total"], figures["amount_due"], figures["amount_overdue"]), (300.0, 300.0, 50.0)
        )
        self.assertEqual(figures["last_invoice_date"], str(self.today))
        currency = self.env.company.currency_id.name
        self.assertEqual(
            printed.splitlines(),
            [
                f"turnover 300.0 {currency}, outstanding 300.0 {currency}",
                f"overdue 50.0 {currency}, last invoice {self.today}",
            ],
        )

    def test_curl_example(self):
        client = self.Partner.with_context(cm_client_code=True).create(
            {"name": "Curl Client", "phone_ids": [Command.create({"number": "+371 26 123 456"})]}
        )
        language, code = self.examples["curl_find_by_phone"]
        self.assertEqual(language, "bash")
        environ = dict(
            os.environ,
            ODOO_URL=self.base_url(),
            ODOO_DB=self.env.cr.dbname,
            API_KEY=self.api_key(self.bot),
            NO_PROXY="127.0.0.1,localhost",
        )
        self.env.flush_all()
        self.cr.flush()
        with self.allow_requests(all_requests=True):
            done = subprocess.run(["bash", "-c", code], env=environ, capture_output=True, text=True, timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(json.loads(done.stdout), [client.id])

    def test_read_only_accounting_right_is_enough_for_the_figures(self):
        reader = new_test_user(
            self.env,
            login="cm_api_figures_reader",
            groups="base.group_user,account.group_account_readonly",
            company_ids=[Command.set(self.env.company.ids)],
        )
        client = self.Partner.with_context(cm_client_code=True).create({"name": "Figures Client"})
        self.make_move(client, amount=120.0)
        self.flush_tracking()  # the figures land right after the commit
        api = self.connect(reader)
        api["client_id"] = client.id
        self.run_example("read_figures", api)
        self.assertEqual((api["figures"]["invoiced_total"], api["figures"]["amount_due"]), (120.0, 120.0))

    @mute_logger("odoo.http")
    def test_users_without_the_rights_get_a_clear_refusal(self):
        client = self.Partner.with_context(cm_client_code=True).create(
            {"name": "Refused Client", "phone_ids": [Command.create({"number": "+371 26 123 456"})]}
        )
        self.make_move(client, amount=100.0)

        api = self.connect(self.employee)
        with self.assertRaisesRegex(
            api["OdooError"], r"^403 odoo\.exceptions\.AccessError: You are not allowed to create 'Contact'"
        ):
            self.run_example("create_client", api)
        self.assertFalse(self.Partner.search_count([("name", "=", "Jānis Bērziņš")]))
        with self.assertRaisesRegex(
            api["OdooError"], r"^403 odoo\.exceptions\.AccessError: Only users of the Clients app can import clients\."
        ):
            self.run_example("import_file", api)
        self.assertFalse(self.Partner.search_count([("email", "=", "anna.kalnina@example.lv")]))
        # reading clients and finding them by phone is for every employee
        self.run_example("find_by_phone", api)
        self.assertEqual(api["ids"], [client.id])

        api = self.connect(self.clients_only)
        api["client_id"] = client.id
        with self.assertRaisesRegex(api["OdooError"], r"^403 odoo\.exceptions\.AccessError: .*invoiced_total"):
            self.run_example("read_figures", api)
        self.assertNotIn("figures", api)

        api = self.connect(key="not-a-key")
        with self.assertRaisesRegex(api["OdooError"], r"^401 werkzeug\.exceptions\.Unauthorized: Invalid apikey"):
            self.run_example("find_by_phone", api)
