"""From a machine whose Python cannot import Odoo: bin/run sets up Odoo 19.0 itself (bin/setup).

The project's files are copied to a fresh folder, bin/run is started there with a Python that
cannot import Odoo and ODOO_SRC pointing at the source tree of the Odoo running these tests:
it must build its virtual environment, run Odoo as a source tree (odoo-bin, PYTHONPATH), create
the demo database and serve the login page; a second run must reuse all of it.

The virtual environment is kept in ~/.cache/client_management/bootstrap-venv (CM_BOOTSTRAP_VENV
overrides it): the first run on a machine pays its pip installs (about a minute), later runs
reuse it as a developer's second run would.
"""

import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from loader_log import addon_warnings
from odoo_process import check_served_demo_database, stop, wait_for_login_page
from rpc_client import free_port

import odoo.release

REPO = Path(__file__).resolve().parents[1]
CACHE_VENV = Path(
    os.environ.get("CM_BOOTSTRAP_VENV") or Path.home() / ".cache" / "client_management" / "bootstrap-venv"
)
FIRST_RUN_LIMIT = 900  # seconds: a new virtual environment (pip) and the demo database
SECOND_RUN_LIMIT = 60  # seconds to the login page when everything is in place
UNREACHABLE = "http://127.0.0.1:9/odoo"  # the discard port: nothing listens there


def odoo_source_tree():
    """The source tree of the Odoo running these tests; CM_BOOTSTRAP_ODOO_SRC names one when that
    Odoo has none (installed as a regular package)."""
    given = os.environ.get("CM_BOOTSTRAP_ODOO_SRC")
    root = Path(given or Path(odoo.release.__file__).parents[1]).resolve()
    if not (root / "odoo" / "release.py").is_file() or not (root / "requirements.txt").is_file():
        pytest.fail(f"{root} is not an Odoo source tree (odoo/release.py, requirements.txt): set CM_BOOTSTRAP_ODOO_SRC")
    return root


def copy_project(dest):
    """The project's files as they are in the work tree (tracked or new, not ignored)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=False,
    )
    if listed.returncode:  # not a git checkout (e.g. an unpacked archive of the project)
        ignore = shutil.ignore_patterns(".git", ".venv", ".venv.lock", ".odoo", "__pycache__", ".*_cache")
        shutil.copytree(REPO, dest, ignore=ignore)
        return dest
    listed = listed.stdout.decode()
    for rel in filter(None, listed.split("\0")):
        source = REPO / rel
        if source.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / rel)
    return dest


def bare_python(tmp_path):
    """A Python without Odoo: a new virtual environment of the interpreter running the tests."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "bare")], check=True)
    python = tmp_path / "bare" / "bin" / "python"
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    assert subprocess.run([python, "-c", "import odoo.release"], env=env, capture_output=True).returncode != 0
    return python


def setup_env(tmp_path, python, **extra):
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "ODOO_SRC")}
    env.update(PYTHON=str(python), CM_ODOO_DIR=str(tmp_path / "odoo-cache"), **extra)
    return env


def test_run_sets_up_odoo_from_source_tree_then_reuses_it(tmp_path):
    project = copy_project(tmp_path / "project")
    source = odoo_source_tree()
    db = f"cm_boot_{os.getpid()}"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = setup_env(
        tmp_path, bare_python(tmp_path), ODOO_SRC=str(source), CM_VENV=str(CACHE_VENV), CM_DB=db, CM_PORT=str(port)
    )
    command = [str(project / "bin" / "run"), f"--data-dir={tmp_path / 'data'}", "--log-level=warn"]
    try:
        runs = []
        for attempt in (1, 2):
            log_path = tmp_path / f"run{attempt}.log"
            with log_path.open("w") as log:
                process = subprocess.Popen(
                    command, cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
                )
                try:
                    limit = FIRST_RUN_LIMIT if attempt == 1 else SECOND_RUN_LIMIT
                    seconds = wait_for_login_page(process, url, log_path, limit)
                    served_by = Path(f"/proc/{process.pid}/cmdline").read_bytes().split(b"\0")
                    if attempt == 1:
                        check_served_demo_database(url, db)
                finally:
                    stop(process)
            runs.append((seconds, log_path.read_text(), served_by))

        (first_seconds, first_log, served_by), (second_seconds, second_log, _) = runs
        print(f"bin/run from a bare Python: login page after {first_seconds:.0f}s, then {second_seconds:.0f}s")
        assert re.search(r"^== (setting up|reusing) .* with Odoo 19\.0 from ", first_log, re.M), first_log[-3000:]
        assert served_by[:2] == [str(CACHE_VENV / "bin" / "python").encode(), str(source / "odoo-bin").encode()], (
            f"not served by the virtual environment's Python running {source}/odoo-bin: {served_by}"
        )
        assert f"creating {db}" in first_log
        assert not addon_warnings(first_log), "\n".join(addon_warnings(first_log))

        reused = re.search(rf"^== reusing {re.escape(str(CACHE_VENV))} .*\((\d+)s\)$", second_log, re.M)
        assert reused, f"the second run did not reuse the virtual environment:\n{second_log[-3000:]}"
        assert int(reused[1]) <= 5, reused[0]
        assert "installing" not in second_log and f"creating {db}" not in second_log, second_log[-3000:]
    finally:
        subprocess.run(["dropdb", "--if-exists", db], check=False)


def run_setup(tmp_path, **env):
    project = copy_project(tmp_path / "project")
    env = setup_env(tmp_path, bare_python(tmp_path), CM_VENV=str(tmp_path / "venv"), **env)
    result = subprocess.run(
        [str(project / "bin" / "setup")], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    return result.returncode, result.stdout + result.stderr


def test_setup_without_odoo_source_nor_network_says_to_set_odoo_src(tmp_path):
    code, output = run_setup(tmp_path, CM_ODOO_GIT_URL=UNREACHABLE, CM_ODOO_TARBALL_URL=f"{UNREACHABLE}.tar.gz")
    assert code == 3, output
    assert f"ERROR: could not download Odoo 19.0: neither {UNREACHABLE} (git)" in output
    assert "Point ODOO_SRC at a local Odoo 19.0 source tree or source tarball" in output
    assert not (tmp_path / "venv" / "bin").exists(), "no virtual environment without Odoo"


def test_setup_unpacks_a_tarball_and_refuses_another_odoo_version(tmp_path):
    tree = tmp_path / "odoo-18.0" / "odoo"
    tree.mkdir(parents=True)
    (tree / "release.py").write_text("serie = '18.0'\nMIN_PY_VERSION = (3, 10)\n")
    tarball = tmp_path / "odoo_18.0.latest.tar.gz"
    with tarfile.open(tarball, "w:gz") as archive:
        archive.add(tree.parent, arcname="odoo-18.0")
    code, output = run_setup(tmp_path, ODOO_SRC=str(tarball))
    assert code == 3, output
    assert re.search(
        r"ERROR: \S+/odoo-cache/odoo_18\.0\.latest-\w+/odoo-18\.0 is Odoo 18\.0, "
        r"this addon needs Odoo 19\.0\.",
        output,
    ), output
    assert not (tmp_path / "venv" / "bin").exists(), "no virtual environment for another Odoo"
