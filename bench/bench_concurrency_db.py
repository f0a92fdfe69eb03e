"""The database and the server of bench_concurrency.py: built once, prepared, upgraded, started."""

import os
import signal
import subprocess
import sys
import time
from collections import defaultdict

import psycopg2
import requests
from bench_db import run_odoo
from bench_invoicing import GENERATE

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
