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
import sys
import threading
import time
import uuid
from collections import defaultdict

import psycopg2
import requests
from bench_concurrency_check import report, verify
from bench_concurrency_db import (
    IMPORT_ROWS,
    PASSWORD,
    build,
    prepare,
    retries_in_log,
    start_server,
    stop_server,
    upgrade_cycle,
)
from bench_db import write_conf

MAX_USERS = 64
MAX_SECONDS = 600
HOT_CLIENTS = 5


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
        self.kinds = list(ACTIONS)
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
