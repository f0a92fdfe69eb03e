"""Starting the README's commands as a newcomer would, and checking what they serve."""

import os
import signal
import subprocess
import time

import pytest
import requests
from rpc_client import call, rpc

DEMO_COUNTRIES = ["LV", "CZ", "RU", "KZ", "PL"]


def wait_for_login_page(process, url, log_path, limit):
    """Seconds until ``url`` serves its login page; fails with the log's end if the process
    stops or ``limit`` seconds pass."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        assert process.poll() is None, f"bin/run stopped:\n{log_path.read_text()[-3000:]}"
        try:
            if requests.get(f"{url}/web/login", timeout=5).status_code == 200:
                return time.monotonic() - started
        except requests.ConnectionError:
            pass
        time.sleep(1)
    pytest.fail(f"no login page within {limit}s:\n{log_path.read_text()[-3000:]}")


def stop(process):
    """Stop a server started in a session of its own, and everything it started."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def check_served_demo_database(url, db):
    """admin / admin logs in, the Clients app is in the main menu, the demo client base is
    there: clients of the five countries, a conflict client."""
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
        [("ref", "!=", False), ("country_id.code", "in", DEMO_COUNTRIES)],
        ["country_id"],
        ["country_id"],
    )
    assert len(countries) == len(DEMO_COUNTRIES), countries
    assert call(session, url, "res.partner", "search_count", [("is_conflict", "=", True)]) >= 1, "no conflict client"
