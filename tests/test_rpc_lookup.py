"""System test: a telephony integration looks callers up over RPC on a running server."""

import configparser
import os
import signal
import subprocess
import sys
import time

import pytest
import requests
from rpc_client import call, free_port, rpc

STARTUP_LIMIT = 120


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    conf = os.environ.get("CM_ODOO_CONF")
    if not conf:
        pytest.fail("CM_ODOO_CONF is not set: run the suite through bin/test")
    parser = configparser.ConfigParser()
    parser.read(conf)
    db = parser["options"]["db_name"]
    port = free_port()
    log_path = tmp_path_factory.mktemp("rpc") / "server.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from odoo.cli.command import main; sys.argv[0] = 'odoo'; main()",
            "-c",
            conf,
            "-d",
            db,
            f"--http-port={port}",
            "--http-interface=127.0.0.1",
            "--max-cron-threads=0",
            "--log-level=warn",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        started = time.monotonic()
        while time.monotonic() - started < STARTUP_LIMIT:
            assert process.poll() is None, log_path.read_text()[-3000:]
            try:
                if requests.get(f"{url}/web/login", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(1)
        else:
            pytest.fail(f"server did not start: {log_path.read_text()[-3000:]}")
        session = requests.Session()
        info = rpc(session, url, "/web/session/authenticate", {"db": db, "login": "admin", "password": "admin"})
        assert info["uid"]
        yield session, url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


def test_find_by_phone_over_rpc(server):
    session, url = server
    kz = call(session, url, "res.country", "search", [("code", "=", "KZ")])[0]
    caller = call(
        session,
        url,
        "res.partner",
        "create",
        [{"name": "RPC caller", "country_id": kz, "phone": "8 (777) 785-99-54", "is_conflict": True}],
    )[0]
    other = call(session, url, "res.partner", "create", [{"name": "RPC other", "phone": "+371 26 123 456"}])[0]
    try:
        # the native phone written over RPC became the primary line, in international format
        domain = [("partner_id", "=", caller)]
        lines = call(session, url, "res.partner.phone", "search_read", domain, ["number_e164", "is_primary"])
        assert [(line["number_e164"], line["is_primary"]) for line in lines] == [("+77777859954", True)]
        for written, country in (
            ("+7 777 785 99 54", None),
            ("8 (777) 785-99-54", "KZ"),
            ("0077777859954", None),
        ):
            found = call(session, url, "res.partner", "find_by_phone", written, country)
            ids = found if isinstance(found, list) else [found]
            assert ids == [caller], (written, found)
            marker = call(session, url, "res.partner", "read", ids, ["is_conflict"])
            assert marker[0]["is_conflict"] is True, "the conflict marker shows in the result"
        assert call(session, url, "res.partner", "find_by_phone", "26123456", "LV") == [other]
        assert call(session, url, "res.partner", "find_by_phone", "+371 29 000 000") == []
    finally:
        call(session, url, "res.partner", "unlink", [caller, other])
