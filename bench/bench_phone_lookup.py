#!/usr/bin/env python3
"""Benchmark of the phone lookup: ``res.partner.find_by_phone`` against Odoo's own
``phone_mobile_search``.

Builds N clients (default 200 000) with two numbers each, written the ways people write
them: international ("+371 26 123 456"), "00" prefix ("0037126123456"), national with a
trunk prefix ("8 (777) 785-99-54", "030 1234 5678", "020 7946 0018") and bare local digits
("26 123 456"). The first number is also the client's native ``phone`` as written (what
stock Odoo stores and searches, with ``phone_sanitized`` = E.164); both numbers are lines
with their E.164 form. Then, in the same run, looks 200 of the first numbers up written in
a *different* format than stored (with the client's country as default country), through
``find_by_phone`` and through ``phone_mobile_search``, and prints for both the share found
and p50 / p95 latency, and the ratio.

With ``client_management_pos`` (installed on first use unless ``--no-pos``), it also times
the point of sale's customer search of such a number as the cashier's *Enter* sends it
(``res.partner.get_new_partner`` with the POS's domain: eleven fields ``ilike`` the text),
with the addon's lookup added and as Odoo's own, each with a fresh ORM cache (a new request).

Rows are written by COPY and committed, then vacuumed and analysed as in a database in
use (lookups planned against uncommitted rows and their dead versions would be timed
wrongly); they are deleted at the end, whatever happens: the database is left unchanged.

    python3 bench/bench_phone_lookup.py                      # 200 000 clients
    python3 bench/bench_phone_lookup.py --partners 20000 -d mydb
    python3 bench/bench_phone_lookup.py --no-pos                # without the point of sale

The database (default ``cm_bench_phone``) gets client_management (and client_management_pos,
with Odoo's point of sale) installed, without demo data, on first use.
"""

import argparse
import io
import json
import random
import statistics
import time

import phonenumbers
from bench_db import ensure_database, run_odoo, write_conf

# country, national significant number pattern (X = random digit), trunk prefix
PLANS = [
    ("LV", "2XXXXXXX", ""),
    ("CZ", "60XXXXXXX", ""),
    ("PL", "5XXXXXXXX", ""),
    ("RU", "91XXXXXXXX", "8"),
    ("KZ", "777XXXXXXX", "8"),
    ("DE", "151XXXXXXXX", "0"),
    ("DE", "30XXXXXXXX", "0"),
    ("GB", "207946XXXX", "0"),
]
FORMATS = ("international", "double_zero", "national", "local")


def _random_number(rng, plan):
    country, pattern, trunk = plan
    while True:
        national = "".join(str(rng.randint(0, 9)) if c == "X" else c for c in pattern)
        number = phonenumbers.parse(national, country)
        if phonenumbers.is_valid_number(number):
            return country, number, trunk


def written(number, trunk, kind, rng):
    """The number as a person would write it in format ``kind``."""
    intl = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    national = str(number.national_number)
    code = str(number.country_code)
    if kind == "international":
        return intl if rng.random() < 0.7 else "+" + code + national
    if kind == "double_zero":
        return "00" + code + (national if rng.random() < 0.5 else " " + intl.split(" ", 1)[1])
    if kind == "national":
        text = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        if trunk == "8" and not text.startswith("8"):
            text = "8 " + text
        if trunk == "8" and rng.random() < 0.5:
            text = f"8 ({national[:3]}) {national[3:6]}-{national[6:8]}-{national[8:]}"
        return text
    # bare local digits: the national number without trunk prefix, grouped or not
    return national if rng.random() < 0.5 else " ".join(national[i : i + 3] for i in range(0, len(national), 3))


def _formats_for(trunk):
    # a "national" spelling with trunk prefix only where the country has one; the bare
    # local digits only where no trunk prefix exists (elsewhere nobody dials them)
    return ("international", "double_zero", "national") if trunk else ("international", "double_zero", "local")


def generate(count, seed=7):
    rng = random.Random(seed)
    used = set()
    for i in range(count):
        numbers = []
        while len(numbers) < 2:
            plan = (
                rng.choice(PLANS) if not numbers else rng.choice([p for p in PLANS if p[0] == numbers[0][0]] or PLANS)
            )
            country, number, trunk = _random_number(rng, plan)
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            if e164 in used:
                continue
            used.add(e164)
            kind = rng.choice(_formats_for(trunk))
            numbers.append((country, number, trunk, e164, kind, written(number, trunk, kind, rng)))
        yield i, numbers


def _copy(cr, table, columns, rows):
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
    buffer.seek(0)
    cr._obj.copy_from(buffer, table, columns=columns)


