"""Part of step 5: what Odoo computes for every new client and the importer already knows.

The normalised copies of a new client's number and e-mail
(``phone_sanitized``, ``email_normalized``) are given to ``create`` already computed.

Odoo computes both after the client is inserted, parsing the number and the address again,
and writes them with a second statement. The importer has just parsed them with the same
library: when the written value is one whose normalised form is certain (a number in
international form, a plain lower-case address), that form is inserted with the client and
Odoo's computation is skipped for it. Anything else is left to Odoo. ``test_import_speed``
checks the values against Odoo's own computation.
"""

import re

from odoo.addons.base.models.res_partner import ResPartner as BasePartner

# An address Odoo's ``email_normalize`` returns unchanged: ASCII, lower case, no display name,
# no character that its address parser reads as syntax
_PLAIN_EMAIL = re.compile(r"^[a-z0-9][a-z0-9._+-]*@[a-z0-9-]+(\.[a-z0-9-]+)+$")


def add_precomputed(partners, plans, vals_list):
    """Put ``phone_sanitized`` / ``email_normalized`` in the values of the new clients whose
    normalised number / e-mail is known; returns {field name: [indexes of the values given it]}."""
    fields_ = partners._fields
    given = {"phone_sanitized": [], "email_normalized": []}
    phone = "phone_sanitized" in fields_ and _phone_only(partners)
    email = "email_normalized" in fields_ and getattr(partners, "_primary_email", None) == "email"
    for index, (plan, vals) in enumerate(zip(plans, vals_list, strict=True)):
        # the importer's E.164 is that of the international form it writes in ``phone``
        if phone and plan.phones and vals.get("phone") == plan.phones[0][1] and vals["phone"].startswith("+"):
            vals["phone_sanitized"] = plan.phones[0][0]
            given["phone_sanitized"].append(index)
        if email and vals.get("email") and _PLAIN_EMAIL.match(vals["email"]):
            vals["email_normalized"] = vals["email"]
            given["email_normalized"].append(index)
    return given


def keep_precomputed(partners, given):
    """``create`` marks every computed field of new records to compute: the given ones are
    not computed again (the value inserted is the one the computation gives)."""
    for name, indexes in given.items():
        if indexes:
            partners.env.remove_to_compute(partners._fields[name], partners.browse([partners._ids[i] for i in indexes]))


def _phone_only(partners):
    """Is ``phone`` the only number the client's ``phone_sanitized`` is computed from?"""
    return partners._phone_get_number_fields() == ["phone"]


def keep_computed(partners):
    """What Odoo computes for every new client without a parent company, set as Odoo's
    computation sets it: in the cache, written by the flush that writes the client's other
    computed fields. The client is its own commercial partner (``commercial_partner_id``),
    its display name is its name (``complete_name``) and, for a company, so is its
    ``commercial_company_name``; without a user, it is no internal user's partner
    (``partner_share``). Which clients have no parent company is read on the new records (a
    default or an override of ``create`` may have given one). Each only while no installed app
    computes it otherwise, ``commercial_company_name`` only with ``commercial_partner_id``."""
    model = type(partners)
    simple = partners.filtered(lambda partner: not partner.parent_id and not partner.company_name and partner.name)
    if not simple:
        return
    env = partners.env
    handled = set()
    for name, methods, needs, applies, value in _KNOWN:
        field = _computed_by_base(partners, model, name, methods)
        if field is None or not needs <= handled:
            continue
        handled.add(name)
        records = simple.filtered(applies) if applies else simple
        env.remove_to_compute(field, records)
        for partner in records:
            field._update_cache(partner, field.convert_to_cache(value(partner), partner), dirty=True)


def _computed_by_base(partners, model, name, methods):
    """The field ``name`` when it is computed by Odoo's own methods ``methods`` (no app
    overrides them, no other field is its inverse), else None."""
    field = partners._fields.get(name)
    if field is None or not field.store or field.compute != methods[0] or partners.pool.field_inverses[field]:
        return None
    if any(getattr(model, method) is not getattr(BasePartner, method) for method in methods):
        return None
    return field


# (field, the methods computing it in Odoo, the fields it assumes set this way, the clients it
# applies to (all when None), its value for a client without a parent company)
_KNOWN = (
    ("commercial_partner_id", ("_compute_commercial_partner",), set(), None, lambda partner: partner),
    (
        "complete_name",
        ("_compute_complete_name", "_get_complete_name"),
        set(),
        None,
        lambda partner: partner.name.strip(),
    ),
    (
        "commercial_company_name",
        ("_compute_commercial_company_name",),
        {"commercial_partner_id"},
        None,
        lambda partner: (partner.is_company and partner.name) or partner.company_name,
    ),
    # a client the import creates without a user is no user's partner
    ("partner_share", ("_compute_partner_share",), set(), lambda partner: not partner.user_ids, lambda partner: True),
)
