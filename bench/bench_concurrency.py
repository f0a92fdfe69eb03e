#!/usr/bin/env python3
"""Many users at once: a load benchmark of the Clients app with Odoo's workers.

Builds (once, then reuses; default database ``cm_bench_conc``) a database of 100 000 clients
with a phone number and an e-mail each and 100 000 posted customer invoices (the SQL builder
of ``bench_invoicing.py``), with ``client_management`` installed, and N internal users (Clients
manager + Billing). Then starts Odoo with ``--workers=2`` on 127.0.0.1 and drives N simulated
users over HTTP (JSON-RPC ``/web/dataset/call_kw`` with a session each, one thread each) for T
seconds, each picking at random what people do on a client base:

* open a client card (``web_read`` of the form's fields) and the client list (``web_search_read``);
* search clients by phone, by name, by e-mail (the list's search);
* post an internal note; plan an activity and mark one done;
* create and post an invoice and register its payment, for the SAME 5 clients everybody works on;
* edit a client's phone, reassign a client's manager (same 5 clients);

while one more thread imports a 2 000-row file (``client.import.import_file``). At the end it
prints the requests per second, p50 / p95 per kind, the errors by kind (serialization failure,
deadlock, access, other: every error a user would have seen), the updates lost (every note,
invoice, payment and imported row must be there exactly once; the clients' last activity date
and figures must match what their documents say), the card's SQL query count, and last

    concurrency: errors N, lost M, card p95 X ms

    python3 bench/bench_concurrency.py --users 8 --seconds 60
    python3 bench/bench_concurrency.py --users 24 --seconds 60 --port 18601
    python3 bench/bench_concurrency.py --upgrade     # also: -u, uninstall, reinstall (timed, checksums)

Exit status 0 when nothing was lost and no error reached a user.
"""

import argparse
import base64
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict

import psycopg2
import requests
from bench_db import run_odoo, write_conf
from bench_invoicing import GENERATE

MAX_USERS = 64
MAX_SECONDS = 600
HOT_CLIENTS = 5
IMPORT_ROWS = 2000
PASSWORD = "bench-conc-password"
MARKER = "client_management.bench_concurrency"
# Odoo's command line for the server. Its prefork server re-runs argv[0] with "gevent" for
# the bus' long polling, which the benchmark does not use: that process just waits.
LAUNCHER = """import sys, time
if sys.argv[1:2] == ["gevent"]:
    while True:
        time.sleep(3600)
from odoo.cli.command import main
main()
"""

CHART = """
import sys, odoo
from odoo.tools import config
config.parse_config(['-c', sys.argv[1]])
from odoo.modules.registry import Registry
with Registry(sys.argv[2]).cursor() as cr:
    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
    if not env.company.chart_template:
        env['account.chart.template'].try_loading('generic_coa', env.company, install_demo=False)
"""

CONTACTS = """
UPDATE res_partner
   SET phone = '+371 2' || lpad(id::text, 7, '0'), email = 'conc' || id || '@example.org',
       partner_share = TRUE, customer_rank = 1
 WHERE name LIKE 'Bench client %';
ANALYZE res_partner;
"""

USERS = """
import sys, odoo
from odoo.tools import config
config.parse_config(['-c', sys.argv[1]])
from odoo.modules.registry import Registry
with Registry(sys.argv[2]).cursor() as cr:
    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
    groups = [env.ref('client_management.group_client_manager').id, env.ref('account.group_account_invoice').id,
              env.ref('base.group_user').id]
    for i in range(int(sys.argv[3])):
        login = 'bench_conc_%d' % i
        user = env['res.users'].with_context(active_test=False).search([('login', '=', login)])
        if not user:
            env['res.users'].with_context(no_reset_password=True).create({
                'name': 'Bench user %d' % i, 'login': login, 'password': sys.argv[4],
                'group_ids': [(6, 0, groups)],
            })
        elif not set(groups) <= set(user.all_group_ids.ids):  # the app was reinstalled: new groups
            user.group_ids = [(4, group) for group in groups]
"""


def psql(db, sql):
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", db, "-c", sql], check=True)


