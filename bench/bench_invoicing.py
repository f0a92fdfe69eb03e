#!/usr/bin/env python3
"""Benchmark of the client list with invoicing figures at scale.

Builds (by SQL) 100 000 clients and 1 000 000 invoice lines (250 000 posted customer invoices
and credit notes of 4 lines each, a third paid, a third partly paid, a third unpaid) on a
database with ``account`` installed and no ``client_management`` yet, then prints:

* the time to install ``client_management`` on that database (its set-based fill of the
  per-company figures and activity dates included) and the time to upgrade it;
* the time of each grouped read behind the graphs, pivots and dashboard figures of the Clients
  app (``formatted_read_group`` as the views call them, and the dashboards' pivots and list),
  after spreading the clients over 8 acquisition channels, 5 managers, 3 countries, 4 tags and
  24 months of creation dates (goal < 1 s each);
* the SQL query count and server time of the client list page — clients filtered "Has unpaid
  invoices", sorted by turnover (``web_search_read`` as the web client calls it) — for pages
  of 80, 20 and 200 rows: the count must not grow with the page size. Like the web client, the
  total is counted up to 10 001.

    python3 bench/bench_invoicing.py                       # database cm_bench_invoicing
    python3 bench/bench_invoicing.py --clients 10000 --invoices 25000 -d cm_bench_small
    python3 bench/bench_invoicing.py --reuse               # skip generation, measure again

The database is dropped and recreated unless ``--reuse`` is given.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

from bench_db import run_odoo, write_conf

GENERATE = """
CREATE TEMP TABLE bench_params AS
SELECT c.id AS company_id, c.currency_id,
       (SELECT id FROM account_journal WHERE type = 'sale' AND company_id = c.id ORDER BY id LIMIT 1) AS journal_id,
       (SELECT id FROM account_account WHERE account_type = 'income' ORDER BY id LIMIT 1) AS income_id,
       (SELECT id FROM account_account WHERE account_type = 'asset_receivable' ORDER BY id LIMIT 1) AS receivable_id
  FROM res_company c ORDER BY c.id LIMIT 1;

INSERT INTO res_partner (name, complete_name, active, type, is_company, autopost_bills, lang,
                         company_registry, create_date, write_date, create_uid, write_uid)
SELECT 'Bench client ' || g, 'Bench client ' || g, TRUE, 'contact', g %% 3 = 0, 'ask', 'en_US',
       NULL, now(), now(), 1, 1
  FROM generate_series(1, %(clients)s) g;
UPDATE res_partner SET commercial_partner_id = id WHERE commercial_partner_id IS NULL;

CREATE TEMP TABLE bench_partners AS
SELECT id, row_number() OVER (ORDER BY id) - 1 AS rn FROM res_partner WHERE name LIKE 'Bench client %%';
CREATE INDEX ON bench_partners (rn);

INSERT INTO account_move (name, move_type, state, date, invoice_date, invoice_date_due, journal_id, company_id,
                          currency_id, partner_id, commercial_partner_id, amount_untaxed, amount_tax, amount_total,
                          amount_residual, amount_untaxed_signed, amount_untaxed_in_currency_signed,
                          amount_total_signed, amount_total_in_currency_signed, amount_residual_signed,
                          payment_state, auto_post, create_date, write_date, create_uid, write_uid)
SELECT 'BENCH/' || g, kind, 'posted', day, day, day + 30, bp.journal_id, bp.company_id, bp.currency_id,
       p.id, p.id, amount, 0, amount, residual, sign * amount, sign * amount, sign * amount, sign * amount,
       sign * residual, CASE WHEN residual = 0 THEN 'paid' WHEN residual < amount THEN 'partial' ELSE 'not_paid' END,
       'no', now(), now(), 1, 1
  FROM generate_series(1, %(invoices)s) g
 CROSS JOIN bench_params bp
  JOIN bench_partners p ON p.rn = (g::bigint * 7919) %% %(clients)s
 CROSS JOIN LATERAL (
        SELECT CASE WHEN g %% 10 = 0 THEN 'out_refund' ELSE 'out_invoice' END AS kind,
               CASE WHEN g %% 10 = 0 THEN -1 ELSE 1 END AS sign,
               DATE '2024-01-01' + (g %% 800) AS day,
               ((g %% 997) + 10)::numeric AS amount,
               CASE g %% 3 WHEN 0 THEN 0 WHEN 1 THEN ((g %% 997) + 10)::numeric / 2
                    ELSE ((g %% 997) + 10)::numeric END AS residual
 ) AS v;

