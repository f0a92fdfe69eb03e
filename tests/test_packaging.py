"""System checks outside Odoo's loader: packaging, manifest, README and the loader's logs."""

import ast
import configparser
import os
import re
import subprocess
import sys
from pathlib import Path

import polib  # one of Odoo's own requirements
import pytest
from loader_log import addon_warnings, environment_warnings

REPO = Path(__file__).resolve().parents[1]
ADDON = REPO / "client_management"


POS_ADDON = REPO / "client_management_pos"
# client_management and every bridge addon of the repository
ALL_ADDONS = sorted(p.parent for p in REPO.glob("client_management*/__manifest__.py"))


def _manifest(addon=ADDON):
    return ast.literal_eval((addon / "__manifest__.py").read_text())


@pytest.mark.parametrize("addon", ALL_ADDONS, ids=lambda a: a.name)
def test_manifest_metadata_of_both_addons(addon):
    manifest = _manifest(addon)
    for key in ("name", "summary", "version", "category", "author", "website", "license", "depends", "data"):
        assert manifest.get(key), f"{addon.name}: manifest key {key!r} missing or empty"
    assert re.fullmatch(r"19\.0\.\d+\.\d+\.\d+", manifest["version"])
    for rel in manifest["data"] + manifest.get("demo", []):
        assert (addon / rel).is_file(), f"{addon.name}: {rel} listed in the manifest does not exist"


def test_pos_bridge_installs_itself_with_point_of_sale():
    manifest = _manifest(POS_ADDON)
    assert manifest["auto_install"] is True
    assert set(manifest["depends"]) == {"client_management", "point_of_sale"}


