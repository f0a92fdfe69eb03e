"""System checks outside Odoo's loader: packaging, manifest, README and the loader's logs."""

import ast
import os
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ADDON = REPO / "client_management"


def _manifest():
    return ast.literal_eval((ADDON / "__manifest__.py").read_text())


def test_manifest_metadata_complete():
    manifest = _manifest()
    for key in ("name", "summary", "version", "category", "author", "website", "license", "depends", "data"):
        assert manifest.get(key), f"manifest key {key!r} missing or empty"
    assert manifest["name"] == "Clients"
    assert manifest["license"] == "LGPL-3"
    assert manifest["application"] is True
    assert re.fullmatch(r"19\.0\.\d+\.\d+\.\d+", manifest["version"])
    assert set(manifest["depends"]) >= {"contacts", "account", "mail", "phone_validation", "utm"}


def test_manifest_files_exist():
    manifest = _manifest()
    for rel in manifest["data"] + manifest.get("demo", []):
        assert (ADDON / rel).is_file(), f"{rel} listed in the manifest does not exist"
    assert (ADDON / "static/description/icon.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<section" in (ADDON / "static/description/index.html").read_text()


def test_every_model_has_access_rules():
    csv = (ADDON / "security/ir.model.access.csv").read_text()
    declared = set()
    for path in list((ADDON / "models").glob("*.py")) + list((ADDON / "wizards").glob("*.py")):
        declared.update(re.findall(r'^\s+_name = "([\w.]+)"', path.read_text(), re.M))
    for model in declared:
        assert f"model_{model.replace('.', '_')}," in csv, f"{model} has no access rule"


def test_readme_states_prerequisite_and_commands():
    readme = (REPO / "README.md").read_text()
    assert "Odoo 19.0" in readme
    assert "bin/run" in readme and "bin/test" in readme
    ci = (REPO / ".ci" / "run").read_text()
    assert "bin/test" in ci


@pytest.mark.parametrize("env_var", ["CM_INSTALL_LOG", "CM_UPGRADE_LOG"])
def test_loader_logs_no_warning(env_var):
    """Installing and upgrading must log no warning or error from Odoo's loader."""
    path = os.environ.get(env_var)
    if not path:
        pytest.fail(f"{env_var} is not set: run the suite through bin/test")
    bad = [line for line in Path(path).read_text().splitlines() if re.search(r" (WARNING|ERROR|CRITICAL) ", line)]
    assert not bad, "\n".join(bad[:20])