def database_exists(db):
    try:
        psycopg2.connect(dbname=db).close()
        return True
    except psycopg2.OperationalError:
        return False


def build(conf, db, clients, invoices):
    """The database, built once (marked in ir_config_parameter) and then reused."""
    if database_exists(db):
        with psycopg2.connect(dbname=db) as connection, connection.cursor() as cr:
            cr.execute("SELECT value FROM ir_config_parameter WHERE key = %s", [MARKER])
            if cr.fetchone():
                return
        raise SystemExit(f"{db} exists but was not built by this benchmark: give another -d")
    subprocess.run(["createdb", db], check=True)
    print(f"building {db}: account...", flush=True)
    print(f"  account installed in {run_odoo(conf, db, '-i', 'account', '--without-demo=1'):.0f} s", flush=True)
    subprocess.run([sys.executable, "-c", CHART, conf, db], check=True)
    start = time.perf_counter()
    psql(db, GENERATE % {"clients": clients, "invoices": invoices})
    psql(db, CONTACTS)
    print(f"  {clients} clients, {invoices} invoices generated in {time.perf_counter() - start:.0f} s", flush=True)
    seconds = run_odoo(conf, db, "-i", "client_management", "--without-demo=1")
    print(f"  client_management installed in {seconds:.0f} s", flush=True)
    psql(
        db,
        "INSERT INTO ir_config_parameter (key, value, create_date, write_date) "
        f"VALUES ('{MARKER}', '{clients}', now(), now())",
    )


def prepare(conf, db, users):
    """pg_trgm (as an administrator installs it for Odoo's trigram indexes) and the users."""
    psql(db, "CREATE EXTENSION IF NOT EXISTS pg_trgm")
    subprocess.run([sys.executable, "-c", USERS, conf, db, str(users), PASSWORD], check=True)


# ---------------------------------------------------------------------------- checksums
def native_checksums(db, columns=None):
    """{column: md5 of its values for every partner} of res_partner (``columns``: all)."""
    with psycopg2.connect(dbname=db) as connection, connection.cursor() as cr:
        if columns is None:
            cr.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'res_partner' "
                "AND table_schema = current_schema()"
            )
            columns = sorted(name for (name,) in cr.fetchall())
        sums = {}
        for column in columns:
            cr.execute(f"SELECT md5(string_agg(coalesce(\"{column}\"::text, '∅'), '|' ORDER BY id)) FROM res_partner")
            sums[column] = cr.fetchone()[0]
        return sums


def db_now(db):
    with psycopg2.connect(dbname=db) as connection, connection.cursor() as cr:
        cr.execute("SELECT now() AT TIME ZONE 'UTC'")
        return cr.fetchone()[0]


def written_since(db, since):
    """(names of the clients, count of users' partners) whose write_date is after ``since``.
    Odoo itself rewrites partner_share (and so write_date) of the users' partners when an app's
    groups come and go: those are not clients."""
    with psycopg2.connect(dbname=db) as connection, connection.cursor() as cr:
        cr.execute(
            """SELECT p.name, EXISTS (SELECT 1 FROM res_users u WHERE u.partner_id = p.id)
                 FROM res_partner p WHERE p.write_date >= %s ORDER BY p.id""",
            [since],
        )
        rows = cr.fetchall()
        return [name for name, user in rows if not user], sum(1 for _name, user in rows if user)


