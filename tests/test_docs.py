"""The documentation: OCA readme fragments of every addon, the Apps pages and their screenshots,
the README's Screenshots section and the script that regenerates the pictures."""

import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image  # one of Odoo's own requirements

from odoo.tools import html_sanitize

REPO = Path(__file__).resolve().parents[1]
ADDONS = sorted(path.parent for path in REPO.glob("*/__manifest__.py"))
FRAGMENTS = ("DESCRIPTION.md", "USAGE.md", "CONFIGURE.md", "CONTRIBUTORS.md")
DESCRIPTION = REPO / "client_management" / "static" / "description"
SHOTS = ("screenshot_list.png", "screenshot_card.png", "screenshot_import.png", "screenshot_invoicing.png")
SCRIPT = REPO / "bin" / "screenshots"


def _screenshots_of(html):
    return re.findall(r'<img\b[^>]*\bsrc="(screenshot_[a-z_]+\.png)"', html)


def test_both_addons_are_documented():
    assert {addon.name for addon in ADDONS} >= {"client_management", "client_management_pos"}


@pytest.mark.parametrize("addon", ADDONS, ids=lambda addon: addon.name)
def test_addon_has_the_four_readme_fragments(addon):
    for name in FRAGMENTS:
        fragment = addon / "readme" / name
        assert fragment.is_file(), f"{addon.name}: readme/{name} is missing"
        text = fragment.read_text(encoding="utf-8")
        assert len(text.strip()) >= 20, f"{addon.name}: readme/{name} is empty"
        # OCA's readme generator puts each fragment under its own title: no title of their own
        assert not re.search(r"^#\s", text, re.MULTILINE), f"{addon.name}: readme/{name} has a top-level title"
    description = (addon / "readme" / "DESCRIPTION.md").read_text(encoding="utf-8")
    assert len(description.split()) >= 40, f"{addon.name}: DESCRIPTION.md says too little"


@pytest.mark.parametrize("addon", ADDONS, ids=lambda addon: addon.name)
def test_addon_has_an_apps_page_and_an_icon(addon):
    page = addon / "static" / "description" / "index.html"
    assert page.is_file(), f"{addon.name}: no Apps page"
    assert "oe_slogan" in page.read_text(encoding="utf-8")
    icon = addon / "static" / "description" / "icon.png"
    assert icon.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{addon.name}: Odoo shows its default icon instead"


def test_apps_page_shows_the_four_screenshots_and_odoo_keeps_them():
    html = (DESCRIPTION / "index.html").read_text(encoding="utf-8")
    assert sorted(_screenshots_of(html)) == sorted(SHOTS)
    # the Apps page is what Odoo's sanitizer keeps of index.html (ir.module.module._get_desc)
    kept = str(html_sanitize(html))
    for shot in SHOTS:
        assert re.search(rf'<img\b[^>]*\bsrc="{shot}"', kept), f"Odoo's sanitizer drops {shot}"


@pytest.mark.parametrize("shot", SHOTS)
def test_screenshot_is_a_real_picture(shot):
    path = DESCRIPTION / shot
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", f"{shot} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    assert width >= 1000 and height >= 600, f"{shot} is {width}x{height}"
    with Image.open(path) as image:
        colours = image.convert("RGB").getcolors(maxcolors=width * height)
    # a page with text, avatars and badges, not a blank or half-drawn screen
    assert len(colours) > 1500, f"{shot} has only {len(colours)} colours: a blank page?"


def test_readme_shows_the_screenshots_before_the_features():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.index("\n## Screenshots\n")
    assert section < readme.index("\n## Features\n")
    assert readme.index("\n## ") == section, "Screenshots is the first section, right after the introduction"
    for shot in SHOTS:
        path = f"client_management/static/description/{shot}"
        assert re.search(rf"!\[[^\]]+\]\({re.escape(path)}\)", readme), f"README does not show {shot}"
        assert (REPO / path).is_file()
    assert "\n    bin/screenshots\n" in readme, "README gives the command that regenerates them"


def test_screenshot_script_is_executable_and_names_its_pages():
    assert SCRIPT.stat().st_mode & 0o111, "bin/screenshots is not executable"
    done = subprocess.run([sys.executable, str(SCRIPT), "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    for option in ("--db", "--port", "--out", "--only"):
        assert option in done.stdout
    for page in ("list", "card", "import", "invoicing"):
        assert page in done.stdout
    wrong = subprocess.run(
        [sys.executable, str(SCRIPT), "--only", "kanban"], capture_output=True, text=True, timeout=60
    )
    assert wrong.returncode == 2 and "--only takes pages among" in wrong.stderr


@pytest.mark.parametrize("addon", ADDONS, ids=lambda a: a.name)
def test_addon_readme_rst_is_generated_from_its_fragments(addon):
    """Each addon's README.rst (what PyPI and the OCA tooling show) is bin/gen_addon_readme's
    output for its current readme/ fragments, so the two never disagree."""
    text = (addon / "README.rst").read_text()
    description = (addon / "readme" / "DESCRIPTION.md").read_text().strip().splitlines()[0]
    assert description.replace("`", "") in text.replace("``", "")
    check = subprocess.run(
        [sys.executable, str(REPO / "bin" / "gen_addon_readme"), "--check"], capture_output=True, text=True
    )
    assert check.returncode == 0, f"run bin/gen_addon_readme: {check.stdout}"