INSERT INTO account_move_line (move_id, account_id, journal_id, company_id, currency_id, company_currency_id,
                               partner_id, date, invoice_date, display_type, name, quantity, price_unit,
                               price_subtotal, price_total, balance, debit, credit, amount_currency,
                               amount_residual, amount_residual_currency, parent_state, reconciled,
                               create_date, write_date, create_uid, write_uid)
SELECT m.id, CASE WHEN k = 4 THEN bp.receivable_id ELSE bp.income_id END, m.journal_id, m.company_id,
       m.currency_id, m.currency_id, m.partner_id, m.date, m.invoice_date,
       CASE WHEN k = 4 THEN 'payment_term' ELSE 'product' END, 'Line ' || k, 1,
       m.amount_untaxed / 3, m.amount_untaxed / 3, m.amount_untaxed / 3,
       line_balance, GREATEST(line_balance, 0), GREATEST(-line_balance, 0), line_balance,
       CASE WHEN k = 4 THEN m.amount_residual_signed ELSE 0 END,
       CASE WHEN k = 4 THEN m.amount_residual_signed ELSE 0 END, 'posted', k = 4 AND m.amount_residual = 0,
       now(), now(), 1, 1
  FROM account_move m
 CROSS JOIN bench_params bp
 CROSS JOIN generate_series(1, 4) k
 CROSS JOIN LATERAL (
        SELECT CASE WHEN k = 4 THEN m.amount_total_signed ELSE -m.amount_untaxed_signed / 3 END AS line_balance
 ) AS l
 WHERE m.name LIKE 'BENCH/%%';
ANALYZE res_partner;
ANALYZE account_move;
ANALYZE account_move_line;
"""

# Channels, managers, countries, tags and creation months for the analysis (run once, after the
# install: the columns are the addon's).
DECORATE = """
INSERT INTO utm_source (name, create_date, write_date, create_uid, write_uid)
SELECT 'Bench channel ' || g, now(), now(), 1, 1 FROM generate_series(1, 8) g;
INSERT INTO res_partner_category (name, active, create_date, write_date, create_uid, write_uid)
SELECT jsonb_build_object('en_US', 'Bench tag ' || g), TRUE, now(), now(), 1, 1 FROM generate_series(1, 4) g;
WITH src AS (SELECT array_agg(id ORDER BY id) AS ids FROM utm_source WHERE name LIKE 'Bench channel %%'),
     usr AS (SELECT array_agg(id ORDER BY id) AS ids FROM (SELECT id FROM res_users ORDER BY id LIMIT 5) u),
     cty AS (SELECT array_agg(id ORDER BY id) AS ids FROM res_country WHERE code IN ('LV', 'CZ', 'PL'))
UPDATE res_partner p
   SET acquisition_source_id = src.ids[1 + p.id %% 8],
       user_id = usr.ids[1 + p.id %% array_length(usr.ids, 1)],
       country_id = cty.ids[1 + p.id %% 3],
       create_date = now() - ((p.id %% 730) || ' days')::interval,
       partner_share = TRUE  -- as Odoo computes it for a partner without user (a client)
  FROM src, usr, cty
 WHERE p.name LIKE 'Bench client %%';
INSERT INTO res_partner_res_partner_category_rel (partner_id, category_id)
SELECT p.id, c.id FROM res_partner p
  JOIN res_partner_category c ON c.name->>'en_US' = 'Bench tag ' || (1 + p.id %% 4)
 WHERE p.name LIKE 'Bench client %%' AND p.id %% 2 = 0;
