"""Odoo's own tests of partners and invoicing guard the addon.

bin/test runs them (bin/odoo_suites.py) on a copy of its database, with the addon and sms
installed, and passes the outcome of each test in CM_ODOO_SUITES_RESULT. Here, every test failing
there must also fail without the addon: it must be listed in tests/odoo_suites/baseline_failures.txt,
produced by really running the same suites on a database without the addon
(bin/test --odoo-baseline). A suite that ran fewer tests than in the baseline fails too.
The last tests need no Odoo: they check that bin/test keeps running the suites.
"""

import importlib.util
import json
import os
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("odoo_suites", REPO / "bin" / "odoo_suites.py")
suites = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(suites)

LABELS = [suites.suite_label(module, pattern) for module, pattern in suites.SUITES]
REQUIRED = {
    "base/tests/test_res_partner.py",
    "base/tests/test_res_partner_merge.py",
    "account/tests/test_account_partner.py",
    "account/tests/test_res_partner_merge.py",
    "account/tests/test_account_move_out_invoice.py",
    "account/tests/test_account_move_in_invoice.py",
    "account/tests/test_account_payment_register.py",
    "account/tests/test_account_move_payments_widget.py",
    "phone_validation/tests/test_*.py",
    "sms/tests/test_sms_composer.py",
    "mail/tests/test_res_partner.py",
}


@pytest.fixture(scope="module")
def result():
    if os.environ.get("CM_ODOO_SUITES") == "0":
        pytest.skip("Odoo's own suites not run (CM_ODOO_SUITES=0)")
    path = os.environ.get("CM_ODOO_SUITES_RESULT")
    assert path, "CM_ODOO_SUITES_RESULT is not set: run the tests with bin/test, which runs Odoo's suites"
    if not Path(path).is_file():
        log = Path(os.environ.get("CM_ODOO_SUITES_LOG", "/nonexistent"))
        tail = log.read_text()[-5000:] if log.is_file() else "(no log)"
        pytest.fail(f"Odoo's suites produced no result ({path}); end of their log:\n{tail}")
    return json.loads(Path(path).read_text())


@pytest.fixture(scope="module")
def baseline():
    return suites.read_baseline()


@pytest.mark.parametrize("label", LABELS)
def test_odoo_suite_fails_nowhere_outside_the_baseline(result, baseline, label):
    # pytrace=False: the message lists Odoo's failing tests, this function's code would only hide them
    header, baseline_failures = baseline
    collect_errors = {k: v for k, v in result["collect_errors"].items() if suites.suite_of(k) == label}
    if collect_errors:
        details = "\n".join(f"{k}\n{v[-3000:]}" for k, v in collect_errors.items())
        pytest.fail(f"{label}: Odoo's tests could not be collected:\n{details}", pytrace=False)
    ran = suites.ran_per_suite(result)[label]
    expected = header.get("ran", {}).get(label, 1)
    if ran < max(expected, 1):
        pytest.fail(
            f"{label}: only {ran} tests ran with the addon, {expected} without it "
            f"(see {os.environ.get('CM_ODOO_SUITES_LOG')})",
            pytrace=False,
        )
    new = suites.new_failures(result, baseline_failures, label)
    if new:
        pytest.fail(
            f"{label}: {len(new)} of Odoo's tests fail with the addon installed but pass without it "
            "(baseline: tests/odoo_suites/baseline_failures.txt):\n\n"
            + "\n\n".join(suites.describe(test_id, entry) for test_id, entry in new.items()),
            pytrace=False,
        )


def test_odoo_suites_database_matches_the_baseline(result, baseline):
    header, _ = baseline
    if result["fingerprint"] != header.get("fingerprint"):
        pytest.fail(
            "Odoo's test files differ from those of the baseline (another Odoo commit?): "
            "regenerate it with bin/test --odoo-baseline",
            pytrace=False,
        )
    if not set(suites.ADDONS) <= set(result["installed_modules"]):
        pytest.fail("the addon was not installed on the database of Odoo's suites", pytrace=False)
    modules = [m for m in result["installed_modules"] if m not in suites.ADDONS]
    baseline_modules = header.get("installed-modules", "").split(",")
    if modules != baseline_modules:
        pytest.fail(
            "the database of Odoo's suites has other modules than the baseline's (apart from the addon): "
            f"only here {sorted(set(modules) - set(baseline_modules))}, "
            f"only in the baseline {sorted(set(baseline_modules) - set(modules))}; "
            "regenerate it with bin/test --odoo-baseline",
            pytrace=False,
        )


# ---------------------------------------------------------------- packaging: no Odoo needed


def test_bin_test_runs_odoo_suites_and_hands_their_result_to_pytest():
    script = (REPO / "bin" / "test").read_text()
    run = script.index("bin/odoo_suites.py run")
    pytest_run = script.rindex("-m pytest")
    assert run < pytest_run, "bin/test runs Odoo's suites before pytest, which judges them"
    assert "CM_ODOO_SUITES_RESULT" in script[:pytest_run]
    assert "-i sms" in script, "sms is installed on the suites' database"
    assert "--odoo-baseline" in script and "write-baseline" in script
    assert script.rstrip().splitlines()[-1].strip().endswith('tests "$@"'), "bin/test ends with the pytest run"


def test_suites_cover_partners_and_invoicing():
    assert set(LABELS) >= REQUIRED
    assert "sms" in suites.EXTRA_MODULES


def test_baseline_file_is_well_formed():
    header, failures = suites.read_baseline()
    for key in ("odoo-commit", "fingerprint", "installed-modules", "ran"):
        assert header.get(key), f"baseline header {key!r} missing"
    assert re.fullmatch(r"[0-9a-f]{40}", header["odoo-commit"]), header["odoo-commit"]
    assert set(header["ran"]) == set(LABELS), "the baseline counts the tests of every suite"
    assert all(count > 0 for count in header["ran"].values()), header["ran"]
    for test_id in failures:
        assert suites.suite_of(test_id), f"{test_id} is in no suite"
        assert re.fullmatch(r"[\w/.*-]+\.py::\w+::\w+", test_id), test_id
    assert {"client_management", "client_management_pos"}.isdisjoint(header["installed-modules"].split(","))
    assert set(suites.baseline_modules()) <= set(header["installed-modules"].split(","))
