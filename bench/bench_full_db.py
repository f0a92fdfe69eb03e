"""A database that already holds a real client base, for the benchmarks: N partners (default
1 000 000) with two phone lines and two e-mail lines each, built by set-based SQL
(``generate_series``) in a few minutes, then vacuumed and analysed. Built once and kept
(default ``cm_bench_1m``): later runs find it filled and reuse it; every benchmark run rolls
its own writes back.

The partners are what a client base of some years looks like: persons and one company in ten,
names from the same lists as the benchmark's file, a client code (the code sequence is moved
past them), a country, a birthdate for half of them, the native ``phone`` / ``email`` (with
``phone_sanitized`` / ``email_normalized``) equal to the primary lines, numbers in E.164
(+371 67… and +48 690…) and normalised e-mails (…@example.net, …@mail.example.com).
None of them shares a number or an address with the rows of ``bench_import``'s file, so an
import creates the same clients on an empty and on a full database.
"""

import time

from bench_db import ensure_database

MARKER = "client_management.bench_full_db_partners"

FIRST = ["Anna", "Jānis", "Līga", "Petr", "Jana", "Иван", "Ольга", "Łukasz", "Zofia", "Aigerim", "Mārtiņš", "Eva"]
LAST = ["Bērziņa", "Kalniņš", "Novák", "Dvořáková", "Петров", "Сидорова", "Kowalski", "Wiśniewska", "Ozols"]

_PARTNERS = """
INSERT INTO res_partner (id, name, complete_name, active, type, is_company, partner_share, autopost_bills,
                         lang, commercial_partner_id, ref, country_id, user_id, birthdate, birthday_key,
                         phone, phone_sanitized, email, email_normalized,
                         create_uid, write_uid, create_date, write_date)
SELECT s.id, s.name, s.name, TRUE, 'contact', s.k %% 10 = 0, TRUE, 'ask',
       'en_US', s.id, 'C' || lpad((s.k + 1000)::text, 7, '0'), (%(countries)s::int[])[1 + s.k %% 3], 2,
       s.birth, CASE WHEN s.birth IS NOT NULL
                     THEN extract(month FROM s.birth)::int * 100 + extract(day FROM s.birth)::int END,
       s.lv_written, '+371' || s.lv, 'bench' || s.k || '@example.net', 'bench' || s.k || '@example.net',
       1, 1, now() - (s.k %% 2000) * interval '1 day', now()
  FROM (SELECT nextval('res_partner_id_seq') AS id, k,
               CASE WHEN k %% 10 = 0 THEN 'SIA ' || (%(last)s::text[])[1 + k %% 9] || ' ' || k
                    ELSE (%(first)s::text[])[1 + k %% 12] || ' ' || (%(last)s::text[])[1 + (k / 12) %% 9]
                         || ' ' || k END AS name,
               (67000000 + k)::text AS lv,
               '+371 ' || substr((67000000 + k)::text, 1, 2) || ' ' || substr((67000000 + k)::text, 3, 3)
                 || ' ' || substr((67000000 + k)::text, 6, 3) AS lv_written,
               CASE WHEN k %% 2 = 0 THEN date '1950-01-01' + (k %% 20000) END AS birth
          FROM generate_series(1, %(count)s) AS k) AS s
"""

_PHONES = """
INSERT INTO res_partner_phone (partner_id, sequence, number, number_e164, type_id, is_primary, whatsapp, viber,
                               sms, company_id, partner_active, partner_share,
                               create_uid, write_uid, create_date, write_date)
SELECT p.id, 1, p.phone, p.phone_sanitized, %(mobile)s, TRUE, FALSE, FALSE, TRUE, NULL::int, TRUE, TRUE,
       1, 1, p.create_date, p.write_date
  FROM res_partner p WHERE p.ref LIKE 'C%%' AND p.phone_sanitized LIKE '+37167%%' AND p.id > %(after)s
UNION ALL
SELECT p.id, 2, '+48 ' || substr(n, 1, 3) || ' ' || substr(n, 4, 3) || ' ' || substr(n, 7, 3), '+48' || n,
       %(work)s, FALSE, p.id %% 3 = 0, FALSE, TRUE, NULL::int, TRUE, TRUE, 1, 1, p.create_date, p.write_date
  FROM (SELECT id, create_date, write_date,
               (690000000 + substr(phone_sanitized, 5)::int - 67000000)::text AS n
          FROM res_partner WHERE ref LIKE 'C%%' AND phone_sanitized LIKE '+37167%%' AND id > %(after)s) AS p
"""