ANALYZE res_partner;
ANALYZE res_partner_res_partner_category_rel;
"""

# Each grouped read of the graphs, pivots and dashboards (as the web client calls them).
GROUPED = r"""
import json, os, statistics, sys, time
import odoo
from odoo.tools import config
config.parse_config(["-c", sys.argv[1]])
from odoo.modules.registry import Registry
registry = Registry(sys.argv[2])
repo = sys.argv[3]
CLIENTS = [("is_client", "=", True)]
FIGURES = ["invoiced_total:sum", "amount_due:sum", "amount_overdue:sum"]
EFFECTIVENESS = ["__count", "invoiced_rate:avg", "turnover_per_client:avg", "no_contact_rate:avg"]
READS = [
    ("Clients graph: new clients per month by channel", "res.partner", CLIENTS,
     ["create_date:month", "acquisition_source_id"], ["__count"]),
    ("Clients pivot: by manager", "res.partner", CLIENTS, ["user_id"], ["__count"]),
    ("Clients pivot: by country", "res.partner", CLIENTS, ["country_id"], ["__count"]),
    ("Clients pivot: by tag", "res.partner", CLIENTS, ["category_id"], ["__count"]),
    ("Analysis: figures per month by channel", "client.channel.report", [],
     ["create_date:month", "acquisition_source_id"], ["__count", *FIGURES]),
    ("Analysis: figures by manager", "client.channel.report", [], ["user_id"], ["__count", *FIGURES]),
    ("Analysis: figures by tag", "client.channel.report", [], ["category_ids"], ["__count", *FIGURES]),
    ("Analysis: figures by country", "client.channel.report", [], ["country_id"], ["__count", *FIGURES]),
    ("Channel effectiveness", "client.channel.report", [], ["acquisition_source_id"], EFFECTIVENESS),
]
files = os.path.join(repo, "client_management_spreadsheet_dashboard", "data", "files")
lists = []
for name in sorted(os.listdir(files)):
    data = json.load(open(os.path.join(files, name)))
    for pivot in data["pivots"].values():
        aggregates = ["__count" if m["fieldName"] == "__count" else m["fieldName"] for m in pivot["measures"]]
        READS.append((f"Dashboard {name[:-15]}: {pivot['name']}", pivot["model"], pivot["domain"],
                      [r["fieldName"] for r in pivot["rows"]], aggregates))
    lists += [(f"Dashboard {name[:-15]}: {lst['name']} (list)", lst) for lst in data.get("lists", {}).values()]
result = []
with registry.cursor() as cr:
    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
    admin = env.ref("base.user_admin")
    env = env(user=admin.id, context={"lang": "en_US", "tz": "UTC", "allowed_company_ids": [admin.company_id.id]})
    def timed(call):
        times = []
        for _ in range(3):
            env.invalidate_all()
            start = time.perf_counter()
            rows = call()
            times.append((time.perf_counter() - start) * 1000)
        return statistics.median(times), times[0], len(rows)
    for label, model, domain, groupby, aggregates in READS:
        Model = env[model]
        aggregates = [a if a == "__count" or ":" in a else f"{a}:{Model._fields[a].aggregator}" for a in aggregates]
        result.append((label, *timed(lambda: Model.formatted_read_group(domain, groupby, aggregates))))
    for label, lst in lists:
        order = ", ".join(f"{o['name']} {'asc' if o['asc'] else 'desc'}" for o in lst["orderBy"])
        spec = {c: {} for c in lst["columns"]}
        Model = env[lst["model"]]
        read = lambda: Model.web_search_read(lst["domain"], spec, limit=10, order=order)["records"]
        result.append((label, *timed(read)))
    cr.rollback()
print(json.dumps(result))
"""

MEASURE = r"""
import json, statistics, sys, time
import odoo
from odoo.tools import config
config.parse_config(["-c", sys.argv[1]])
from odoo.modules.registry import Registry
registry = Registry(sys.argv[2])
result = {}
with registry.cursor() as cr:
    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
    admin = env.ref("base.user_admin")
    env = env(user=admin.id, context={"lang": "en_US", "tz": "UTC", "allowed_company_ids": [admin.company_id.id]})
    Partner = env["res.partner"]
    action = env.ref("client_management.action_clients")
    from odoo.tools.safe_eval import safe_eval
    domain = safe_eval(action.domain or "[]") + [("amount_due", ">", 0)]
    spec = {
        "display_name": {}, "ref": {}, "email": {}, "phone": {}, "city": {},
        "country_id": {"fields": {"display_name": {}}}, "user_id": {"fields": {"display_name": {}}},
        "is_supplier": {}, "is_conflict": {}, "invoiced_total": {}, "amount_due": {}, "amount_overdue": {},
        "last_activity_date": {}, "next_activity_date": {}, "cm_currency_id": {"fields": {}},
    }
    for limit in (80, 20, 200):
        times, counts = [], []
        for _ in range(5):
            env.invalidate_all()
            start_count = cr.sql_log_count
            start = time.perf_counter()
            page = Partner.web_search_read(
                domain, spec, offset=0, limit=limit, order="invoiced_total desc", count_limit=10001
            )
            times.append((time.perf_counter() - start) * 1000)
            counts.append(cr.sql_log_count - start_count)
        result[limit] = {"queries": counts[-1], "ms_median": statistics.median(times[1:]), "ms_first": times[0],
                         "rows": len(page["records"]), "total": page["length"]}
    cr.rollback()
