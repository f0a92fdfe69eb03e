"""End to end: the README's run command creates the demo database and serves Odoo."""

import os
import signal
import subprocess
import time
from pathlib import Path

import requests
from rpc_client import call, free_port, rpc

REPO = Path(__file__).resolve().parents[1]
STARTUP_LIMIT = 180  # seconds, from the README's promise


def test_run_command_serves_demo_database(tmp_path):
    db = f"cm_run_{os.getpid()}"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ, CM_DB=db, CM_PORT=str(port))
    log = (tmp_path / "run.log").open("w")
    process = subprocess.Popen(
        [str(REPO / "bin" / "run"), f"--data-dir={tmp_path / 'data'}", "--log-level=warn"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        started = time.monotonic()
        status = None
        while time.monotonic() - started < STARTUP_LIMIT:
            assert process.poll() is None, (tmp_path / "run.log").read_text()[-3000:]
            try:
                status = requests.get(f"{url}/web/login", timeout=5).status_code
            except requests.ConnectionError:
                status = None
            if status == 200:
                break
            time.sleep(2)
        assert status == 200, f"no login page within {STARTUP_LIMIT}s: {(tmp_path / 'run.log').read_text()[-3000:]}"

        session = requests.Session()
        session.get(f"{url}/web/login", timeout=10)
        info = rpc(session, url, "/web/session/authenticate", {"db": db, "login": "admin", "password": "admin"})
        assert info["uid"], "admin / admin does not log in"

        menus = call(session, url, "ir.ui.menu", "load_menus", False)
        root_children = menus["root"]["children"]
        apps = {menu["name"] for menu in menus.values() if isinstance(menu, dict) and menu.get("id") in root_children}
        assert "Clients" in apps, f"Clients app missing from the main menu: {sorted(apps)}"

        demo = call(
            session,
            url,
            "ir.model.data",
            "search_count",
            [("module", "=", "client_management"), ("model", "=", "res.partner")],
        )
        assert demo >= 30, f"only {demo} demo clients"
        countries = call(
            session,
            url,
            "res.partner",
            "read_group",
            [("ref", "!=", False), ("country_id.code", "in", ["LV", "CZ", "RU", "KZ", "PL"])],
            ["country_id"],
            ["country_id"],
        )
        assert len(countries) == 5, countries
        conflict = call(session, url, "res.partner", "search_count", [("is_conflict", "=", True)])
        assert conflict >= 1
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()
        subprocess.run(["dropdb", "--if-exists", db], check=False)
