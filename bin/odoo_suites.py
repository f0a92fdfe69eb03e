#!/usr/bin/env python3
"""Odoo's own test suites of partners and invoicing, run on a database with the addon installed.

Used by bin/test (never needed by hand):

    odoo_suites.py run --config CONF --database DB --output RESULT.json [--log LOG]
        runs the suites below with pytest-odoo on DB (every test, at_install and post_install
        alike, with the complete registry of DB, so with the addon's code loaded), and writes
        each test's outcome (and traceback) to RESULT.json. Exits 0 whenever the run produced
        its result file: judging it is the job of tests/test_odoo_suites.py, against the
        baseline below.
    odoo_suites.py write-baseline RESULT.json [--odoo-commit SHA]
        writes tests/odoo_suites/baseline_failures.txt from a run on a database WITHOUT the
        addon (bin/test --odoo-baseline does both steps).
    odoo_suites.py baseline-modules
        the modules of that database: what the two addons depend on, plus EXTRA_MODULES.

As a pytest plugin (``-p odoo_suites``, with this folder on PYTHONPATH) it records the outcomes.
"""

import argparse
import ast
import datetime
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(__file__).resolve().parent
REPO = BIN.parent
BASELINE = REPO / "tests" / "odoo_suites" / "baseline_failures.txt"
PYTEST_INI = REPO / "tests" / "odoo_suites" / "pytest.ini"
# Every addon of the repository: client_management and its bridges.
ADDONS = tuple(sorted(p.parent.name for p in REPO.glob("client_management*/__manifest__.py")))

# Odoo's own tests that guard the addon: (module, glob inside the module).
SUITES = (
    ("base", "tests/test_res_partner.py"),
    ("base", "tests/test_res_partner_merge.py"),
    ("account", "tests/test_account_partner.py"),
    ("account", "tests/test_res_partner_merge.py"),
    ("account", "tests/test_account_move_out_invoice.py"),
    ("account", "tests/test_account_move_in_invoice.py"),
    ("account", "tests/test_account_payment_register.py"),
    ("account", "tests/test_account_move_payments_widget.py"),
    ("phone_validation", "tests/test_*.py"),
    ("sms", "tests/test_sms_composer.py"),
    ("mail", "tests/test_res_partner.py"),
)
# Installed next to the addon on the suites' database (and on the baseline's), for their tests.
EXTRA_MODULES = ("sms",)

FAILED = ("failed", "error")


# ---------------------------------------------------------------- locating Odoo's test files


def odoo_addon_dirs():
    """Folders of Odoo's own addons (odoo/addons, then addons)."""
    from odoo.tools import config

    return [Path(p) for p in (config.addons_base_dir, config.addons_community_dir) if os.path.isdir(p)]


def module_dir(module, addon_dirs):
    for folder in addon_dirs:
        if (folder / module / "__manifest__.py").is_file():
            return folder / module
    raise SystemExit(f"ERROR: Odoo module {module!r} not found in {', '.join(map(str, addon_dirs))}")


def suite_label(module, pattern):
    return f"{module}/{pattern}"


def suite_files(addon_dirs=None):
    """{suite label: [(test id prefix 'module/tests/file.py', absolute path), ...]}."""
    addon_dirs = addon_dirs or odoo_addon_dirs()
    found = {}
    for module, pattern in SUITES:
        root = module_dir(module, addon_dirs)
        paths = sorted(p for p in root.glob(pattern) if p.name != "__init__.py")
        found[suite_label(module, pattern)] = [(f"{module}/{p.relative_to(root).as_posix()}", p) for p in paths]
    return found


def suite_of(test_id):
    """Label of the suite a test id ('module/tests/file.py::Class::method') belongs to."""
    from fnmatch import fnmatch

    path = test_id.split("::", 1)[0]
    for module, pattern in SUITES:
        if fnmatch(path, f"{module}/{pattern}"):
            return suite_label(module, pattern)
    return None