def upgrade_cycle(conf, db):
    """-u, uninstall, reinstall on the populated database: timed; the partners' columns that
    outlive the addon (Odoo's and other modules') must keep every value."""
    before = native_checksums(db)
    written = {}
    since = db_now(db)
    upgrade = run_odoo(conf, db, "-u", "client_management")
    written["upgrade"] = written_since(db, since)
    after_upgrade = native_checksums(db)
    since = db_now(db)
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from odoo.cli.command import main; sys.argv[0] = 'odoo'; main()",
            "module",
            "uninstall",
            "-c",
            conf,
            "-d",
            db,
            "client_management",
        ],
        check=True,
    )
    uninstall = time.perf_counter() - start
    written["uninstall"] = written_since(db, since)
    after_uninstall = native_checksums(db)
    natives = sorted(after_uninstall)
    with psycopg2.connect(dbname=db) as connection, connection.cursor() as cr:
        cr.execute(r"SELECT count(*) FROM pg_indexes WHERE indexname LIKE 'res\_partner\_cm\_%'")
        left_indexes = cr.fetchone()[0]
        cr.execute("SELECT to_regclass('client_management_pending') IS NOT NULL")
        left_queue = cr.fetchone()[0]
    since = db_now(db)
    reinstall = run_odoo(conf, db, "-i", "client_management", "--without-demo=1")
    written["reinstall"] = written_since(db, since)
    after_reinstall = native_checksums(db, natives)
    changed = {  # each step against the one before
        "upgrade": [c for c in natives if before[c] != after_upgrade[c]],
        "uninstall": [c for c in natives if after_upgrade[c] != after_uninstall[c]],
        "reinstall": [c for c in natives if after_uninstall[c] != after_reinstall[c]],
    }
    print(f"upgrade (-u client_management): {upgrade:.0f} s", flush=True)
    print(
        f"uninstall: {uninstall:.0f} s; res_partner_cm_* indexes left: {left_indexes}; queue table left: {left_queue}"
    )
    print(f"reinstall: {reinstall:.0f} s")
    print(f"res_partner columns outliving the addon: {len(natives)} (of {len(before)})")
    for step, columns in changed.items():
        clients, users = written[step]
        names = ", ".join(clients[:5])
        print(
            f"  native columns changed by {step}: {', '.join(columns) or 'none'}; clients written: "
            f"{len(clients)}{f' ({names})' if names else ''}; users' partners written (by Odoo): {users}"
        )
    clients_changed = any(set(columns) - {"write_date", "write_uid", "partner_share"} for columns in changed.values())
    clients_changed = clients_changed or any(clients for clients, _users in written.values())
    return not clients_changed and not left_indexes and not left_queue


# ---------------------------------------------------------------------------- server
def start_server(conf, db, port, log):
    launcher = os.path.join(os.path.dirname(conf), f"{db}_odoo.py")
    with open(launcher, "w") as handle:
        handle.write(LAUNCHER)
    command = [
        sys.executable,
        launcher,
        "-c", conf, "-d", db, f"--db-filter=^{db}$", "--workers=2", "--max-cron-threads=0",
        "--http-interface=127.0.0.1", f"--http-port={port}", "--limit-time-real=900", "--limit-time-cpu=900",
        "--log-level=warn", "--log-handler=odoo.service.model:INFO", f"--logfile={log}",
    ]  # fmt: skip
    server = subprocess.Popen(command, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    for _i in range(120):
        try:
            if requests.get(f"{base}/web/login", timeout=5).status_code == 200:
                return server, base
        except requests.RequestException:
            pass
        time.sleep(1)
    stop_server(server)
    raise SystemExit(f"the server did not answer on {base} (see {log})")


def retries_in_log(log, offset):
    """{error: (count, seconds waited)} of the transactions Odoo retried (a serialization failure
    or a deadlock it replays after a random back-off: not an error for the user, but time)."""
    import re

    found = defaultdict(lambda: [0, 0.0])
    with open(log, errors="replace") as handle:
        handle.seek(offset)
        for line in handle:
            match = re.search(r"odoo\.service\.model: (.+?), \d+ tries left, try again in ([\d.]+) sec", line)
            if match:
                found[match.group(1)][0] += 1
                found[match.group(1)][1] += float(match.group(2))
    return dict(found)


def stop_server(server):
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


class RpcError(Exception):
    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind


def classify(error):
    data = error.get("data") or {}
    text = f"{data.get('name', '')} {data.get('message', '')} {error.get('message', '')}".lower()
    if "serializ" in text or "concurrent update" in text or "concurrencyerror" in text:
        return "serialization failure"
    if "deadlock" in text:
        return "deadlock"
    if "accesserror" in text or "access denied" in text or "not allowed" in text:
        return "access"
    return "other"


class Session:
    """One simulated user: a web session, JSON-RPC as the web client calls it."""

    def __init__(self, base, db, login):
        self.base = base
        self.http = requests.Session()
        # a connection per request: no race with the server closing an idle kept-alive one
        self.http.headers["Connection"] = "close"
        self.context = {"lang": "en_US", "tz": "UTC"}
        info = self.call("/web/session/authenticate", {"db": db, "login": login, "password": PASSWORD})
        self.uid = info["uid"]

    def call(self, path, params):
        try:
            response = self.http.post(
                self.base + path, json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}, timeout=900
            )
        except requests.RequestException as exc:
            raise RpcError("other", repr(exc)) from exc
        if response.status_code != 200:
            raise RpcError("other", f"HTTP {response.status_code}")
        data = response.json()
        if "error" in data:
            raise RpcError(classify(data["error"]), json.dumps(data["error"])[:400])
        return data["result"]

    def kw(self, model, method, args, **kwargs):
        context = {**self.context, **kwargs.pop("context", {})}
        return self.call(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": {**kwargs, "context": context}},
        )


