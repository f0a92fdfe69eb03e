"""End to end: the README's run command creates the demo database and serves Odoo."""

import os
import subprocess
from pathlib import Path

from odoo_process import check_served_demo_database, stop, wait_for_login_page
from rpc_client import free_port

REPO = Path(__file__).resolve().parents[1]
STARTUP_LIMIT = 180  # seconds, from the README's promise


def test_run_command_serves_demo_database(tmp_path):
    db = f"cm_run_{os.getpid()}"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ, CM_DB=db, CM_PORT=str(port))
    log_path = tmp_path / "run.log"
    try:
        with log_path.open("w") as log:
            process = subprocess.Popen(
                [str(REPO / "bin" / "run"), f"--data-dir={tmp_path / 'data'}", "--log-level=warn"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            try:
                wait_for_login_page(process, url, log_path, STARTUP_LIMIT)
                check_served_demo_database(url, db)
            finally:
                stop(process)
    finally:
        subprocess.run(["dropdb", "--if-exists", db], check=False)
