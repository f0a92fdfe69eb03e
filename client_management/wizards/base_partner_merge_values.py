"""What a merge of clients would drop: the values of the merged clients that the kept client
does not take (Odoo keeps the kept client's own value of each field). They are written in a
note on the kept client, so that nothing a user typed is lost."""

from markupsafe import Markup

from odoo.tools import format_date, html2plaintext

# Fields users type on a client card, native and the addon's, whose value a merge may drop
# (lines, tags, the conflict flag and its note are combined by the merge itself).
TYPED_FIELDS = (
    "ref",
    "vat",
    "company_registry",
    "function",
    "website",
    "street",
    "street2",
    "zip",
    "city",
    "state_id",
    "country_id",
    "lang",
    "comment",
    "birthdate",
    "client_discount",
    "acquisition_source_id",
    "user_id",
)


def snapshot(partners):
    """The typed values of ``partners``, read before the merge ({partner: {field: text}})."""
    fields = [name for name in TYPED_FIELDS if name in partners._fields]
    values = {}
    for partner in partners:
        texts = {}
        for name in fields:
            text = _as_text(partner, name)
            if text:
                texts[name] = text
        values[partner] = (partner.display_name, texts)
    return values


def note_of_values_not_kept(before, kept):
    """HTML listing, per merged client, the values ``kept`` did not take, or None."""
    env = kept.env
    lines = []
    for partner, (name, texts) in before.items():
        if partner.id == kept.id:
            continue
        dropped = [
            (kept._fields[field]._description_string(env), text)
            for field, text in texts.items()
            if text != _as_text(kept, field)
        ]
        if dropped:
            items = Markup("").join(Markup("<li>%s: %s</li>") % (label, text) for label, text in dropped)
            lines.append(Markup("<p>%s</p><ul>%s</ul>") % (name, items))
    if not lines:
        return None
    title = Markup("<p><b>%s</b></p>") % env._("Values of the merged clients that were not kept")
    return title + Markup("").join(lines)


def _as_text(partner, name):
    value = partner[name]
    field = partner._fields[name]
    if not value:  # nothing typed (a discount of 0 is no discount)
        return ""
    if field.type == "many2one":
        return value.display_name
    if field.type == "html":
        return html2plaintext(value).strip()
    if field.type == "date":
        return format_date(partner.env, value)
    if field.type == "selection":
        return dict(field._description_selection(partner.env)).get(value, value)
    if field.type == "float":
        return f"{value:g}"
    return str(value)