# ---------------------------------------------------------------------------- load
CLIENTS_DOMAIN = [("is_client", "=", True)]
LIST_SPEC = {
    "display_name": {},
    "ref": {},
    "email": {},
    "phone": {},
    "user_id": {"fields": {"display_name": {}}},
    "invoiced_total": {},
    "amount_due": {},
    "last_activity_date": {},
    "next_activity_date": {},
}
ACTIONS = {  # kind: weight
    "card": 18,
    "list": 8,
    "search_phone": 7,
    "search_name": 7,
    "search_email": 5,
    "note": 12,
    "plan_activity": 6,
    "finish_activity": 4,
    "invoice": 8,
    "edit_phone": 5,
    "manager": 5,
}


def card_spec(session):
    """What the client form reads: its fields (many2one / x2many with their display name)."""
    import re

    views = session.kw("res.partner", "get_views", [[[False, "form"]]])
    arch = views["views"]["form"]["arch"]
    fields = views["models"]["res.partner"]["fields"]
    spec = {}
    for name in dict.fromkeys(re.findall(r'<field name="(\w+)"', arch)):
        field = fields.get(name)
        if not field:
            continue
        if field["type"] in ("many2one", "one2many", "many2many"):
            spec[name] = {"fields": {"display_name": {}}}
        else:
            spec[name] = {}
    return spec


