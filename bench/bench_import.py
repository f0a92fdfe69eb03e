#!/usr/bin/env python3
"""Benchmark of the client importer against Odoo's own base_import.

Generates an .xlsx of N clients (default 100 000: two phone numbers, two e-mails, two
tags and a birthdate a row), then, each in its own process on the same database and
each rolled back at the end (the database is left unchanged):

* ``client.import``: ``import_file`` with the default header guessing, normalising the
  numbers to E.164, matching on e-mail / number / VAT / code;
* ``base_import``: ``base_import.import.execute_import`` of the same rows mapped to
  native fields (name, phone, email, tags, birthdate; the second number and e-mail have
  no native field and are left out).

Prints rows per second and peak memory (RSS) of both, and the ratio; also the CPU time of the
importing process (Odoo's side, without PostgreSQL's; the client importer's thread reading the
file ahead included), less disturbed than the wall time by
other work on a shared machine. ``--repeat N`` runs both importers N times, one after the
other, and keeps each one's best run and the median of the N ratios; ``--profile PREFIX``
writes the cProfile statistics of each run to PREFIX.<database>.<importer>.

    python3 bench/bench_import.py --rows 100000            # creates the database if needed
    python3 bench/bench_import.py -d mydb --rows 20000 --keep-file /tmp/clients.xlsx
    python3 bench/bench_import.py --rows 20000 --on both   # an empty and a full database
    python3 bench/bench_import.py --rows 10000 --on both --repeat 3

The database (default ``cm_bench_import``) gets client_management and base_import
installed (without demo data) on first use. ``--on full`` runs on a database that already
holds a client base (default ``cm_bench_1m``: 1 000 000 partners with two phone lines and
two e-mail lines each, see ``bench_full_db.py``; built by SQL on first use, in a few minutes,
and kept for later runs); ``--on both`` runs on the empty one, then on the full one, and
prints both databases' figures and ratios.
"""

import argparse
import datetime
import json
import multiprocessing
import os
import random
import resource
import time

import phonenumbers
from bench_db import ensure_database, write_conf
from bench_full_db import ensure_full_database

FIRST = ["Anna", "Jānis", "Līga", "Petr", "Jana", "Иван", "Ольга", "Łukasz", "Zofia", "Aigerim", "Mārtiņš", "Eva"]
LAST = ["Bērziņa", "Kalniņš", "Novák", "Dvořáková", "Петров", "Сидорова", "Kowalski", "Wiśniewska", "Ozols"]
TAGS = ["VIP", "Regular", "Wholesale", "Newsletter", "Repair", "Warranty", "Corporate", "Online", "Walk-in", "Partner"]
CLIENT_TABLES = ("res_partner", "res_partner_phone", "res_partner_email", "res_partner_res_partner_category_rel")
PREFIXES = [("+371 2", 7), ("+420 60", 7), ("+48 5", 8), ("+7 9", 9), ("+7 70", 8)]


def generate_rows(count, seed=42):
    rng = random.Random(seed)
    for i in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        phones = []
        while len(phones) < 2:
            prefix, digits = rng.choice(PREFIXES)
            number = prefix + "".join(str(rng.randint(0, 9)) for _ in range(digits))
            if phonenumbers.is_valid_number(phonenumbers.parse(number)):
                phones.append(number)
        # unique per row: the index in the number and the address
        phones[0] = "+371 2" + f"{i:07d}"
        emails = [f"client{i}@example.com", f"{first.lower()}.{i}@mail.example.org"]
        tags = rng.sample(TAGS, 2)
        birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randint(0, 20000))
        yield [f"{first} {last} {i}", "; ".join(phones), "; ".join(emails), "; ".join(tags), birth.strftime("%d.%m.%Y")]


def write_xlsx(rows, header, path, join=None):
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Clients")
    sheet.append(header)
    for row in rows:
        sheet.append(join(row) if join else row)
    workbook.save(path)


