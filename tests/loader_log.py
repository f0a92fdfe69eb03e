"""Which warnings of an Odoo log come from our addons, and which from the environment.

Odoo's loader also warns about the machine it runs on (an editable install's finder on the
addons path, a missing wkhtmltopdf, ...). Those are not ours to fix; a warning is the addons'
when its logger is one of their modules, or its text names one of them, one of their models or
files, or a field they add.
"""

import ast
import re
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Every addon of the repository: client_management and its bridges.
ADDONS = tuple(sorted(p.parent.name for p in REPO.glob("client_management*/__manifest__.py")))

# "2026-11-23 10:00:00,123 4242 WARNING db odoo.modules.loading: message"
LOG_LINE = re.compile(r"^\S+ \S+ \d+ (?P<level>WARNING|ERROR|CRITICAL) \S+ (?P<logger>[\w.]+): (?P<message>.*)$")


@cache
def addon_names():
    """Module names, model names and the fields our addons declare, as words to look for."""
    models, fields = set(), set()
    for addon in ADDONS:
        for path in (REPO / addon).rglob("*.py"):
            if "tests" in path.parts:
                continue
            try:
                tree = ast.parse(path.read_text())
            except SyntaxError:
                continue
            for cls in (node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)):
                declared = {
                    stmt.targets[0].id: stmt.value.value
                    for stmt in cls.body
                    if isinstance(stmt, ast.Assign)
                    and len(stmt.targets) == 1
                    and isinstance(stmt.targets[0], ast.Name)
                    and stmt.targets[0].id in ("_name", "_inherit")
                    and isinstance(stmt.value, ast.Constant)
                }
                if "_name" in declared and declared["_name"] != declared.get("_inherit"):
                    models.add(declared["_name"])
                model = declared.get("_name") or declared.get("_inherit")
                for stmt in cls.body:
                    if (
                        model
                        and isinstance(stmt, ast.Assign)
                        and isinstance(stmt.value, ast.Call)
                        and isinstance(stmt.value.func, ast.Attribute)
                        and isinstance(stmt.value.func.value, ast.Name)
                        and stmt.value.func.value.id == "fields"
                    ):
                        for target in stmt.targets:
                            if isinstance(target, ast.Name):
                                fields.add(f"{model}.{target.id}")
    return frozenset(ADDONS), frozenset(models), frozenset(fields)


def is_addon_warning(logger, message):
    modules, models, fields = addon_names()
    if any(logger == f"odoo.addons.{name}" or logger.startswith(f"odoo.addons.{name}.") for name in modules):
        return True
    words = set(re.findall(r"[\w.]+", message))
    if words & fields or words & models:
        return True
    return any(re.search(rf"(?<![\w.]){re.escape(name)}(?![a-z_])", message) for name in modules)


def addon_warnings(text):
    """The WARNING / ERROR / CRITICAL lines of a log that our addons caused."""
    found = []
    for line in text.splitlines():
        match = LOG_LINE.match(line)
        if match and is_addon_warning(match["logger"], match["message"]):
            found.append(line)
    return found


def environment_warnings(text):
    """The other warning lines: the environment's, reported but not failed on."""
    found = []
    for line in text.splitlines():
        match = LOG_LINE.match(line)
        if match and not is_addon_warning(match["logger"], match["message"]):
            found.append(line)
    return found
