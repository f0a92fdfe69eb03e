"""Step 2 of the import: recognising what each column holds from its header.

The labels a header is compared with are data: the records of ``client.import.header``
(Clients → Configuration → Import column names, shipped in five languages by
``data/client_import_header_data.xml``), which the service turns into an *index*
({normalised label: (target, language)}, ``build_index``) once per import. The canonical
headers of the template and the export (``CANONICAL_HEADERS``) are always recognised.

A header is recognised after ``normalize_header`` (case, accents, punctuation) and, when it is
not a label as a whole, after dropping what real systems add around a label (``header_keys``):
numbering ("1. E-mail", "Phone 2", "#"), units and words in brackets ("Phone (mobile)": the
bracket word wins when it tells the kind of number), and two labels joined by "/" or "|"
("Name / Company name": the first part recognised wins).
"""

import functools
import pathlib
import re
import unicodedata
from collections import Counter

# The columns of the template and the export (an export imports back unchanged).
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
# Columns an import also recognises (see rows.py for what each becomes).
EXTRA_TARGETS = [
    "first_name",
    "last_name",
    "middle_name",
    "mobile",
    "phone_work",
    "phone_type",
    "whatsapp",
    "viber",
    "sms",
    "email_consent",
    "street2",
    "state",
    "company_registry",
    "function",
    "lang",
    "client_discount",
]
ALL_TARGETS = TARGETS + EXTRA_TARGETS
# Targets that several columns may feed (their values add up).
MULTI_TARGETS = {"phone", "mobile", "phone_work", "email", "category"}
PHONE_TARGETS = {"phone", "mobile", "phone_work"}

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
    "first_name": "First name",
    "last_name": "Last name",
    "middle_name": "Middle name",
    "mobile": "Mobile",
    "phone_work": "Work phone",
    "phone_type": "Phone type",
    "whatsapp": "WhatsApp",
    "viber": "Viber",
    "sms": "SMS",
    "email_consent": "E-mail consent",
    "street2": "Address line 2",
    "state": "State",
    "company_registry": "Company registry number",
    "function": "Job position",
    "lang": "Language",
    "client_discount": "Discount",
}

DATA_FILE = pathlib.Path(__file__).parent.parent / "data" / "client_import_header_data.xml"


def normalize_header(text):
    """Lower case, without accents (also Latvian/Czech/Polish letters), punctuation or extra spaces."""
    text = str(text or "").strip().lower()
    text = text.replace("ł", "l").replace("đ", "d").replace("№", " ")  # NFKD makes "№" "No"
    decomposed = unicodedata.normalize("NFKD", text)
    # й/ё lose their marks like the Latin letters: both sides of a comparison are normalised
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    text = re.sub(r"[^\w]+", " ", text, flags=re.UNICODE).replace("_", " ")
    return " ".join(text.split())


def build_index(labels):
    """{key: (target, lang)} of ``labels`` = [(label, target, lang)], with the canonical headers
    (which win) and the compact form of every key ("e mail" → "email")."""
    index = {normalize_header(label): (target, "en") for target, label in CANONICAL_HEADERS.items()}
    for label, target, lang in labels:
        index.setdefault(normalize_header(label), (target, lang or False))
    for key, value in list(index.items()):
        index.setdefault(key.replace(" ", ""), value)
    index.pop("", None)
    return index


@functools.cache
def shipped_index():
    """The index of the labels shipped with the module (the data file), for callers without a
    database; the importer uses the records, which an administrator may have changed."""
    from lxml import etree

    labels = []
    for record in etree.parse(str(DATA_FILE)).iter("record"):
        values = {field.get("name"): (field.text or "") for field in record.iter("field")}
        labels.append((values["label"], values["target"], values.get("lang")))
    return build_index(labels)


_BRACKETS = re.compile(r"[(\[{]([^)\]}]*)[)\]}]")
_NUMBERING = re.compile(r"^(?:n[or] )?\d+ ?|\s*\d+$")


def _strip_numbering(key):
    """ "1 e mail" → "e mail", "phone 2" → "phone", "nr 3 phone" → "phone"."""
    return _NUMBERING.sub("", key).strip()


def _lookup(text, index):
    key = normalize_header(text)
    if not key:
        return None
    for candidate in (key, _strip_numbering(key)):
        if candidate in index:
            return index[candidate]
        if candidate.replace(" ", "") in index:
            return index[candidate.replace(" ", "")]
    return None