_EMAILS = """
INSERT INTO res_partner_email (partner_id, sequence, email, is_primary, consent,
                               create_uid, write_uid, create_date, write_date)
SELECT p.id, 1, p.email, TRUE, TRUE, 1, 1, p.create_date, p.write_date
  FROM res_partner p WHERE p.email LIKE 'bench%%@example.net' AND p.id > %(after)s
UNION ALL
SELECT p.id, 2, 'client.' || substr(p.email, 6, length(p.email) - 17) || '@mail.example.com', FALSE,
       p.id %% 7 <> 0, 1, 1, p.create_date, p.write_date
  FROM res_partner p WHERE p.email LIKE 'bench%%@example.net' AND p.id > %(after)s
"""


def ensure_full_database(conf, db, modules, partners=1_000_000):
    """``db`` with ``modules`` installed and ``partners`` clients with their lines (built
    unless already there)."""
    import psycopg2

    ensure_database(conf, db, modules)
    connection = psycopg2.connect(dbname=db)
    try:
        with connection.cursor() as cr:
            cr.execute("SELECT value FROM ir_config_parameter WHERE key = %s", [MARKER])
            row = cr.fetchone()
            if row and int(row[0]) == partners:
                return
            if row:
                raise SystemExit(f"{db} holds {row[0]} generated partners, not {partners}: use another database")
            print(f"filling {db} with {partners} partners, 2 phones and 2 e-mails each...", flush=True)
            started = time.perf_counter()
            cr.execute("SELECT max(id) FROM res_partner")
            after = cr.fetchone()[0]
            cr.execute("SELECT id FROM res_country WHERE code IN ('LV', 'CZ', 'PL') ORDER BY code")
            countries = [cid for (cid,) in cr.fetchall()]
            cr.execute(
                """SELECT d.name, d.res_id FROM ir_model_data d
                    WHERE d.module = 'client_management' AND d.name IN ('phone_type_mobile', 'phone_type_work')"""
            )
            types = dict(cr.fetchall())
            cr.execute(_PARTNERS, {"countries": countries, "first": FIRST, "last": LAST, "count": partners})
            phone_types = {"mobile": types["phone_type_mobile"], "work": types["phone_type_work"]}
            cr.execute(_PHONES, {**phone_types, "after": after})
            cr.execute(_EMAILS, {"after": after})
            # the client codes drawn by an import come after the generated ones
            cr.execute(
                """SELECT s.id FROM ir_sequence s JOIN ir_model_data d ON d.res_id = s.id AND d.model = 'ir.sequence'
                    WHERE d.module = 'client_management' AND d.name = 'seq_client_code'"""
            )
            sequence = cr.fetchone()[0]
            cr.execute(f"SELECT setval('ir_sequence_{sequence:03d}', %s)", [partners + 2000])
            cr.execute(
                "INSERT INTO ir_config_parameter (key, value, create_date, write_date) VALUES (%s, %s, now(), now())",
                [MARKER, str(partners)],
            )
        connection.commit()
        print(f"  filled in {time.perf_counter() - started:.0f}s; vacuum and analyse...", flush=True)
        connection.autocommit = True
        with connection.cursor() as cr:
            for table in ("res_partner", "res_partner_phone", "res_partner_email"):
                cr.execute(f"VACUUM ANALYZE {table}")
        print(f"  ready in {time.perf_counter() - started:.0f}s", flush=True)
    finally:
        connection.close()