class Bench:
    def __init__(self, base, db, users, seconds, run):
        self.base, self.db, self.run = base, db, run
        self.deadline = time.monotonic() + seconds
        self.lock = threading.Lock()
        self.timings = defaultdict(list)
        self.errors = defaultdict(lambda: defaultdict(int))
        self.samples = {}
        self.notes, self.activities, self.invoices, self.payments = [], [], [], []
        self.imported = None
        self.retries = {}
        with psycopg2.connect(dbname=db) as connection, connection.cursor() as cr:
            cr.execute("SELECT id FROM res_partner WHERE name LIKE 'Bench client %%' ORDER BY id")
            self.clients = [pid for (pid,) in cr.fetchall()]
            cr.execute("SELECT id FROM res_users WHERE login LIKE 'bench_conc_%%' ORDER BY id")
            self.user_ids = [uid for (uid,) in cr.fetchall()][:users]
        self.hot = self.clients[:HOT_CLIENTS]
        self.spec = card_spec(Session(base, db, "bench_conc_0"))

    def timed(self, kind, func):
        start = time.perf_counter()
        try:
            result = func()
        except RpcError as exc:
            with self.lock:
                self.errors[kind][exc.kind] += 1
                self.samples.setdefault((kind, exc.kind), str(exc))
            return None
        with self.lock:
            self.timings[kind].append((time.perf_counter() - start) * 1000)
        return result

    def user(self, index, session):
        rng = random.Random(index)
        kinds, weights = list(ACTIONS), list(ACTIONS.values())
        while time.monotonic() < self.deadline:
            getattr(self, "do_" + rng.choices(kinds, weights)[0])(session, rng)

    def client(self, rng, hot_share=0.3):
        return rng.choice(self.hot) if rng.random() < hot_share else rng.choice(self.clients)

    def do_card(self, session, rng):
        pid = self.client(rng)
        self.timed("card", lambda: session.kw("res.partner", "web_read", [[pid]], specification=self.spec))

    def do_list(self, session, rng):
        order = rng.choice(["complete_name asc", "invoiced_total desc", "last_activity_date desc"])
        self.timed(
            "list",
            lambda: session.kw(
                "res.partner", "web_search_read", [], domain=CLIENTS_DOMAIN, specification=LIST_SPEC,
                limit=80, order=order, count_limit=10001,
            ),
        )  # fmt: skip

    def search(self, session, kind, domain):
        self.timed(
            kind,
            lambda: session.kw("res.partner", "web_search_read", [], domain=domain, specification=LIST_SPEC, limit=80),
        )

    def do_search_phone(self, session, rng):
        self.search(session, "search_phone", [("phone_lookup", "ilike", f"2{rng.choice(self.clients):07d}")])

    def do_search_name(self, session, rng):
        text = f"Bench client {rng.randint(1, len(self.clients))}"
        fields = ("complete_name", "ref", "email", "vat", "company_registry")
        domain = ["|"] * (len(fields) - 1) + [(field, "ilike", text) for field in fields]
        self.search(session, "search_name", domain)

    def do_search_email(self, session, rng):
        self.search(session, "search_email", [("email", "ilike", f"conc{rng.choice(self.clients)}@")])

    def do_note(self, session, rng):
        pid, token = self.client(rng, 0.5), f"bench-{self.run}-n{uuid.uuid4().hex}"
        done = self.timed(
            "note",
            lambda: session.kw(
                "res.partner", "message_post", [[pid]], body=f"Called the client ({token})",
                message_type="comment", subtype_xmlid="mail.mt_note",
            ),
        )  # fmt: skip
        if done is not None:
            with self.lock:
                self.notes.append((token, pid))

    def do_plan_activity(self, session, rng):
        pid, token = self.client(rng, 0.5), f"bench-{self.run}-a{uuid.uuid4().hex}"
        deadline = time.strftime("%Y-%m-%d", time.gmtime(time.time() + rng.randint(1, 30) * 86400))
        done = self.timed(
            "plan_activity",
            lambda: session.kw(
                "res.partner", "activity_schedule", [[pid]], act_type_xmlid="mail.mail_activity_data_todo",
                date_deadline=deadline, summary=token, user_id=session.uid,
            ),
        )  # fmt: skip
        if done is not None:
            with self.lock:
                self.activities.append((token, pid))

    def do_finish_activity(self, session, rng):
        found = self.timed(
            "finish_activity",
            lambda: session.kw(
                "mail.activity", "search_read", [], domain=[("summary", "like", f"bench-{self.run}-a"),
                ("user_id", "=", session.uid)], fields=["id"], limit=1,
            ),
        )  # fmt: skip
        if found:
            self.timed(
                "finish_activity",
                lambda: session.kw("mail.activity", "action_feedback", [[found[0]["id"]]], feedback="Done"),
            )

    def do_invoice(self, session, rng):
        pid, amount = rng.choice(self.hot), float(rng.randint(10, 500))
        values = {
            "move_type": "out_invoice",
            "partner_id": pid,
            "invoice_line_ids": [[0, 0, {"name": "Service", "quantity": 1, "price_unit": amount, "tax_ids": []}]],
        }
        created = self.timed("invoice", lambda: session.kw("account.move", "create", [[values]]))
        if not created:
            return
        move_id = created[0] if isinstance(created, list) else created
        if self.timed("invoice", lambda: session.kw("account.move", "action_post", [[move_id]])) is None:
            return
        with self.lock:
            self.invoices.append(move_id)
        context = {"active_model": "account.move", "active_ids": [move_id]}

        def pay():
            wizard = session.kw("account.payment.register", "create", [[{}]], context=context)
            wizard_id = wizard[0] if isinstance(wizard, list) else wizard
            session.kw("account.payment.register", "action_create_payments", [[wizard_id]], context=context)
            return True

        if self.timed("payment", pay):
            with self.lock:
                self.payments.append(move_id)

    def do_edit_phone(self, session, rng):
        pid, number = rng.choice(self.hot), f"+371 29{rng.randint(0, 999999):06d}"
        self.timed("edit_phone", lambda: session.kw("res.partner", "write", [[pid], {"phone": number}]))

    def do_manager(self, session, rng):
        pid, user_id = rng.choice(self.hot), rng.choice(self.user_ids)
        self.timed("manager", lambda: session.kw("res.partner", "write", [[pid], {"user_id": user_id}]))

    def importer(self, session):
        rows = ["Name,E-mail,Phone"]
        for i in range(IMPORT_ROWS):
            rows.append(f"Import {self.run} {i},imp{i}.{self.run}@bench-import.example,+371 6{7000000 + i:07d}")
        content = base64.b64encode("\n".join(rows).encode()).decode()
        options = {"default_country": "LV", "match_on": ["email"], "mode": "create"}
        result = self.timed(
            "import", lambda: session.kw("client.import", "import_file", [content, "bench.csv"], options=options)
        )
        if result is not None:
            self.imported = result

    def go(self, users, seconds):
        # logging in (a password hash each) is done before the clock starts
        sessions = [Session(self.base, self.db, f"bench_conc_{i}") for i in range(users)]
        threads = [threading.Thread(target=self.user, args=(i, sessions[i]), daemon=True) for i in range(users)]
        threads.append(
            threading.Thread(target=self.importer, args=(Session(self.base, self.db, "bench_conc_0"),), daemon=True)
        )
        self.deadline = time.monotonic() + seconds
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(MAX_SECONDS + 600)
        return time.perf_counter() - started


