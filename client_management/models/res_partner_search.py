import re

from odoo import api, models
from odoo.fields import Domain

# A text is read as a phone number only when it is made of digits and the separators people
# write in numbers, with enough digits to be one: names, e-mails and codes are searched as before.
_PHONE_TEXT = re.compile(r"^\s*\+?[\d\s()./\-–]+$")
_MIN_DIGITS = 7
# Operators of a search "by name" (pickers, search boxes); "=" stays an exact name match (imports).
_NAME_OPERATORS = ("ilike", "like", "=ilike")


def looks_like_phone(text):
    """Whether a searched text is a phone number rather than a name."""
    if not isinstance(text, str) or not _PHONE_TEXT.match(text):
        return False
    return len(re.sub(r"\D", "", text)) >= _MIN_DIGITS


class ResPartner(models.Model):
    """Find the customer by any number: everywhere a partner is searched by its name (the
    partner pickers of quotations, leads and invoices, the customer field of their search
    boxes, ``name_search``), a number typed in any format also finds the clients owning it,
    through the indexed lookup of ``find_by_phone``."""

    # res.partner is extended by concern (card, channels, invoicing, search), files under 400 lines
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _search_display_name(self, operator, value):
        domain = super()._search_display_name(operator, value)
        if operator not in _NAME_OPERATORS or not looks_like_phone(value):
            return domain
        # numbers without "+" / "00" are read in the country of the user's current company;
        # find_by_phone returns only the active clients the user may read
        ids = self.find_by_phone(value).ids
        if not ids:
            return domain
        return Domain(domain) | Domain("id", "in", ids)
