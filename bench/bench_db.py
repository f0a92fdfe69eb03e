"""Shared by the benchmarks: an Odoo configuration reaching this addon and a database with
the modules a benchmark needs (created on first use, without demo data)."""

import os
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def odoo_addons_path():
    code = (
        "import os\nfrom odoo.tools import config\n"
        "print(','.join(p for p in (config.addons_community_dir, config.addons_base_dir) if os.path.isdir(p)))"
    )
    core = subprocess.check_output([sys.executable, "-c", code], text=True).strip()
    return f"{REPO},{core}"


def write_conf(db):
    """Path of a configuration file for ``db`` (addons path: this repository and Odoo's)."""
    path = os.path.join(tempfile.gettempdir(), f"{db}.conf")
    with open(path, "w") as handle:
        handle.write(
            f"[options]\ndb_name = {db}\naddons_path = {odoo_addons_path()}\n"
            f"data_dir = {tempfile.gettempdir()}/{db}_data\nhttp_interface = 127.0.0.1\n"
        )
    return path


def run_odoo(conf, db, *args):
    """Runs Odoo's command line on ``db`` until it stops; returns the seconds it took."""
    command = [
        sys.executable,
        "-c",
        "import sys; from odoo.cli.command import main; sys.argv[0] = 'odoo'; main()",
        "-c",
        conf,
        "-d",
        db,
        "--stop-after-init",
        "--log-level=warn",
        *args,
    ]
    start = time.perf_counter()
    subprocess.run(command, check=True)
    return time.perf_counter() - start


def ensure_database(conf, db, modules):
    """Creates ``db`` with ``modules`` installed (no demo data) unless it exists."""
    import psycopg2

    try:
        psycopg2.connect(dbname=db).close()
        return
    except psycopg2.OperationalError:
        pass
    print(f"creating the database {db} ({modules}, no demo data)...", flush=True)
    run_odoo(conf, db, "-i", modules, "--without-demo=1")