def for_base_import(row):
    name, phones, emails, tags, birth = row
    # native fields only: the first number and e-mail; tags separated by commas
    return [name, phones.split("; ")[0], emails.split("; ")[0], ",".join(tags.split("; ")), birth]


def _environment(conf, db):
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", conf, "-d", db, "--log-level=warn"])
    registry = Registry(db)
    return registry


def _run(kind, conf, db, path, queue, profile=None):
    import cProfile

    import odoo
    from odoo import api

    registry = _environment(conf, db)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        env = env(user=env.ref("base.user_admin"), context={"tz": "UTC", "lang": "en_US"})
        content = open(path, "rb").read()  # noqa: SIM115
        base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        profiler = cProfile.Profile() if profile else None
        if profiler:
            profiler.enable()
        started = time.perf_counter()
        cpu_started = time.process_time()
        if kind == "client.import":
            result = env["client.import"].import_file(content, "clients.xlsx", options={"default_country": "LV"})
            rows = result["created"] + result["updated"]
            errors = len(result["errors"])
        else:
            importer = env["base_import.import"].create(
                {
                    "res_model": "res.partner",
                    "file": content,
                    "file_name": "clients.xlsx",
                    "file_type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                }
            )
            options = {
                "has_headers": True,
                "date_format": "%d.%m.%Y",
                "quoting": '"',
                "separator": ",",
                "encoding": "utf-8",
                "float_thousand_separator": ",",
                "float_decimal_separator": ".",
                "name_create_enabled_fields": {"category_id": True},
                "import_skip_records": [],
                "import_set_empty_fields": [],
            }
            fields = ["name", "phone", "email", "category_id", "birthdate"]
            result = importer.execute_import(fields, ["Name", "Phone", "E-mail", "Tags", "Birthdate"], options)
            rows = len(result.get("ids") or [])
            errors = len([m for m in result.get("messages", []) if m.get("type") == "error"])
        env.flush_all()
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        if profiler:
            profiler.disable()
            profiler.dump_stats(f"{profile}.{kind}")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        cr.rollback()
    queue.put(
        {
            "kind": kind,
            "rows": rows,
            "errors": errors,
            "seconds": elapsed,
            "cpu_seconds": cpu,
            "peak_rss_mb": peak / 1024,
            "import_rss_mb": (peak - base_rss) / 1024,
        }
    )


def settle(db):
    """The same starting point for every run: the rows of the previous runs (rolled back) are
    vacuumed away and the statistics of the client tables are those of what they hold."""
    import psycopg2

    connection = psycopg2.connect(dbname=db)
    try:
        connection.autocommit = True
        with connection.cursor() as cr:
            for table in CLIENT_TABLES:
                cr.execute(f"VACUUM ANALYZE {table}")
    finally:
        connection.close()


def measure(kind, conf, db, path, profile=None):
    settle(db)
    queue = multiprocessing.get_context("fork").Queue()
    process = multiprocessing.get_context("fork").Process(target=_run, args=(kind, conf, db, path, queue, profile))
    process.start()
    result = queue.get()
    process.join()
    return result


def run_on(conf, db, path, base_path, only=None, profile=None):
    """Both importers on ``db``: {kind: figures, "ratio": client.import / base_import}."""
    results = {}
    for kind, file_path in (("client.import", path), ("base_import", base_path)):
        if only and kind != only:
            continue
        print(f"running {kind} on {db}...", flush=True)
        results[kind] = result = measure(kind, conf, db, file_path, profile and f"{profile}.{db}")
        result["rows_per_second"] = result["rows"] / result["seconds"] if result["seconds"] else 0
        print(
            f"  {kind:14s} {result['rows']:7d} rows in {result['seconds']:7.1f}s (CPU {result['cpu_seconds']:.1f}s) = "
            f"{result['rows_per_second']:7.0f} rows/s, peak RSS {result['peak_rss_mb']:.0f} MB "
            f"(+{result['import_rss_mb']:.0f} MB while importing), {result['errors']} errors",
            flush=True,
        )
    if len(results) == 2 and results["base_import"]["rows_per_second"]:
        ratio = results["client.import"]["rows_per_second"] / results["base_import"]["rows_per_second"]
        print(f"  ratio client.import / base_import on {db}: {ratio:.2f}x rows per second (goal: >= 5x)", flush=True)
        results["ratio"] = ratio
    return results


def best_of(runs):
    """The figures of several runs on one database: each importer's fastest run, the ratios of
    the runs (each of both importers timed one after the other) and their median."""
    if len(runs) == 1:
        return runs[0]
    best = {}
    for kind in ("client.import", "base_import"):
        timed = [run[kind] for run in runs if kind in run]
        if timed:
            best[kind] = max(timed, key=lambda figures: figures["rows_per_second"])
    ratios = sorted(run["ratio"] for run in runs if "ratio" in run)
    if ratios:
        best["ratios"] = ratios
        middle = len(ratios) // 2
        best["ratio"] = ratios[middle] if len(ratios) % 2 else (ratios[middle - 1] + ratios[middle]) / 2
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("-d", "--database", default="cm_bench_import", help="the empty database")
    parser.add_argument("-c", "--config", help="odoo configuration file (addons_path must reach client_management)")
    parser.add_argument("--keep-file", help="where to write the generated .xlsx (kept)")
    parser.add_argument("--only", choices=["client.import", "base_import"])
    parser.add_argument("--on", choices=["empty", "full", "both"], default="empty", help="which database(s)")
    parser.add_argument("--full-database", default="cm_bench_1m", help="the database holding a client base")
    parser.add_argument("--partners", type=int, default=1_000_000, help="partners of the full database")
    parser.add_argument("--repeat", type=int, default=1, help="runs of both importers (the best one is kept)")
    parser.add_argument("--profile", help="write cProfile statistics to PROFILE.<database>.<importer>")
    args = parser.parse_args()

    modules = "client_management,base_import"
    databases = []
    if args.on in ("empty", "both"):
        conf = args.config or write_conf(args.database)
        ensure_database(conf, args.database, modules)
        databases.append(("empty", args.database, conf))
    if args.on in ("full", "both"):
        conf = args.config or write_conf(args.full_database)
        ensure_full_database(conf, args.full_database, modules, args.partners)
        databases.append((f"{args.partners} partners", args.full_database, conf))

    path = args.keep_file or f"/tmp/bench_clients_{args.rows}.xlsx"
    base_path = path.replace(".xlsx", "_native.xlsx")
    started = time.perf_counter()
    header = ["Name", "Phone", "E-mail", "Tags", "Birthdate"]
    write_xlsx(generate_rows(args.rows), header, path)
    write_xlsx(generate_rows(args.rows), header, base_path, join=for_base_import)
    print(
        f"generated {args.rows} rows in {time.perf_counter() - started:.1f}s: {path} "
        f"({os.path.getsize(path) / 1e6:.1f} MB)",
        flush=True,
    )

    results = {}
    for label, db, conf in databases:
        runs = [run_on(conf, db, path, base_path, args.only, args.profile) for _i in range(args.repeat)]
        results[label] = best_of(runs)
    print(f"summary ({args.rows} rows):")
    for label, figures in results.items():
        ours, theirs = figures.get("client.import"), figures.get("base_import")
        print(
            f"  {label:18s} client.import {ours['rows_per_second'] if ours else 0:6.0f} rows/s "
            f"(+{ours['import_rss_mb'] if ours else 0:.0f} MB), base_import "
            f"{theirs['rows_per_second'] if theirs else 0:6.0f} rows/s, ratio {figures.get('ratio', 0):.2f}x"
            + (f" (median of {', '.join(f'{r:.2f}' for r in figures['ratios'])})" if "ratios" in figures else "")
        )
    print(json.dumps(results))
    if not args.keep_file:
        for file_path in (path, base_path):
            os.unlink(file_path)


if __name__ == "__main__":
    main()