# ---------------------------------------------------------------------------- checks
VERIFY = r"""
import json, re, sys
from collections import Counter
import odoo
from odoo.tools import config
config.parse_config(["-c", sys.argv[1]])
from odoo.modules.registry import Registry
args = json.loads(sys.stdin.read())
run = args["run"]
out = {}
with Registry(sys.argv[2]).cursor() as cr:
    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
    cr.execute("SELECT count(*) FROM client_management_pending")
    out["queued"] = cr.fetchone()[0]
    env["res.partner.invoicing.stat"]._cron_apply_pending()  # what a busy client left (the cron's job)
    cr.commit()

    def tokens(kind, text):
        return re.findall(r"bench-%s-%s[0-9a-f]{32}" % (run, kind), text or "")

    cr.execute("SELECT body FROM mail_message WHERE model = 'res.partner' AND body LIKE %s", ["%%bench-%s-%%" % run])
    bodies = [body for (body,) in cr.fetchall()]
    notes = Counter(t for body in bodies for t in tokens("n", body))
    expected = [token for token, _pid in args["notes"]]
    out["notes"] = sum(1 for t in expected if notes[t] != 1) + len(set(notes) - set(expected))
    done = Counter(t for body in bodies for t in tokens("a", body))
    cr.execute("SELECT summary FROM mail_activity WHERE active AND summary LIKE %s", ["bench-%s-a%%" % run])
    planned = Counter(summary for (summary,) in cr.fetchall())
    expected = args["activities"]
    out["activities"] = sum(1 for t in expected if planned[t] + done[t] != 1) + len(
        (set(planned) | set(done)) - set(expected))
    cr.execute("SELECT id FROM account_move WHERE id = ANY(%s) AND state = 'posted'", [args["invoices"]])
    out["invoices"] = len(set(args["invoices"]) - {mid for (mid,) in cr.fetchall()})
    cr.execute(
        "SELECT m.id FROM account_move m WHERE m.id = ANY(%s) AND m.payment_state IN ('paid', 'in_payment') "
        "AND (SELECT count(*) FROM account_move__account_payment r WHERE r.invoice_id = m.id) = 1",
        [args["payments"]],
    )
    out["payments"] = len(set(args["payments"]) - {mid for (mid,) in cr.fetchall()})
    cr.execute("SELECT count(*), count(DISTINCT email) FROM res_partner WHERE email LIKE %s",
               ["%%.%s@bench-import.example" % run])
    rows, distinct = cr.fetchone()
    out["imported_rows"] = rows
    out["import"] = abs(args["import_rows"] - rows) + (rows - distinct) if args["import_done"] else 0
    # the clients' bookkeeping must say what their documents say
    ids = sorted(set(args["hot"]) | {pid for _token, pid in args["notes"]} | set(args["activity_clients"]))
    cr.execute("SELECT id, last_activity_date, next_activity_date FROM res_partner WHERE id = ANY(%s)", [ids])
    dates = {row[0]: row[1:] for row in cr.fetchall()}
    cr.execute("SELECT partner_id, company_id, invoiced_total, amount_due, last_invoice_date "
               "FROM res_partner_invoicing_stat WHERE partner_id = ANY(%s) ORDER BY 1, 2", [ids])
    figures = cr.fetchall()
    env["res.partner"]._cm_fill_activity_dates(ids)
    env["res.partner.invoicing.stat"]._refresh(ids)
    env.flush_all()
    cr.execute("SELECT id, last_activity_date, next_activity_date FROM res_partner WHERE id = ANY(%s)", [ids])
    truth = {row[0]: row[1:] for row in cr.fetchall()}
    out["dates"] = sum(1 for pid in ids if dates.get(pid) != truth.get(pid))
    out["dates_detail"] = [[pid, str(dates.get(pid)), str(truth.get(pid))] for pid in ids
                           if dates.get(pid) != truth.get(pid)][:5]
    cr.execute("SELECT partner_id, company_id, invoiced_total, amount_due, last_invoice_date "
               "FROM res_partner_invoicing_stat WHERE partner_id = ANY(%s) ORDER BY 1, 2", [ids])
    out["figures"] = len(set(figures) ^ set(cr.fetchall()))
    out["checked_clients"] = len(ids)
    cr.rollback()
    # the card's SQL queries, as a user opening it
    user = env["res.users"].search([("login", "=", "bench_conc_0")])
    uenv = env(user=user.id, context={"lang": "en_US", "tz": "UTC", "allowed_company_ids": user.company_id.ids})
    out["card_queries"] = {}
    uenv["res.partner"].browse(args["plain"]).web_read(args["spec"])  # warm Odoo's caches (views, rules)
    for label, pid in (("busiest client", args["hot"][0]), ("plain client", args["plain"])):
        uenv.invalidate_all()
        start = cr.sql_log_count
        uenv["res.partner"].browse(pid).web_read(args["spec"])
        out["card_queries"][label] = cr.sql_log_count - start
    cr.rollback()
print(json.dumps(out))
"""


