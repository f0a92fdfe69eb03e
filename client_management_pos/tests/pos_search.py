"""The domain of the point of sale's customer search on Enter (PartnerList.getNewPartners in
point_of_sale's JavaScript): each of these fields "ilike" the typed text followed by "%", OR-ed.
Used by the tests and by bench/bench_phone_lookup.py to search as the point of sale does."""

POS_SEARCH_FIELDS = (
    "name",
    "parent_name",
    "phone_mobile_search",
    "email",
    "barcode",
    "street",
    "zip",
    "city",
    "state_id",
    "country_id",
    "vat",
)


def pos_search_domain(text):
    return ["|"] * (len(POS_SEARCH_FIELDS) - 1) + [[field, "ilike", text + "%"] for field in POS_SEARCH_FIELDS]
