"""The wizard's preview: the first rows of the file as the import will store them.

Each row goes through the same steps as in an import (``rows`` parses it, ``matching`` finds
the client it is about) and stops before ``writing``: nothing is written, no client code is
drawn, the lookups only read. The values shown are the row's parsed values (``Row.vals`` per
client field, then its other attributes: numbers in E.164, e-mails, tags…), so a new target
of ``rows`` shows up here without more work.
"""

from odoo.tools.misc import format_date

from ..tools.phone import split_extension
from .common import ImportFileError, cell_text, message
from .matching import Candidate, name_key

# Attributes of a Row that are not values of the client
_NOT_VALUES = {"number", "raw", "vals"}
# Row attribute → the import target whose label names it
_ATTRIBUTE_TARGETS = {
    "phones": "phone",
    "emails": "email",
    "tags": "category",
    "source": "acquisition_source",
    "consent": "email_consent",
}


def preview(importer, limit=5):
    """{"headers", "raw" (the cells as written), "rows": [{"row", "values": [(label, text)],
    "status" (new, update, same, skipped, error), "status_text", "match": {"id", "name"} or
    False, "errors": [{"column", "message"}]}], "error": a message for the file or False}."""
    env = importer.env
    answer = {"headers": importer.headers, "raw": [], "rows": [], "error": False}
    indexes = sorted({index for index, _header, _target in importer.columns})
    picked = []
    try:
        for number, values in importer.reader.rows():
            if not any(index < len(values) and cell_text(values[index]) for index in indexes):
                continue  # a blank line for the import
            picked.append((number, values))
            if len(picked) >= limit:
                break
    except ImportFileError as exc:
        answer["error"] = message(env, exc)
        return answer
    parsed = []
    for number, values in picked:
        answer["raw"].append([cell_text(value) for value in values])
        seen = len(importer.errors)
        row = importer._parse_row(number, values)
        entry = {
            "row": number,
            "values": [] if row is None else _values(importer, row),
            "status": "error" if row is None else "new",
            "status_text": "",
            "match": False,
            "errors": [{"column": e["column"], "message": e["message"]} for e in importer.errors[seen:]],
        }
        answer["rows"].append(entry)
        if row is not None:
            parsed.append((row, entry))
    if parsed:
        importer._prefetch_matches([row for row, _entry in parsed])
    for row, entry in parsed:
        _match(importer, row, entry)
    return answer


def _match(importer, row, entry):
    """The client the row would update, or why it is new / not imported (as ``run`` decides)."""
    env = importer.env
    mode = importer.options["mode"]
    match, notes = importer._decide(row)
    errors = [{"column": note[1], "message": note[2]} for note in notes if note[0] == "error"]
    if errors:
        entry["status"] = "error"
        entry["errors"] += errors
        return
    plan_key = match.plan if match else None
    if plan_key is None:
        if mode == "update":
            entry["status"] = "skipped"
            entry["status_text"] = env._("Not imported: no existing client matches it (only updates).")
            return
        if not row.vals.get("name"):
            column = importer._header_of("name") or importer.labels["name"]
            entry["status"] = "error"
            entry["errors"].append({"column": column, "message": env._("A new client needs a name.")})
            return
        plan_key = ("new", row.number)
        match = Candidate(plan_key, name_key(row.vals["name"]), importer._row_label(row))
        entry["status_text"] = env._("New client")
    elif plan_key[0] == "new":
        entry["status"] = "same"
        entry["status_text"] = env._("Same client as row %(row)s", row=plan_key[1])
    else:
        client = env["res.partner"].browse(plan_key[1])
        entry["match"] = {"id": client.id, "name": client.display_name}
        if mode == "create":
            entry["status"] = "skipped"
            entry["status_text"] = env._(
                "Not imported: %(client)s already exists (only new clients).", client=client.display_name
            )
            return
        entry["status"] = "update"
        entry["status_text"] = env._("Updates %(client)s", client=client.display_name)
    importer._register(row, match)


def _values(importer, row):
    """[(label, text)] of what the row gives its client, as it will be stored."""
    env = importer.env
    Partner = env["res.partner"]
    shown = []
    for field_name, value in row.vals.items():
        field = Partner._fields.get(field_name)
        label = field._description_string(env) if field else field_name
        shown.append((label, _field_text(env, field, value)))
    names = getattr(type(row), "__slots__", None) or list(vars(row))
    for name in names:
        if name in _NOT_VALUES or name in row.vals:
            continue
        value = getattr(row, name, None)
        if value is None or value == [] or value == "":
            continue
        target = _ATTRIBUTE_TARGETS.get(name, name)
        label = importer.labels.get(target) or name.replace("_", " ").capitalize()
        shown.append((label, _text(env, value)))
    return shown


def _field_text(env, field, value):
    if field is None:
        return _text(env, value)
    if field.type == "many2one" and value:
        return env[field.comodel_name].browse(value).display_name
    if field.type == "date" and value:
        return format_date(env, value)
    if field.type == "selection":
        return dict(field._description_selection(env)).get(value, value)
    return _text(env, value)


def _text(env, value):
    if isinstance(value, bool):
        return env._("Yes") if value else env._("No")
    if isinstance(value, list | tuple) and value and isinstance(value[0], tuple):
        # numbers: (E.164, the number as it will be written[, …]); its extension, when any
        return ", ".join(_number(item) for item in value)
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def _number(item):
    e164, display = item[0], item[1]
    extension = split_extension(display)[1] if isinstance(display, str) else ""
    return f"{e164} ext. {extension}" if extension else e164