def fingerprint(files):
    """sha256 over the suites' test files: a baseline is only valid for the files it was made with."""
    digest = hashlib.sha256()
    for label in sorted(files):
        for test_id, path in files[label]:
            digest.update(test_id.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def manifest(addon):
    return ast.literal_eval((REPO / addon / "__manifest__.py").read_text())


def baseline_modules():
    """The modules of the database without the addon: what both addons depend on, plus EXTRA_MODULES."""
    modules = {dep for addon in ADDONS for dep in manifest(addon)["depends"]} - set(ADDONS)
    return sorted(modules | set(EXTRA_MODULES))


def installed_modules(database):
    out = subprocess.run(
        ["psql", "-d", database, "-Atqc", "SELECT name FROM ir_module_module WHERE state = 'installed' ORDER BY name"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out.split()


# ---------------------------------------------------------------- the pytest plugin


def _test_id(rootpath, nodeid):
    """'module/path/in/module.py::Class::method' from a pytest node id."""
    file_part, _, rest = nodeid.partition("::")
    path = (Path(rootpath) / file_part).resolve()
    for parent in path.parents:
        if (parent / "__manifest__.py").is_file():
            prefix = f"{parent.name}/{path.relative_to(parent).as_posix()}"
            return f"{prefix}::{rest}" if rest else prefix
    return nodeid


_RANK = {"passed": 0, "skipped": 1, "failed": 2, "error": 3}


class _Recorder:
    def __init__(self, config):
        self.config = config
        self.tests = {}
        self.collect_errors = {}
        self.started = time.monotonic()

    def _entry(self, test_id):
        return self.tests.setdefault(test_id, {"outcome": "passed", "duration": 0.0, "details": []})

    def pytest_collectreport(self, report):
        if report.failed:
            test_id = _test_id(self.config.rootpath, report.nodeid)
            self.collect_errors[test_id] = report.longreprtext

    def pytest_runtest_logreport(self, report):
        test_id = _test_id(self.config.rootpath, report.nodeid)
        entry = self._entry(test_id)
        entry["duration"] += report.duration
        if report.passed:
            return
        if report.skipped:
            outcome = "skipped"
            detail = str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else report.longreprtext
        else:
            outcome = "failed" if report.when == "call" else "error"
            where = report.when + (f" {report.head_line}" if getattr(report, "context", None) else "")
            detail = f"[{where}]\n{report.longreprtext}"
            logs = [text for name, text in report.sections if "log" in name]
            if logs:
                detail += "\n--- captured log ---\n" + "\n".join(logs)[-4000:]
        if _RANK[outcome] >= _RANK[entry["outcome"]]:
            entry["outcome"] = outcome
        entry["details"].append(detail)

    def pytest_sessionfinish(self, session, exitstatus):
        output = self.config.getoption("--odoo-suites-output")
        if not output:
            return
        counts = {}
        for entry in self.tests.values():
            counts[entry["outcome"]] = counts.get(entry["outcome"], 0) + 1
        data = {
            "exitstatus": int(exitstatus),
            "seconds": round(time.monotonic() - self.started, 1),
            "counts": counts,
            "collect_errors": self.collect_errors,
            "tests": self.tests,
        }
        Path(output).write_text(json.dumps(data, indent=1, sort_keys=True))


def pytest_addoption(parser):
    parser.addoption("--odoo-suites-output", help="where odoo_suites writes the outcome of each test (JSON)")


def pytest_configure(config):
    config.pluginmanager.register(_Recorder(config), "odoo_suites_recorder")


# ---------------------------------------------------------------- commands


def cmd_run(args):
    files = suite_files()
    paths = [str(path) for pairs in files.values() for _, path in pairs]
    odoo_root = Path(os.path.commonpath(paths))
    output = Path(args.output).resolve()
    output.unlink(missing_ok=True)
    raw = output.with_suffix(".pytest.json")
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-c",
        str(PYTEST_INI),
        "--rootdir",
        str(odoo_root),
        "-p",
        "no:cacheprovider",
        "-p",
        "odoo_suites",
        f"--odoo-config={args.config}",
        f"--odoo-database={args.database}",
        "--odoo-log-level=warn",
        "--odoo-http",
        f"--odoo-suites-output={raw}",
        *paths,
    ]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(BIN), os.environ.get("PYTHONPATH")])))
    started = time.monotonic()
    with open(args.log or os.devnull, "w") as log:
        rc = subprocess.run(command, env=env, stdout=log, stderr=subprocess.STDOUT, check=False).returncode
    seconds = round(time.monotonic() - started, 1)
    if not raw.is_file():
        print(f"ERROR: Odoo's suites did not run (pytest exit code {rc}), see {args.log}", file=sys.stderr)
        return 1
    data = json.loads(raw.read_text())
    raw.unlink()
    import odoo.release

    data.update(
        odoo_version=odoo.release.version,
        database=args.database,
        pytest_exit_code=rc,
        seconds=seconds,
        installed_modules=installed_modules(args.database),
        fingerprint=fingerprint(files),
        files={label: [test_id for test_id, _ in pairs] for label, pairs in files.items()},
    )
    output.write_text(json.dumps(data, indent=1, sort_keys=True))
    counts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(data["counts"].items()))
    print(f"== Odoo's suites: {len(data['tests'])} tests ({counts}) in {seconds:.0f}s")
    return 0


