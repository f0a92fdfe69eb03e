"""The addons packaged the OCA way: `pip wheel ./client_management` (whool, from the addon's
pyproject.toml) builds odoo_addon_client_management-19.0.….whl, the same for the bridge, and
installing the wheels with pip makes the addons visible to Odoo without the repository on its
addons path (README, "Installing the addon")."""

import ast
import email.parser
import importlib.metadata
import json
import os
import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# Every addon of the repository: client_management and its bridges.
ADDONS = tuple(sorted(p.parent.name for p in REPO.glob("client_management*/__manifest__.py")))
PIP = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]


def _manifest(addon):
    return ast.literal_eval((REPO / addon / "__manifest__.py").read_text())


def _metadata(wheel):
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return email.parser.Parser().parsestr(archive.read(name).decode())


@pytest.fixture(scope="module")
def wheels(tmp_path_factory):
    """{addon: wheel path}, built as the README tells (pip fetches whool from PyPI)."""
    out = tmp_path_factory.mktemp("wheels")
    build = subprocess.run(
        [*PIP, "wheel", "--no-deps", "--quiet", "--wheel-dir", str(out), *(str(REPO / a) for a in ADDONS)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert build.returncode == 0, f"pip wheel failed:\n{build.stdout[-2000:]}\n{build.stderr[-4000:]}"
    built = {}
    for wheel in out.glob("*.whl"):
        match = re.fullmatch(r"odoo_addon_(\w+?)-([\w.]+)-py3-none-any\.whl", wheel.name)
        assert match, f"unexpected wheel name {wheel.name}"
        built[match[1]] = wheel
    assert set(built) == set(ADDONS), sorted(p.name for p in out.iterdir())
    return built


@pytest.mark.parametrize("addon", ADDONS)
def test_wheel_is_named_and_versioned_after_the_manifest(wheels, addon):
    metadata = _metadata(wheels[addon])
    assert metadata["Name"] == f"odoo-addon-{addon}"
    version = _manifest(addon)["version"]
    # whool adds .N, the commits since the manifest's version last changed
    assert re.fullmatch(re.escape(version) + r"(\.\d+)?", metadata["Version"]), metadata["Version"]
    assert wheels[addon].name.startswith(f"odoo_addon_{addon}-{metadata['Version']}-")
    assert metadata["License"] == "LGPL-3"
    assert metadata["Author"] == "client_management contributors"


def test_wheels_depend_on_odoo_19_the_core_addon_and_python_libraries(wheels):
    requires = {addon: set(_metadata(wheels[addon]).get_all("Requires-Dist")) for addon in ADDONS}
    # Odoo's own addons (contacts, account, point_of_sale, ...) come with odoo itself
    assert requires["client_management"] == {"odoo==19.0.*", "phonenumbers", "openpyxl"}
    assert requires["client_management_pos"] == {"odoo==19.0.*", "odoo-addon-client_management==19.0.*"}
    assert set(_manifest("client_management")["external_dependencies"]["python"]) <= requires["client_management"]


@pytest.mark.parametrize("addon", ADDONS)
def test_wheel_holds_every_file_of_the_addon(wheels, addon):
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=REPO / addon, capture_output=True, text=True, check=True
    ).stdout.split()
    with zipfile.ZipFile(wheels[addon]) as archive:
        packaged = {n.removeprefix(f"odoo/addons/{addon}/") for n in archive.namelist() if not n.endswith("/")}
    assert set(tracked) - {"pyproject.toml"} <= packaged
    manifest = _manifest(addon)
    for rel in ["__manifest__.py", *manifest["data"], *manifest.get("demo", []), *manifest.get("images", [])]:
        assert rel in packaged, f"{rel} missing from {wheels[addon].name}"
    assert "pyproject.toml" not in packaged
    if addon == "client_management":
        assert {"i18n/client_management.pot", "i18n/lv.po", "static/description/icon.png"} <= packaged


def test_pip_resolves_the_bridge_against_this_odoo_without_the_network(wheels):
    """`pip install odoo-addon-client_management_pos` finds the core addon's wheel and takes the
    installed Odoo 19.0 and libraries as they are. Odoo run from a source tree (bin/setup) is no
    Python package for pip: then the one requirement pip cannot meet is odoo==19.0.*, as the
    README says."""
    plan = subprocess.run(
        [
            *PIP,
            "install",
            "--dry-run",
            "--no-index",
            "--find-links",
            str(wheels["client_management"].parent),
            "odoo-addon-client_management_pos",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        importlib.metadata.version("odoo")
    except importlib.metadata.PackageNotFoundError:
        assert plan.returncode != 0
        assert "No matching distribution found for odoo==19.0.*" in plan.stderr, plan.stderr[-3000:]
        return
    assert plan.returncode == 0, plan.stderr[-3000:]
    would = re.search(r"^Would install (.*)$", plan.stdout, re.M)
    assert would, plan.stdout[-3000:]
    assert sorted(re.sub(r"-[\d.]+$", "", p) for p in would[1].split()) == [
        "odoo-addon-client_management",
        "odoo-addon-client_management_pos",
    ], "pip would install more than the two addons: " + would[1]


def test_pip_installed_addons_are_found_by_odoo(wheels, tmp_path):
    """Installed with pip (here into a target directory on PYTHONPATH), the addons are in the
    odoo.addons namespace: Odoo finds them with only its own addons on the addons path, lists them
    for Apps → Update Apps List, and imports them from there."""
    target = tmp_path / "site"
    install = subprocess.run(
        [*PIP, "install", "--no-deps", "--quiet", "--target", str(target), *map(str, wheels.values())],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    (tmp_path / "odoo.conf").write_text("[options]\n")
    probe = textwrap.dedent(
        """
        import importlib, json, sys
        import odoo.addons
        from odoo.modules import module
        from odoo.tools import config

        config.parse_config(["-c", sys.argv[1], "--addons-path=" + config.addons_community_dir])
        module.initialize_sys_path()
        listed = {m.name for m in module.Manifest.all_addon_manifests()}
        found = {}
        for name in sys.argv[2:]:
            manifest = module.Manifest.for_addon(name)
            found[name] = {
                "path": module.get_module_path(name),
                "version": manifest and manifest["version"],
                "listed": name in listed,
                "imported_from": importlib.import_module("odoo.addons." + name).__file__,
            }
        print(json.dumps({"addons_path": list(odoo.addons.__path__), "found": found}))
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "ODOO_RC"}
    # first on the path; an Odoo source tree there (bin/setup) stays
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(target), os.environ.get("PYTHONPATH")]))
    run = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / "odoo.conf"), *ADDONS],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert not any(Path(p).resolve() == REPO for p in result["addons_path"]), result["addons_path"]
    installed = target / "odoo" / "addons"
    for addon in ADDONS:
        found = result["found"][addon]
        assert found["path"] == str(installed / addon), found
        assert found["version"] == _manifest(addon)["version"], found
        assert found["listed"], f"{addon} is not among the addons Odoo lists"
        assert found["imported_from"] == str(installed / addon / "__init__.py"), found
