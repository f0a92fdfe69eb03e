"""What bench_concurrency.py checks after the load (nothing lost, figures right) and prints."""

import json
import statistics
import subprocess
import sys
from collections import defaultdict

from bench_concurrency_db import IMPORT_ROWS

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
    for kind in [*bench.kinds, "payment", "import"]:
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