def test_every_bridge_installs_itself_with_its_app_and_is_tested():
    """Each client_management_* addon is auto-installed, depends on the core, and bin/test
    installs it and runs its tests (the list is found, not written by hand)."""
    bridges = sorted(p.parent.name for p in REPO.glob("client_management_*/__manifest__.py"))
    assert "client_management_pos" in bridges
    listed = subprocess.run(
        ["bash", "-c", 'source bin/_common.sh && cm_addons ","'], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split(",")
    assert listed == ["client_management", *bridges]
    for bridge in bridges:
        manifest = _manifest(REPO / bridge)
        assert manifest["auto_install"] is True, bridge
        assert "client_management" in manifest["depends"], bridge
        assert (REPO / bridge / "tests").is_dir(), f"{bridge} has its own tests"


def test_manifest_metadata_complete():
    manifest = _manifest()
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


def _declared_models(addon):
    """Models an addon declares, with the kind of their class (Model, TransientModel, ...)."""
    declared = {}
    for path in list((addon / "models").glob("*.py")) + list((addon / "wizards").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ClassDef):
                continue
            kinds = [base.attr for base in node.bases if isinstance(base, ast.Attribute)]
            for stmt in node.body:
                if (
                    isinstance(stmt, ast.Assign)
                    and [getattr(t, "id", None) for t in stmt.targets] == ["_name"]
                    and isinstance(stmt.value, ast.Constant)
                ):
                    declared[stmt.value.value] = kinds[0] if kinds else None
    return declared


def test_every_model_has_access_rules():
    csv = (ADDON / "security/ir.model.access.csv").read_text()
    declared = _declared_models(ADDON)
    assert declared.get("res.partner.phone") == "Model" and declared.get("client.blacklist.mirror") == "AbstractModel"
    for model, kind in declared.items():
        if kind == "AbstractModel" or model in ("mail.blacklist", "phone.blacklist"):
            continue  # no table of its own, or a model of Odoo's extended with a mixin
        assert f"model_{model.replace('.', '_')}," in csv, f"{model} has no access rule"


def test_readme_states_prerequisite_and_commands():
    readme = (REPO / "README.md").read_text()
    assert "Odoo 19.0" in readme
    assert "bin/run" in readme and "bin/test" in readme
    ci = (REPO / ".ci" / "run").read_text()
    assert "bin/test" in ci


@pytest.mark.parametrize("env_var", ["CM_INSTALL_LOG", "CM_UPGRADE_LOG"])
def test_loader_logs_no_warning(env_var):
    """Installing and upgrading log no warning or error caused by the addons (their modules,
    models, fields, views, data); the environment's own warnings (an editable install of Odoo,
    a missing wkhtmltopdf) are printed, not failed on."""
    path = os.environ.get(env_var)
    if not path:
        pytest.fail(f"{env_var} is not set: run the suite through bin/test")
    text = Path(path).read_text()
    for line in environment_warnings(text)[:5]:
        print("environment:", line)
    bad = addon_warnings(text)
    assert not bad, "\n".join(bad[:20])


def test_loader_log_filter_tells_addon_warnings_from_the_environment():
    prefix = "2026-11-23 10:00:00,123 42 WARNING db "
    environment = [
        "odoo.modules.module: addons path is not a directory: __editable__.odoo-19.0.finder.__path_hook__",
        "odoo.addons.base.models.ir_actions_report: You need Wkhtmltopdf to print a pdf version of the reports.",
        "odoo.addons.base.models.ir_ui_view: Field res.partner.name is fine",
    ]
    ours = [
        "odoo.modules.loading: The models ['res.partner.phone'] have no access rules in module client_x",
        "odoo.fields: Field res.partner.is_conflict: unknown parameter 'tracked'",
        "odoo.addons.client_management.models.res_partner: something went wrong",
        "odoo.tools.convert: client_management/views/res_partner_views.xml:3 invalid view",
        "odoo.addons.base.models.ir_ui_view: Error while validating view client_management_pos.view_x",
    ]
    text = "\n".join(prefix + line for line in environment + ours)
    assert addon_warnings(text) == [prefix + line for line in ours]
    assert environment_warnings(text) == [prefix + line for line in environment]


@pytest.mark.parametrize("lang", ["lv", "cs", "ru", "pl"])
@pytest.mark.parametrize("addon", ALL_ADDONS, ids=lambda a: a.name)
def test_translations_complete_and_consistent(addon, lang):
    """Every string of each addon's template is translated, keeping its placeholders and markup."""
    pot_path, po_path = addon / "i18n" / f"{addon.name}.pot", addon / "i18n" / f"{lang}.po"
    assert pot_path.is_file() and po_path.is_file(), f"{addon.name}: i18n/{pot_path.name} or i18n/{lang}.po missing"
    template = {entry.msgid for entry in polib.pofile(str(pot_path))}
    assert template, f"{addon.name}: empty template"
    po = polib.pofile(str(po_path))
    assert {entry.msgid for entry in po} == template, f"{addon.name}/{lang}.po does not follow the template"
    for entry in po:
        where = f"{addon.name}/{lang}.po: {entry.msgid!r}"
        assert entry.msgstr and "fuzzy" not in entry.flags, f"untranslated in {where}"
        placeholders = sorted(re.findall(r"%\(\w+\)s", entry.msgid))
        assert sorted(re.findall(r"%\(\w+\)s", entry.msgstr)) == placeholders, f"placeholders of {where}"
        assert entry.msgstr.count("<") == entry.msgid.count("<"), f"markup of {where}"


@pytest.mark.parametrize("addon", ALL_ADDONS, ids=lambda a: a.name)
def test_translation_template_is_up_to_date(addon, tmp_path):
    """Each addon's template holds exactly the strings the installed addon shows, so no new
    string stays untranslated (refresh it with `odoo i18n export <addon>`)."""
    conf = os.environ.get("CM_ODOO_CONF")
    if not conf:
        pytest.fail("CM_ODOO_CONF is not set: run the suite through bin/test")
    parser = configparser.ConfigParser()
    parser.read(conf)
    exported = tmp_path / f"{addon.name}.pot"
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from odoo.cli.command import main; sys.argv[0] = 'odoo'; main()",
            "i18n",
            "export",
            "-c",
            conf,
            "-d",
            parser["options"]["db_name"],
            "-o",
            str(exported),
            addon.name,
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    current = {entry.msgid for entry in polib.pofile(str(exported))}
    shipped = {entry.msgid for entry in polib.pofile(str(addon / "i18n" / f"{addon.name}.pot"))}
    assert not current - shipped, f"{addon.name}: strings missing from the template: {sorted(current - shipped)[:10]}"
    assert not shipped - current, f"{addon.name}: strings no longer used: {sorted(shipped - current)[:10]}"