def verify(conf, db, bench):
    payload = {
        "run": bench.run,
        "notes": bench.notes,
        "activities": [token for token, _pid in bench.activities],
        "activity_clients": [pid for _token, pid in bench.activities],
        "invoices": bench.invoices,
        "payments": bench.payments,
        "import_rows": IMPORT_ROWS,
        "import_done": bench.imported is not None,
        "hot": bench.hot,
        "plain": bench.clients[len(bench.clients) // 2],
        "spec": bench.spec,
    }
    output = subprocess.run(
        [sys.executable, "-c", VERIFY, conf, db], input=json.dumps(payload), text=True, capture_output=True
    )
    if output.returncode:
        print(output.stderr[-3000:])
        raise SystemExit("the checks failed to run")
    return json.loads(output.stdout.strip().splitlines()[-1])


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def report(bench, elapsed, checks, users, seconds):
    total = sum(len(values) for values in bench.timings.values())
    errors = sum(sum(kinds.values()) for kinds in bench.errors.values())
    print(f"\n{users} users for {seconds} s (+ one 2 000-row import), ran {elapsed:.0f} s")
    print(f"requests: {total} answered, {total / elapsed:.1f} req/s; errors: {errors}")
    print(f"{'kind':<16}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}  errors")
    for kind in [*list(ACTIONS), "payment", "import"]:
        values = bench.timings.get(kind, [])
        kinds = ", ".join(f"{name} {count}" for name, count in sorted(bench.errors.get(kind, {}).items()))
        print(
            f"{kind:<16}{len(values):>7}{statistics.median(values) if values else 0:>9.0f}"
            f"{percentile(values, 0.95):>9.0f}  {kinds or '-'}"
        )
    by_kind = defaultdict(int)
    for kinds in bench.errors.values():
        for name, count in kinds.items():
            by_kind[name] += count
    print(
        "errors by kind: "
        + ", ".join(
            f"{name} {by_kind.get(name, 0)}" for name in ("serialization failure", "deadlock", "access", "other")
        )
    )
    retried = sum(count for count, _wait in bench.retries.values())
    print(
        f"transactions replayed by Odoo (not seen by users): {retried}"
        + "".join(f"; {error} {count}, {wait:.0f} s of back-off" for error, (count, wait) in bench.retries.items())
    )
    for (kind, name), sample in list(bench.samples.items())[:6]:
        print(f"  e.g. {kind} / {name}: {sample[:300]}")
    lost_keys = ("notes", "activities", "invoices", "payments", "import", "dates", "figures")
    lost = sum(checks[key] for key in lost_keys)
    print(
        f"written and checked: {len(bench.notes)} notes, {len(bench.activities)} activities, {len(bench.invoices)} "
        f"invoices, {len(bench.payments)} payments, {checks['imported_rows']} imported clients; bookkeeping of "
        f"{checks['checked_clients']} clients (last / next activity, figures)"
    )
    print("lost or doubled: " + ", ".join(f"{key} {checks[key]}" for key in lost_keys))
    if checks["dates_detail"]:
        print(f"  dates (client, stored, from the documents): {checks['dates_detail']}")
    print(f"bookkeeping still queued at the end of the run (then applied as the cron does): {checks['queued']}")
    print("card SQL queries: " + ", ".join(f"{label} {count}" for label, count in checks["card_queries"].items()))
    card_p95 = percentile(bench.timings.get("card", []), 0.95)
    print(f"concurrency: errors {errors}, lost {lost}, card p95 {card_p95:.0f} ms")
    return errors, lost


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-d", "--database", default="cm_bench_conc")
    parser.add_argument("--users", type=int, default=8, help=f"simulated users (1-{MAX_USERS})")
    parser.add_argument("--seconds", type=int, default=60, help=f"duration of the load (5-{MAX_SECONDS})")
    parser.add_argument("--port", type=int, default=18600)
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--upgrade", action="store_true", help="first: -u, uninstall, reinstall (timed, checksums)")
    parser.add_argument("--no-load", action="store_true", help="with --upgrade: only the upgrade cycle")
    args = parser.parse_args()
    if not 1 <= args.users <= MAX_USERS or not 5 <= args.seconds <= MAX_SECONDS:
        parser.error(f"--users 1-{MAX_USERS}, --seconds 5-{MAX_SECONDS}")
    db = args.database
    conf = write_conf(db)
    build(conf, db, args.clients, args.invoices)
    prepare(conf, db, args.users)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start", flush=True)
    upgrade_ok = True
    if args.upgrade:
        upgrade_ok = upgrade_cycle(conf, db)
        prepare(conf, db, args.users)  # the reinstalled app's groups
    if args.no_load:
        return 0 if upgrade_ok else 1
    log = os.path.join(os.path.dirname(conf), f"{db}.log")
    offset = os.path.getsize(log) if os.path.exists(log) else 0
    server, base = start_server(conf, db, args.port, log)
    try:
        bench = Bench(base, db, args.users, args.seconds, run=uuid.uuid4().hex[:8])
        elapsed = bench.go(args.users, args.seconds)
        bench.retries = retries_in_log(log, offset)
        load = os.getloadavg()[0]
    finally:
        stop_server(server)
    checks = verify(conf, db, bench)
    print(f"load average {load:.1f} at the end of the run")
    errors, lost = report(bench, elapsed, checks, args.users, args.seconds)
    return 0 if not errors and not lost and upgrade_ok else 1


if __name__ == "__main__":
    sys.exit(main())