def read_baseline(path=BASELINE):
    """(header {key: value or [values]}, set of failing test ids) of the baseline file."""
    header, failures = {}, set()
    for line in Path(path).read_text().splitlines():
        line = line.strip()
        if line.startswith("#"):
            key, sep, value = line[1:].strip().partition(": ")
            if sep and key and " " not in key:
                if key == "ran":
                    label, _, count = value.rpartition(" ")
                    header.setdefault("ran", {})[label] = int(count)
                else:
                    header[key] = value
        elif line:
            failures.add(line)
    return header, failures


def ran_per_suite(data):
    """{suite label: tests that ran (passed, failed or in error; skipped ones do not count)}."""
    ran = dict.fromkeys((suite_label(m, p) for m, p in SUITES), 0)
    for test_id, entry in data["tests"].items():
        label = suite_of(test_id)
        if label and entry["outcome"] != "skipped":
            ran[label] += 1
    return ran


def new_failures(data, baseline_failures, label=None):
    """{test id: entry} of the tests failing (or in error) in ``data`` but not in the baseline."""
    return {
        test_id: entry
        for test_id, entry in sorted(data["tests"].items())
        if entry["outcome"] in FAILED
        and test_id not in baseline_failures
        and (label is None or suite_of(test_id) == label)
    }


def describe(test_id, entry, max_lines=25):
    """A test's failure, its tracebacks cut to their last lines."""
    parts = [f"{entry['outcome'].upper()} {test_id}"]
    for detail in entry["details"]:
        text, _, log = detail.partition("\n--- captured log ---\n")
        lines = text.rstrip().splitlines()
        head, tail = lines[:1], lines[1:]
        if len(tail) > max_lines:
            tail = ["    [...]", *tail[-max_lines:]]
        parts.append("\n".join(head + tail))
        errors = [line for line in log.splitlines() if " ERROR " in line or " CRITICAL " in line]
        if errors:
            parts.append("  logged: " + "\n  logged: ".join(errors[-5:]))
    return "\n".join(parts)


def cmd_write_baseline(args):
    data = json.loads(Path(args.result).read_text())
    if data["collect_errors"]:
        raise SystemExit(f"ERROR: collection errors, no baseline written: {sorted(data['collect_errors'])}")
    ran = ran_per_suite(data)
    if not all(ran.values()):
        raise SystemExit(f"ERROR: suites without any test run, no baseline written: {ran}")
    failing = sorted(test_id for test_id, entry in data["tests"].items() if entry["outcome"] in FAILED)
    commit = args.odoo_commit or "unknown"
    modules = [m for m in data["installed_modules"] if m not in ADDONS]
    lines = [
        "# Odoo's own tests (bin/odoo_suites.py, SUITES) that FAIL on a database WITHOUT the addon:",
        "# same modules as the suites' database minus client_management and its bridges.",
        "# tests/test_odoo_suites.py fails on any other failing test. One test id a line.",
        "# Regenerate (really runs the suites on such a database): bin/test --odoo-baseline",
        f"# odoo-commit: {commit}",
        f"# odoo-version: {data.get('odoo_version', '')}",
        f"# generated: {datetime.date.today().isoformat()}",
        f"# fingerprint: {data['fingerprint']}",
        f"# installed-modules: {','.join(modules)}",
        f"# tests: {len(data['tests'])} ({sum(ran.values())} ran, {len(failing)} failing)",
    ]
    lines += [f"# ran: {label} {count}" for label, count in ran.items()]
    lines += failing
    BASELINE.parent.mkdir(parents=True, exist_ok=True)
    BASELINE.write_text("\n".join(lines) + "\n")
    print(f"== wrote {BASELINE.relative_to(REPO)}: {len(failing)} failing of {sum(ran.values())} tests run")
    for test_id in failing:
        print(f"   {test_id}")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run")
    run.add_argument("--config", required=True)
    run.add_argument("--database", required=True)
    run.add_argument("--output", required=True)
    run.add_argument("--log")
    write = commands.add_parser("write-baseline")
    write.add_argument("result")
    write.add_argument("--odoo-commit")
    commands.add_parser("baseline-modules")
    args = parser.parse_args(argv)
    if args.command == "run":
        return cmd_run(args)
    if args.command == "write-baseline":
        return cmd_write_baseline(args)
    print(",".join(baseline_modules()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
