"""The import wizard's preview tables (HTML)."""

from markupsafe import Markup, escape


def result_table(env, data):
    """The preview's first rows as the import will store them, each with its problems."""
    if data["error"]:
        return Markup('<div class="alert alert-warning" role="alert">%s</div>') % data["error"]
    body = Markup("")
    for row in data["rows"]:
        values = Markup("<br/>").join(Markup("<b>%s</b>: %s") % (label, text) for label, text in row["values"])
        problems = Markup("<br/>").join(
            Markup("%s: %s") % (e["column"], e["message"]) if e["column"] else e["message"] for e in row["errors"]
        )
        body += Markup('<tr class="%s"><td>%s</td><td>%s</td><td>%s</td><td class="text-danger">%s</td></tr>') % (
            "table-danger" if row["errors"] else "",
            row["row"],
            values,
            row["status_text"],
            problems,
        )
    head = Markup("").join(
        Markup("<th>%s</th>") % label
        for label in (
            env._("Row"),
            env._("As it will be stored"),
            env._("Client"),
            env._("Problems"),
        )
    )
    return Markup(
        '<table class="table table-sm table-bordered o_client_import_preview o_client_import_result">'
        "<thead><tr>%s</tr></thead><tbody>%s</tbody></table>"
    ) % (head, body)


def file_table(headers, rows):
    """Rows as written in the file."""
    head = Markup("").join(Markup("<th>%s</th>") % h for h in headers)
    body = Markup("").join(
        Markup("<tr>%s</tr>") % Markup("").join(Markup("<td>%s</td>") % escape(v) for v in row) for row in rows
    )
    return Markup(
        '<table class="table table-sm table-bordered o_client_import_preview"><thead><tr>%s</tr>'
        "</thead><tbody>%s</tbody></table>"
    ) % (head, body)
