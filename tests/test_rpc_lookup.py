"""System test: a telephony integration looks callers up over RPC on a running server."""

import configparser
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests

STARTUP_LIMIT = 120


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
    params = {"model": model, "method": method, "args": list(args), "kwargs": kwargs}
    return _rpc(session, url, "/web/dataset/call_kw", params)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    conf = os.environ.get("CM_ODOO_CONF")
    if not conf:
        pytest.fail("CM_ODOO_CONF is not set: run the suite through bin/test")
    parser = configparser.ConfigParser()
    parser.read(conf)
    db = parser["options"]["db_name"]
    port = _free_port()
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
        info = _rpc(session, url, "/web/session/authenticate", {"db": db, "login": "admin", "password": "admin"})
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
    kz = _call(session, url, "res.country", "search", [("code", "=", "KZ")])[0]
    caller = _call(
        session,
        url,
        "res.partner",
        "create",
        [{"name": "RPC caller", "country_id": kz, "phone": "8 (777) 785-99-54", "is_conflict": True}],
    )[0]
    other = _call(session, url, "res.partner", "create", [{"name": "RPC other", "phone": "+371 26 123 456"}])[0]
    try:
        # the native phone written over RPC became the primary line, in international format
        domain = [("partner_id", "=", caller)]
        lines = _call(session, url, "res.partner.phone", "search_read", domain, ["number_e164", "is_primary"])
        assert [(line["number_e164"], line["is_primary"]) for line in lines] == [("+77777859954", True)]
        for written, country in (
            ("+7 777 785 99 54", None),
            ("8 (777) 785-99-54", "KZ"),
            ("0077777859954", None),
        ):
            found = _call(session, url, "res.partner", "find_by_phone", written, country)
            ids = found if isinstance(found, list) else [found]
            assert ids == [caller], (written, found)
            marker = _call(session, url, "res.partner", "read", ids, ["is_conflict"])
            assert marker[0]["is_conflict"] is True, "the conflict marker shows in the result"
        assert _call(session, url, "res.partner", "find_by_phone", "26123456", "LV") == [other]
        assert _call(session, url, "res.partner", "find_by_phone", "+371 29 000 000") == []
    finally:
        _call(session, url, "res.partner", "unlink", [caller, other])
