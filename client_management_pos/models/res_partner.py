from odoo import api, fields, models
from odoo.addons.client_management.models.res_partner import INTERNAL
from odoo.addons.client_management.models.res_partner_phone import parse_number
from odoo.addons.client_management.models.res_partner_search import looks_like_phone
from odoo.fields import Domain

# The field of Odoo's own point of sale customer search that carries the typed text.
_POS_PHONE_FIELD = "phone_mobile_search"


def _split_e164(e164):
    """'<country calling code>-<national number>' of an E.164 number ("+37126123456" →
    "371-26123456"), or None; the country code is the first group of its international form."""
    parsed = parse_number(e164) if e164 else None
    if not parsed:
        return None
    code = parsed[1].split(" ", 1)[0].lstrip("+")
    return f"{code}-{e164.lstrip('+')[len(code) :]}"


class ResPartner(models.Model):
    """What the point of sale needs of a client: its conflict warning and marker, its personal
    discount for the new lines of its orders, its numbers for the customer search."""

    _inherit = "res.partner"

    cm_pos_conflict_warning = fields.Text(
        string="Conflict warning",
        compute="_compute_cm_pos_conflict",
        groups=INTERNAL,
        help="The warning shown when the client (or a contact of a conflict company) is picked "
        "in the point of sale, as on invoices; empty for an ordinary client.",
    )
    cm_pos_conflict_note = fields.Text(
        string="Conflict note (own or company's)",
        compute="_compute_cm_pos_conflict",
        groups=INTERNAL,
    )
    cm_pos_discount = fields.Float(
        string="Effective personal discount (%)",
        digits="Discount",
        compute="_compute_cm_pos_discount",
        groups=INTERNAL,
        help="The client's personal discount, else its company's: given to the new lines of its point of sale orders.",
    )
    cm_pos_phone_numbers = fields.Char(
        string="Numbers for the point of sale search",
        compute="_compute_cm_pos_phone_numbers",
        groups=INTERNAL,
        help="The client's numbers, each as its country calling code, a hyphen and its national "
        "number, separated by spaces.",
    )

    @api.depends("is_conflict", "conflict_note", "commercial_partner_id.is_conflict")
    @api.depends_context("lang")
    def _compute_cm_pos_conflict(self):
        for partner in self:
            warning = partner._get_conflict_warning()
            partner.cm_pos_conflict_warning = warning["message"] if warning else False
            flagged = partner if partner.is_conflict else partner.commercial_partner_id
            partner.cm_pos_conflict_note = flagged.conflict_note if warning else False

    @api.depends("client_discount", "commercial_partner_id.client_discount")
    def _compute_cm_pos_discount(self):
        for partner in self:
            partner.cm_pos_discount = partner._cm_effective_discount()

    @api.depends("phone_ids.number_e164")
    def _compute_cm_pos_phone_numbers(self):
        for partner in self:
            numbers = (_split_e164(e164) for e164 in partner.phone_ids.mapped("number_e164"))
            partner.cm_pos_phone_numbers = " ".join(number for number in numbers if number) or False

    @api.model
    def _load_pos_data_fields(self, config):
        fields_list = super()._load_pos_data_fields(config)
        if not self.env.user._is_internal():
            return fields_list  # the fields are internal (kiosk or customer facing callers)
        return [
            *fields_list,
            "is_conflict",
            "conflict_note",
            "client_discount",
            "cm_pos_conflict_warning",
            "cm_pos_conflict_note",
            "cm_pos_discount",
            "cm_pos_phone_numbers",
        ]

    @api.model
    def get_new_partner(self, config_id, domain, offset):
        """The customer search of the point of sale also finds a client from a number typed in
        any format, through the indexed lookup of ``find_by_phone`` (``phone_lookup``)."""
        return super().get_new_partner(config_id, self._cm_pos_phone_domain(domain), offset)

    @api.model
    def _cm_pos_phone_domain(self, domain):
        """The point of sale's search ``domain`` (its fields OR-ed, each ``ilike`` the typed text
        followed by '%'), or'ed with the clients owning the typed number (``find_by_phone``: a
        number without "+" / "00" is read in the country of the point of sale's company; only
        the active clients the cashier may read). Odoo's own part still finds the clients whose
        phone contains the digits typed."""
        for leaf in domain or []:
            if isinstance(leaf, (list, tuple)) and len(leaf) == 3 and leaf[0] == _POS_PHONE_FIELD:
                text = leaf[2].rstrip("%") if isinstance(leaf[2], str) else leaf[2]
                if leaf[1] == "ilike" and looks_like_phone(text):
                    # the indexed equality alone: ``phone_lookup`` would add a trigram search of
                    # every phone line, which the whole search pays for (see the benchmark)
                    return list(Domain(domain) | Domain("id", "in", self.find_by_phone(text).ids))
        return domain