def build(env, clients):
    cr = env.cr
    countries = {c.code: c.id for c in env["res.country"].search([("code", "in", [p[0] for p in PLANS])])}
    mobile = env.ref("client_management.phone_type_mobile").id
    _copy(
        cr,
        "res_partner",
        (
            "name",
            "complete_name",
            "active",
            "partner_share",
            "type",
            "autopost_bills",
            "phone",
            "phone_sanitized",
            "country_id",
            "ref",
        ),
        (
            (
                f"Bench {i}",
                f"Bench {i}",
                "t",
                "t",
                "contact",
                "ask",
                nums[0][5],
                nums[0][3],
                countries[nums[0][0]],
                f"BN{i}",
            )
            for i, nums in clients
        ),
    )
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE ref LIKE 'BN%' AND commercial_partner_id IS NULL"
    )
    cr.execute("CREATE TEMP TABLE bench_lines (ref varchar, seq int, number varchar, e164 varchar, is_primary bool)")
    _copy(
        cr,
        "bench_lines",
        ("ref", "seq", "number", "e164", "is_primary"),
        (
            (f"BN{i}", index + 1, line[5], line[3], "t" if index == 0 else "f")
            for i, nums in clients
            for index, line in enumerate(nums)
        ),
    )
    cr.execute(
        """INSERT INTO res_partner_phone (partner_id, sequence, number, number_e164, type_id, is_primary,
                                          whatsapp, viber, sms, company_id, partner_active, partner_share)
           SELECT p.id, b.seq, b.number, b.e164, %s, b.is_primary, FALSE, FALSE, TRUE,
                  p.company_id, p.active, p.partner_share
             FROM bench_lines b JOIN res_partner p ON p.ref = b.ref""",
        (mobile,),
    )
    cr.execute("ANALYZE res_partner")
    cr.execute("ANALYZE res_partner_phone")


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--partners", type=int, default=200_000)
    parser.add_argument("--lookups", type=int, default=200)
    parser.add_argument("-d", "--database", default="cm_bench_phone")
    parser.add_argument("--pos-lookups", type=int, default=60, help="point of sale searches timed (each way)")
    parser.add_argument("--no-pos", action="store_true", help="skip the point of sale's customer search")
    parser.add_argument("-c", "--config", help="odoo configuration file (addons_path must reach client_management)")
    args = parser.parse_args()

    conf = args.config or write_conf(args.database)
    ensure_database(conf, args.database, "client_management" if args.no_pos else "client_management_pos")
    if not args.no_pos and not _installed(args.database, "client_management_pos"):
        print("installing client_management_pos (and the point of sale)...", flush=True)
        run_odoo(conf, args.database, "-i", "client_management_pos")

    import odoo
    from odoo import api
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", conf, "-d", args.database, "--log-level=warn"])
    registry = Registry(args.database)
    started = time.perf_counter()
    clients = list(generate(args.partners))
    print(f"generated {args.partners} clients x 2 numbers in {time.perf_counter() - started:.1f}s", flush=True)
    with registry.cursor() as cr:
        cr.execute("DELETE FROM res_partner WHERE ref LIKE 'BN%'")  # left by an interrupted run
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        env = env(user=env.ref("base.user_admin"), context={"tz": "UTC", "lang": "en_US"})
        started = time.perf_counter()
        build(env, clients)
        cr.commit()
        print(f"wrote them (COPY) in {time.perf_counter() - started:.1f}s", flush=True)
    try:
        _vacuum(args.database)
        with registry.cursor() as cr:
            measure(cr, clients, args.lookups, 0 if args.no_pos else args.pos_lookups)
    finally:
        with registry.cursor() as cr:
            cr.execute("DELETE FROM res_partner WHERE ref LIKE 'BN%'")
        _vacuum(args.database)


def _installed(database, module):
    import psycopg2

    connection = psycopg2.connect(dbname=database)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM ir_module_module WHERE name = %s AND state = 'installed'", [module])
        found = bool(cursor.fetchone())
    connection.close()
    return found


def _vacuum(database):
    import psycopg2

    connection = psycopg2.connect(dbname=database)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE res_partner")
        cursor.execute("VACUUM ANALYZE res_partner_phone")
    connection.close()


