"""Step 2 of the import: recognising what each column holds from its header.

A header is compared with the labels of ``synonyms.HEADER_SYNONYMS`` after ``normalize_header``
(lower case, no accents, no punctuation); ``guess_mapping`` gives {header: target} for the
headers it recognises.
"""

import re
import unicodedata

from .synonyms import HEADER_SYNONYMS

TARGETS = [
    "name",
    "company_type",
    "parent",
    "email",
    "phone",
    "vat",
    "ref",
    "street",
    "city",
    "zip",
    "country",
    "website",
    "comment",
    "category",
    "birthdate",
    "user",
    "is_supplier",
    "is_conflict",
    "acquisition_source",
]

# The header written by the template and the export, per target (English).
CANONICAL_HEADERS = {
    "name": "Name",
    "company_type": "Type",
    "parent": "Company",
    "email": "E-mail",
    "phone": "Phone",
    "vat": "Tax number",
    "ref": "Client code",
    "street": "Address",
    "city": "City",
    "zip": "ZIP",
    "country": "Country",
    "website": "Website",
    "comment": "Notes",
    "category": "Tags",
    "birthdate": "Birthdate",
    "user": "Responsible manager",
    "is_supplier": "Supplier",
    "is_conflict": "Conflict",
    "acquisition_source": "How did you hear about us",
}


def normalize_header(text):
    """Lower case, without accents (also Latvian/Czech/Polish letters), punctuation or extra spaces."""
    text = str(text or "").strip().lower()
    text = text.replace("ł", "l").replace("đ", "d")
    decomposed = unicodedata.normalize("NFKD", text)
    # keep й/ё apart from и/е is not needed for matching: dropping marks on both sides is consistent
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    text = re.sub(r"[^\w]+", " ", text, flags=re.UNICODE).replace("_", " ")
    return " ".join(text.split())


_HEADER_INDEX = {}
for _target, _labels in HEADER_SYNONYMS.items():
    for _label in [CANONICAL_HEADERS[_target], *_labels]:
        _HEADER_INDEX.setdefault(normalize_header(_label), _target)


_HEADER_INDEX_COMPACT = {}
for _key, _target in _HEADER_INDEX.items():
    _HEADER_INDEX_COMPACT.setdefault(_key.replace(" ", ""), _target)


def guess_target(header):
    """The target key a header names, or False when it is not recognised."""
    key = normalize_header(header)
    if not key:
        return False
    if key in _HEADER_INDEX:
        return _HEADER_INDEX[key]
    # "Phone 2", "E-mail (work)", "Tags 1": drop a trailing number / qualifier word.
    stripped = re.sub(r"\s*\d+$", "", key)
    for candidate in (key, stripped):
        if candidate in _HEADER_INDEX:
            return _HEADER_INDEX[candidate]
        if candidate.replace(" ", "") in _HEADER_INDEX_COMPACT:
            return _HEADER_INDEX_COMPACT[candidate.replace(" ", "")]
    return False


def guess_mapping(headers):
    """{header: target} for the recognised headers; each target used once except phone,
    email and category (several columns add up)."""
    mapping = {}
    used = set()
    for header in headers:
        if header in (None, ""):
            continue
        target = guess_target(header)
        if not target:
            continue
        if target in used and target not in ("phone", "email", "category"):
            continue
        used.add(target)
        mapping[header] = target
    return mapping
