"""The part of an import's report that is not an error: what the matching decided and what
the update of the matched clients changes, as the wizard shows it (HTML).

``result`` is the answer of ``client.import.import_file`` (or the report a background import
stored): ``changes`` ({field label: clients}), ``shared``, ``archived`` ({row, key, value,
clients}) and ``name_matches`` ({row, name, client}).
"""

from markupsafe import Markup, escape

from .matching import MAX_LISTED

REPORT_KEYS = ("shared", "archived", "name_matches", "changes")


def merge(report, batch):
    """``report`` with the report of one more batch added (the background import)."""
    report = dict(report or {})
    for key in ("shared", "archived", "name_matches"):
        report[key] = ((report.get(key) or []) + list(batch.get(key) or []))[:MAX_LISTED]
    changes = dict(report.get("changes") or {})
    for label, count in (batch.get("changes") or {}).items():
        changes[label] = changes.get(label, 0) + count
    report["changes"] = changes
    return report


def _table(headers, rows):
    head = Markup("").join(Markup("<th>%s</th>") % header for header in headers)
    body = Markup("").join(
        Markup("<tr>%s</tr>") % Markup("").join(Markup("<td>%s</td>") % escape(cell) for cell in row) for row in rows
    )
    return Markup('<table class="table table-sm"><thead><tr>%s</tr></thead><tbody>%s</tbody></table>') % (head, body)


def _section(title, note, table):
    return Markup('<div class="o_client_import_report"><h5>%s</h5><p class="text-muted">%s</p>%s</div>') % (
        title,
        note,
        table,
    )


def report_html(env, result, key_labels):
    """The sections of the report (False when there is nothing to say). ``key_labels``:
    {match key: label} (ref, email, phone, vat)."""
    sections = []
    changes = result.get("changes") or {}
    if changes:
        sections.append(
            _section(
                env._("Changes to existing clients"),
                env._("How many existing clients each field changes for (filled values stay unless “Replace” is on)."),
                _table(
                    [env._("Field"), env._("Clients")],
                    sorted(changes.items(), key=lambda item: (-item[1], item[0])),
                ),
            )
        )
    for key, title, note in (
        (
            "shared",
            env._("Shared values"),
            env._(
                "These rows have a code, e-mail, number or tax number of a client with another name: they were "
                "not merged with it (a new client, unless another value matched)."
            ),
        ),
        (
            "archived",
            env._("Archived clients"),
            env._("These values belong to archived clients, which an import never updates: the rows are new clients."),
        ),
    ):
        entries = result.get(key) or []
        if entries:
            rows = [
                (e["row"], key_labels.get(e["key"], e["key"]), e["value"], ", ".join(e["clients"])) for e in entries
            ]
            headers = [env._("Row"), env._("Field"), env._("Value"), env._("Clients")]
            sections.append(_section(title, note, _table(headers, rows)))
    entries = result.get("name_matches") or []
    if entries:
        sections.append(
            _section(
                env._("Matched by name only"),
                env._("These rows were matched with a client by their name alone: check they are the same client."),
                _table(
                    [env._("Row"), env._("Name"), env._("Client")],
                    [(e["row"], e["name"], e["client"]) for e in entries],
                ),
            )
        )
    return Markup("").join(sections) if sections else False
