"""Part of step 5: what Odoo computes for every new client and the importer already knows.

The normalised copies of a new client's number and e-mail
(``phone_sanitized``, ``email_normalized``) are given to ``create`` already computed.

Odoo computes both after the client is inserted, parsing the number and the address again,
and writes them with a second statement. The importer has just parsed them with the same
library: when the written value is one whose normalised form is certain (a number in
international form, a plain lower-case address), that form is inserted with the client and
Odoo's computation is skipped for it. Anything else is left to Odoo. ``test_import_precomputed``
checks the values against Odoo's own computation. What Odoo computes from the client's id
(its own commercial partner, display name, birthday key...) is inserted by ``res.partner``'s
``_create`` when the importer asks for it (``models/res_partner_insert.py``).
"""

import re

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