def measure(cr, clients, lookups, pos_lookups=0):
    import odoo
    from odoo import api

    rng = random.Random(11)
    env = api.Environment(cr, odoo.SUPERUSER_ID, {})
    env = env(user=env.ref("base.user_admin"), context={"tz": "UTC", "lang": "en_US"})
    cr.execute("SELECT ref, id FROM res_partner WHERE ref LIKE 'BN%'")
    ids = dict(cr.fetchall())
    Partner = env["res.partner"]
    picks = rng.sample(clients, lookups)
    queries = []
    for i, nums in picks:
        country, number, trunk, _e164, kind, _text = nums[0]
        other = rng.choice([k for k in _formats_for(trunk) if k != kind])
        queries.append((ids[f"BN{i}"], country, written(number, trunk, other, rng)))
    results = {}
    for name in ("find_by_phone", "phone_mobile_search"):
        for mode in ("cold", "warm"):
            # cold: the ORM cache is emptied before each lookup, as in a new RPC request
            # (access rules are evaluated from scratch); warm: same request, cache kept
            found = 0
            timings = []
            for partner_id, country, text in queries:
                if mode == "cold":
                    env.invalidate_all()
                tick = time.perf_counter()
                if name == "find_by_phone":
                    hits = Partner.find_by_phone(text, country)
                else:
                    hits = Partner.search([("phone_mobile_search", "=", text)])
                timings.append((time.perf_counter() - tick) * 1000)
                found += partner_id in hits.ids
            key = f"{name}_{mode}"
            results[key] = {
                "found_share": found / len(queries),
                "p50_ms": statistics.median(timings),
                "p95_ms": percentile(timings, 0.95),
            }
            print(
                f"  {name:20s} {mode}: found {found}/{len(queries)} ({found / len(queries):.0%}), "
                f"p50 {results[key]['p50_ms']:.3f} ms, p95 {results[key]['p95_ms']:.3f} ms",
                flush=True,
            )
    timings = []
    for _partner_id, country, text in queries:
        e164 = Partner.env["res.partner.phone"]._cm_lookup_candidates(text, country).pop()
        tick = time.perf_counter()
        cr.execute("SELECT partner_id FROM res_partner_phone WHERE number_e164 = %s", [e164])
        cr.fetchall()
        timings.append((time.perf_counter() - tick) * 1000)
    results["sql_equality"] = {"p50_ms": statistics.median(timings), "p95_ms": percentile(timings, 0.95)}
    print(f"  indexed equality in PostgreSQL alone: p50 {results['sql_equality']['p50_ms']:.3f} ms", flush=True)
    cr.execute("EXPLAIN SELECT partner_id FROM res_partner_phone WHERE number_e164 = ANY(%s)", [[queries[0][2]]])
    plan = " ".join(row[0] for row in cr.fetchall())
    results["index_used"] = "Index" in plan
    ours, stock = results["find_by_phone_warm"], results["phone_mobile_search_warm"]
    results["ratio_p50"] = stock["p50_ms"] / ours["p50_ms"] if ours["p50_ms"] else None
    print(
        f"find_by_phone vs phone_mobile_search (warm): found {ours['found_share']:.0%} "
        f"vs {stock['found_share']:.0%}, "
        f"p50 ratio stock/ours {results['ratio_p50']:.2f} (goal: 100% found, p50 <= 0.5 ms); "
        f"index on number_e164 used: {results['index_used']}"
    )
    if pos_lookups:
        results["pos"] = measure_pos(env, queries[:pos_lookups])
    print(json.dumps(results))
    cr.rollback()


def measure_pos(env, queries):
    """The point of sale's customer search of a number (what *Enter* in its customer list
    sends): with the addon's lookup, and as Odoo's own (the same method without the addon's
    override), each with the ORM cache emptied before each search, as in a new request."""
    from odoo.addons.client_management_pos.models.res_partner import ResPartner as PosBridge
    from odoo.addons.client_management_pos.tests.pos_search import pos_search_domain

    Partner = env["res.partner"]
    config = env["pos.config"].search([], limit=1)
    if not config:
        with env.cr.savepoint():  # rolled back with the rest at the end
            config = env["pos.config"].create({"name": "Bench POS"})

    def search_only(domain):
        # the search of get_new_partner without reading the partners found for the POS
        return [{"id": partner_id} for partner_id in Partner.search(domain, limit=100).ids]

    ways = {
        # the whole request: the search, then the POS fields of the partners found
        "pos_search_with_addon": Partner.get_new_partner,
        "pos_search_odoo_own": super(PosBridge, Partner).get_new_partner,
        # the search alone: Odoo's domain, and with the addon's lookup OR-ed
        "pos_domain_with_addon": lambda _config, domain, _offset: {
            "res.partner": search_only(Partner._cm_pos_phone_domain(domain))
        },
        "pos_domain_odoo_own": lambda _config, domain, _offset: {"res.partner": search_only(domain)},
    }
    results = {}
    for name, search in ways.items():
        found = 0
        timings = []
        for partner_id, _country, text in queries:
            env.invalidate_all()
            tick = time.perf_counter()
            rows = search(config.id, pos_search_domain(text), 0)["res.partner"]
            timings.append((time.perf_counter() - tick) * 1000)
            found += partner_id in {row["id"] for row in rows}
        results[name] = {
            "found_share": found / len(queries),
            "p50_ms": statistics.median(timings),
            "p95_ms": percentile(timings, 0.95),
        }
        print(
            f"  {name:22s} cold: found {found}/{len(queries)} ({found / len(queries):.0%}), "
            f"p50 {results[name]['p50_ms']:.1f} ms, p95 {results[name]['p95_ms']:.1f} ms",
            flush=True,
        )
    ours, stock = results["pos_search_with_addon"], results["pos_search_odoo_own"]
    print(
        f"point of sale customer search of a number: found {ours['found_share']:.0%} with the addon vs "
        f"{stock['found_share']:.0%} by Odoo's own; p50 {ours['p50_ms']:.1f} vs {stock['p50_ms']:.1f} ms "
        f"(search alone: {results['pos_domain_with_addon']['p50_ms']:.1f} vs "
        f"{results['pos_domain_odoo_own']['p50_ms']:.1f} ms)",
        flush=True,
    )
    return results


if __name__ == "__main__":
    main()