def _recognise_part(text, index):
    found = _lookup(text, index)
    if found:
        return found
    inside = [part for part in _BRACKETS.findall(text) if part.strip()]
    outside = _BRACKETS.sub(" ", text)
    found = _lookup(outside, index)
    if found and inside and found[0] in PHONE_TARGETS:
        # "Phone (mobile)", "Tālrunis (mob.)": the bracket word tells the kind of number
        kind = _lookup(inside[0], index)
        if kind and kind[0] in PHONE_TARGETS:
            return kind
    return found


def recognise(header, index):
    """(target, language) a header names, or None when it is not recognised."""
    text = str(header or "")
    found = _recognise_part(text, index)
    if found or not re.search(r"[/|]", text):
        return found
    for part in re.split(r"[/|]", text):
        found = _recognise_part(part, index)
        if found:
            return found
    return None


def guess_target(header, index=None):
    """The target key a header names, or False when it is not recognised."""
    found = recognise(header, shipped_index() if index is None else index)
    return found[0] if found else False


def guess_mapping(headers, index=None):
    """{header: target} for the recognised headers; each target used once except those of
    ``MULTI_TARGETS`` (several columns add up)."""
    index = shipped_index() if index is None else index
    mapping = {}
    used = set()
    for header in headers:
        if header in (None, ""):
            continue
        target = guess_target(header, index)
        if not target or (target in used and target not in MULTI_TARGETS):
            continue
        used.add(target)
        mapping[header] = target
    if "first_name" in used and not used & {"name", "last_name", "middle_name"}:
        # "Vārds", "Имя", "Jméno" alone hold the whole name
        mapping = {header: "name" if target == "first_name" else target for header, target in mapping.items()}
    return mapping


def headers_language(headers, index=None):
    """The language most recognised headers are written in (the labels' ``lang``), or False
    when none tells (English canonical headers and labels shared by languages tell nothing)."""
    index = shipped_index() if index is None else index
    langs = Counter()
    for header in headers:
        found = recognise(header, index)
        if found and found[1] and found[1] != "en":
            langs[found[1]] += 1
    if not langs:
        english = sum(1 for header in headers if (recognise(header, index) or (0, 0))[1] == "en")
        return "en" if english else False
    return langs.most_common(1)[0][0]


def name_order(lang):
    """The order split name columns are joined in: Russian "Фамилия Имя Отчество", the other
    languages "First Middle Last"."""
    if lang == "ru":
        return ("last_name", "first_name", "middle_name")
    return ("first_name", "middle_name", "last_name")


def target_labels(env):
    """{target key: label} of the fields a column can be mapped to (the wizard's choices)."""
    return {
        "name": env._("Name"),
        "company_type": env._("Type (person / company)"),
        "parent": env._("Company (parent)"),
        "email": env._("E-mail"),
        "phone": env._("Phone"),
        "vat": env._("Tax number (VAT)"),
        "ref": env._("Client code"),
        "street": env._("Address"),
        "city": env._("City"),
        "zip": env._("ZIP"),
        "country": env._("Country"),
        "website": env._("Website"),
        "comment": env._("Notes"),
        "category": env._("Tags"),
        "birthdate": env._("Birthdate"),
        "user": env._("Responsible manager"),
        "is_supplier": env._("Supplier"),
        "is_conflict": env._("Conflict client"),
        "acquisition_source": env._("How did the client hear about us"),
        "first_name": env._("First name (joined into the name)"),
        "last_name": env._("Last name (joined into the name)"),
        "middle_name": env._("Middle name / patronymic (joined into the name)"),
        "mobile": env._("Mobile phone"),
        "phone_work": env._("Work phone"),
        "phone_type": env._("Phone type (of the row's numbers)"),
        "whatsapp": env._("WhatsApp"),
        "viber": env._("Viber"),
        "sms": env._("SMS"),
        "email_consent": env._("Agrees to receive e-mails"),
        "street2": env._("Address line 2"),
        "state": env._("State / region"),
        "company_registry": env._("Company registry number"),
        "function": env._("Job position"),
        "lang": env._("Language"),
        "client_discount": env._("Personal discount (%)"),
    }
