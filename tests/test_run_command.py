"""End to end: the README's run command creates the demo database and serves Odoo."""

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]
STARTUP_LIMIT = 180  # seconds, from the README's promise


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _rpc(session, url, path, params):
    response = session.post(f"{url}{path}", json={"jsonrpc": "2.0", "method": "call", "params": params}, timeout=60)
    response.raise_for_status()
    body = response.json()
    assert "error" not in body, body.get("error")
    return body["result"]


def _call(session, url, model, method, *args, **kwargs):
    return _rpc(
        session,
        url,
        "/web/dataset/call_kw",
        {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
    )


def test_run_command_serves_demo_database(tmp_path):
    db = f"cm_run_{os.getpid()}"
    port = _free_port()
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
        info = _rpc(session, url, "/web/session/authenticate", {"db": db, "login": "admin", "password": "admin"})
        assert info["uid"], "admin / admin does not log in"

        menus = _call(session, url, "ir.ui.menu", "load_menus", False)
        root_children = menus["root"]["children"]
        apps = {menu["name"] for menu in menus.values() if isinstance(menu, dict) and menu.get("id") in root_children}
        assert "Clients" in apps, f"Clients app missing from the main menu: {sorted(apps)}"

        demo = _call(
            session,
            url,
            "ir.model.data",
            "search_count",
            [("module", "=", "client_management"), ("model", "=", "res.partner")],
        )
        assert demo >= 30, f"only {demo} demo clients"
        countries = _call(
            session,
            url,
            "res.partner",
            "read_group",
            [("ref", "!=", False), ("country_id.code", "in", ["LV", "CZ", "RU", "KZ", "PL"])],
            ["country_id"],
            ["country_id"],
        )
        assert len(countries) == 5, countries
        conflict = _call(session, url, "res.partner", "search_count", [("is_conflict", "=", True)])
        assert conflict >= 1
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()
        subprocess.run(["dropdb", "--if-exists", db], check=False)