print(json.dumps(result))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-d", "--database", default="cm_bench_invoicing")
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--invoices", type=int, default=250_000, help="4 lines each")
    parser.add_argument("--reuse", action="store_true", help="measure the list page on the existing database")
    parser.add_argument("--upgrade", action="store_true", help="with --reuse: upgrade the addon first (timed)")
    args = parser.parse_args()
    db = args.database
    conf = write_conf(db)
    if not args.reuse:
        subprocess.run(["dropdb", "--if-exists", db], check=True)
        subprocess.run(["createdb", db], check=True)
        seconds = run_odoo(conf, db, "-i", "account", "--without-demo=1")
        print(f"account installed in {seconds:.0f} s", flush=True)
        chart = (
            "import sys, odoo\nfrom odoo.tools import config\nconfig.parse_config(['-c', sys.argv[1]])\n"
            "from odoo.modules.registry import Registry\n"
            "with Registry(sys.argv[2]).cursor() as cr:\n"
            "    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})\n"
            "    if not env.company.chart_template:\n"
            "        env['account.chart.template'].try_loading('generic_coa', env.company, install_demo=False)\n"
        )
        subprocess.run([sys.executable, "-c", chart, conf, db], check=True)
        start = time.perf_counter()
        sql = GENERATE % {"clients": args.clients, "invoices": args.invoices}
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", db, "-c", sql], check=True)
        lines = subprocess.check_output(
            ["psql", "-Atc", "SELECT count(*) FROM account_move_line WHERE name LIKE 'Line %'", db], text=True
        ).strip()
        print(f"generated {args.clients} clients, {lines} invoice lines in {time.perf_counter() - start:.0f} s")
        install = run_odoo(conf, db, "-i", "client_management", "--without-demo=1")
        print(f"install client_management: {install:.1f} s (goal < 120 s)", flush=True)
        upgrade = run_odoo(conf, db, "-u", "client_management")
        print(f"upgrade client_management: {upgrade:.1f} s (goal < 120 s)", flush=True)
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", db, "-c", DECORATE % {}], check=True)
    if args.reuse and args.upgrade:
        upgrade = run_odoo(conf, db, "-u", "client_management")
        print(f"upgrade client_management: {upgrade:.1f} s (goal < 120 s)", flush=True)
    import json

    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    output = subprocess.check_output([sys.executable, "-c", GROUPED, conf, db, repo], text=True)
    slowest = 0.0
    for label, median, first, groups in json.loads(output.strip().splitlines()[-1]):
        slowest = max(slowest, median, first)
        print(f"{label}: {median:.0f} ms (first call {first:.0f} ms, {groups} rows; goal < 1000 ms)", flush=True)
    output = subprocess.check_output([sys.executable, "-c", MEASURE, conf, db], text=True)

    result = json.loads(output.strip().splitlines()[-1])
    for limit, figures in result.items():
        print(
            f"list page of {figures['rows']:>3} (limit {limit:>3}) of {figures['total']} clients with unpaid invoices, "
            f"sorted by turnover: {figures['queries']} SQL queries, {figures['ms_median']:.1f} ms "
            f"(first call {figures['ms_first']:.1f} ms; goal < 150 ms)"
        )
    counts = {figures["queries"] for figures in result.values()}
    print("query count independent of page size:", "yes" if len(counts) == 1 else f"NO {sorted(counts)}")
    list_ok = statistics.mean(r["ms_median"] for r in result.values()) < 150
    return 0 if list_ok and slowest < 1000 else 1


if __name__ == "__main__":
    sys.exit(main())
