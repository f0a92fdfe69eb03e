"""Pure helpers of the client importer: reading .xlsx / .csv files safely, guessing the
meaning of column headers, and parsing cell values.

Nothing here touches the database; ``client_import.py`` (the ``client.import`` service)
builds on these functions. Every problem with the file as a whole raises
:class:`ImportFileError` with a message meant for the user; problems of a single cell
raise :class:`CellError`.
"""

import contextlib
import csv
import datetime
import io
import re
import unicodedata
import zipfile

from odoo.tools.translate import LazyTranslate

# Helpers without an environment: their messages are lazy terms, which the importer translates
# in the user's language (no self.env._ here).
# pylint: disable=prefer-env-translation
_lt = LazyTranslate(__name__)

# ----------------------------------------------------------------------
# Limits (hostile files)
# ----------------------------------------------------------------------
MAX_FILE_SIZE = 200 * 1024 * 1024  # bytes of the uploaded file
MAX_UNCOMPRESSED_SIZE = 2 * 1024 * 1024 * 1024  # sum of the .xlsx parts once unzipped
MAX_COMPRESSION_RATIO = 200  # a part inflating more than this is a zip bomb
MAX_ZIP_ENTRIES = 2000
MAX_COLUMNS = 500  # columns of the header row
MAX_ROWS = 1_048_576  # Excel's own limit
MAX_CELL_LENGTH = 10_000  # characters of one cell, whatever the column
MAX_TEXT_LENGTH = {"comment": 10_000}  # per target; 1 000 for the others
DEFAULT_TEXT_LENGTH = 1_000

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls and encrypted .xlsx


class ImportFileError(Exception):
    """The file as a whole cannot be imported (nothing is written)."""


class CellError(ValueError):
    """One cell holds a value that cannot be imported; the row is reported and skipped."""


# ----------------------------------------------------------------------
# Targets and header guessing
# ----------------------------------------------------------------------
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

# Header labels per target in English, Latvian, Czech, Russian and Polish (compared
# after normalisation: lower case, accents and punctuation removed).
HEADER_SYNONYMS = {
    "name": [
        "name",
        "full name",
        "client",
        "client name",
        "customer",
        "customer name",
        "company name",
        "contact",
        "contact name",
        "display name",
        "vards",
        "vards uzvards",
        "pilns vards",
        "klients",
        "klienta vards",
        "nosaukums",
        "uznemuma nosaukums",
        "vards un uzvards",
        "jmeno",
        "cele jmeno",
        "jmeno a prijmeni",
        "zakaznik",
        "klient",
        "nazev",
        "nazev firmy",
        "nazev spolecnosti",
        "obchodni jmeno",
        "имя",
        "фио",
        "полное имя",
        "клиент",
        "имя клиента",
        "наименование",
        "название",
        "название компании",
        "наименование организации",
        "контрагент",
        "imie",
        "imie i nazwisko",
        "nazwa",
        "nazwa firmy",
        "klient",
        "nazwa klienta",
        "kontrahent",
    ],
    "company_type": [
        "type",
        "client type",
        "customer type",
        "person or company",
        "company type",
        "kind",
        "entity type",
        "tips",
        "klienta tips",
        "personas tips",
        "veids",
        "typ",
        "typ klienta",
        "druh",
        "typ subjektu",
        "osoba",
        "тип",
        "тип клиента",
        "вид",
        "лицо",
        "тип лица",
        "typ",
        "rodzaj",
        "rodzaj klienta",
        "typ kontrahenta",
        "forma",
    ],
    "parent": [
        "company",
        "parent company",
        "employer",
        "organisation",
        "organization",
        "works at",
        "uznemums",
        "darbavieta",
        "organizacija",
        "firma",
        "spolecnost",
        "firma",
        "zamestnavatel",
        "organizace",
        "компания",
        "организация",
        "место работы",
        "работодатель",
        "firma",
        "pracodawca",
        "organizacja",
        "spolka",
    ],
    "email": [
        "email",
        "e mail",
        "emails",
        "e mails",
        "mail",
        "email address",
        "e mail address",
        "epasts",
        "e pasts",
        "e pasta adrese",
        "epasta adrese",
        "e mail adresa",
        "emailova adresa",
        "email adresa",
        "posta",
        "почта",
        "электронная почта",
        "эл почта",
        "e mail адрес",
        "адрес электронной почты",
        "емейл",
        "poczta",
        "adres email",
        "adres e mail",
        "poczta e mail",
    ],
    "phone": [
        "phone",
        "phones",
        "phone number",
        "telephone",
        "tel",
        "mobile",
        "mobile phone",
        "cell",
        "cell phone",
        "telefons",
        "talrunis",
        "talr",
        "mobilais",
        "mobilais telefons",
        "telefona numurs",
        "telefon",
        "telefonni cislo",
        "mobil",
        "cislo",
        "tel cislo",
        "телефон",
        "телефоны",
        "тел",
        "мобильный",
        "мобильный телефон",
        "номер телефона",
        "сотовый",
        "telefon",
        "numer telefonu",
        "telefon komorkowy",
        "komorka",
        "nr telefonu",
    ],
    "vat": [
        "vat",
        "vat number",
        "vat id",
        "tax number",
        "tax id",
        "tin",
        "company id",
        "registration number",
        "pvn",
        "pvn numurs",
        "pvn nr",
        "nodoklu maksataja numurs",
        "registracijas numurs",
        "reg nr",
        "dic",
        "ico",
        "danove cislo",
        "danove identifikacni cislo",
        "identifikacni cislo",
        "инн",
        "ндс",
        "налоговый номер",
        "бин",
        "иин",
        "регистрационный номер",
        "nip",
        "numer nip",
        "numer podatkowy",
        "regon",
    ],
    "ref": [
        "code",
        "client code",
        "customer code",
        "ref",
        "reference",
        "id",
        "client id",
        "customer id",
        "kods",
        "klienta kods",
        "numurs",
        "klienta numurs",
        "kod",
        "kod klienta",
        "cislo zakaznika",
        "zakaznicke cislo",
        "код",
        "код клиента",
        "номер клиента",
        "kod",
        "kod klienta",
        "numer klienta",
        "id klienta",
    ],
    "street": [
        "address",
        "street",
        "street address",
        "adrese",
        "iela",
        "adresa",
        "ulice",
        "адрес",
        "улица",
        "adres",
        "ulica",
    ],
    "city": [
        "city",
        "town",
        "pilseta",
        "mesto",
        "obec",
        "город",
        "населенный пункт",
        "miasto",
        "miejscowosc",
    ],
    "zip": [
        "zip",
        "zip code",
        "postcode",
        "post code",
        "postal code",
        "pasta indekss",
        "indekss",
        "psc",
        "postovni smerovaci cislo",
        "индекс",
        "почтовый индекс",
        "kod pocztowy",
    ],
    "country": ["country", "valsts", "zeme", "stat", "страна", "kraj", "panstwo"],
    "website": [
        "website",
        "web",
        "web site",
        "site",
        "url",
        "homepage",
        "majaslapa",
        "majas lapa",
        "timekla vietne",
        "web stranka",
        "webove stranky",
        "www",
        "сайт",
        "веб сайт",
        "strona",
        "strona www",
        "strona internetowa",
    ],
    "comment": [
        "notes",
        "note",
        "comment",
        "comments",
        "remarks",
        "description",
        "piezimes",
        "piezime",
        "komentars",
        "komentari",
        "apraksts",
        "poznamka",
        "poznamky",
        "komentar",
        "popis",
        "примечание",
        "примечания",
        "комментарий",
        "заметки",
        "описание",
        "uwagi",
        "notatki",
        "komentarz",
        "opis",
    ],
    "category": [
        "tags",
        "tag",
        "category",
        "categories",
        "labels",
        "groups",
        "birkas",
        "birka",
        "kategorija",
        "kategorijas",
        "grupa",
        "stitky",
        "stitek",
        "kategorie",
        "skupina",
        "теги",
        "тег",
        "метки",
        "категория",
        "категории",
        "группа",
        "tagi",
        "tag",
        "etykiety",
        "kategoria",
        "kategorie",
        "grupa",
    ],
    "birthdate": [
        "birthdate",
        "birth date",
        "date of birth",
        "birthday",
        "dob",
        "dzimsanas datums",
        "dzimsanas diena",
        "dz datums",
        "datum narozeni",
        "narozeniny",
        "narozen",
        "дата рождения",
        "день рождения",
        "др",
        "data urodzenia",
        "urodziny",
    ],
    "user": [
        "manager",
        "responsible",
        "responsible manager",
        "salesperson",
        "account manager",
        "owner",
        "user",
        "menedzeris",
        "atbildigais",
        "atbildigais menedzeris",
        "pardevejs",
        "lietotajs",
        "manazer",
        "odpovedny",
        "odpovedna osoba",
        "obchodnik",
        "prodejce",
        "uzivatel",
        "менеджер",
        "ответственный",
        "ответственный менеджер",
        "продавец",
        "пользователь",
        "menedzer",
        "opiekun",
        "odpowiedzialny",
        "handlowiec",
        "uzytkownik",
    ],
    "is_supplier": [
        "supplier",
        "vendor",
        "is supplier",
        "piegadatajs",
        "dodavatel",
        "поставщик",
        "dostawca",
    ],
    "is_conflict": [
        "conflict",
        "conflict client",
        "problem client",
        "blacklist",
        "konflikts",
        "konfliktejoss",
        "problematisks klients",
        "konflikt",
        "konfliktni",
        "problemovy zakaznik",
        "конфликт",
        "конфликтный",
        "конфликтный клиент",
        "проблемный клиент",
        "konflikt",
        "konfliktowy",
        "problematyczny klient",
    ],
    "acquisition_source": [
        "how did you hear about us",
        "source",
        "lead source",
        "acquisition channel",
        "channel",
        "referral",
        "how did the client hear about us",
        "where did you hear about us",
        "ka uzzinaja par mums",
        "ka uzzinajat par mums",
        "avots",
        "kanals",
        "piesaistes kanals",
        "jak jste se o nas dozvedeli",
        "jak se o nas dozvedel",
        "zdroj",
        "kanal",
        "откуда узнали",
        "как узнали о нас",
        "откуда узнал",
        "источник",
        "канал",
        "канал привлечения",
        "skad pan pani o nas wie",
        "skad o nas wiesz",
        "skad sie dowiedzial",
        "zrodlo",
        "kanal pozyskania",
    ],
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


# ----------------------------------------------------------------------
# Value parsing
# ----------------------------------------------------------------------
TRUE_WORDS = {"yes", "y", "true", "1", "x", "ja", "jā", "ano", "да", "д", "tak", "t", "+", "v", "✓", "✔"}
FALSE_WORDS = {"no", "n", "false", "0", "ne", "nē", "нет", "н", "nie", "-", ""}

COMPANY_WORDS = {
    "company",
    "organisation",
    "organization",
    "business",
    "legal entity",
    "legal",
    "firm",
    "uznemums",
    "juridiska persona",
    "jur persona",
    "organizacija",
    "firma",
    "sia",
    "spolecnost",
    "pravnicka osoba",
    "pravnicka",
    "organizace",
    "компания",
    "организация",
    "юридическое лицо",
    "юрлицо",
    "юр лицо",
    "фирма",
    "osoba prawna",
    "spolka",
    "przedsiebiorstwo",
}
PERSON_WORDS = {
    "person",
    "individual",
    "private",
    "private person",
    "natural person",
    "contact",
    "persona",
    "fiziska persona",
    "fiz persona",
    "privatpersona",
    "fyzicka osoba",
    "fyzicka",
    "osoba",
    "soukroma osoba",
    "физическое лицо",
    "физлицо",
    "физ лицо",
    "частное лицо",
    "человек",
    "лицо",
    "osoba fizyczna",
    "osoba prywatna",
}
_COMPANY_KEYS = {normalize_header(w) for w in COMPANY_WORDS}
_PERSON_KEYS = {normalize_header(w) for w in PERSON_WORDS}
_TRUE_KEYS = {normalize_header(w) or w for w in TRUE_WORDS}
_FALSE_KEYS = {normalize_header(w) or w for w in FALSE_WORDS}


def cell_text(value):
    """The text of a cell as the user sees it: numbers without a trailing '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.strftime("%d.%m.%Y")
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return str(value).strip()


def parse_bool(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
        raise CellError(_lt("“%(value)s” is not a yes/no value", value=cell_text(value)))
    text = cell_text(value).strip().lower()
    key = normalize_header(text) or text
    if key in _TRUE_KEYS or text in TRUE_WORDS:
        return True
    if key in _FALSE_KEYS or text in FALSE_WORDS:
        return False
    raise CellError(
        _lt(
            "“%(value)s” is not a yes/no value (Yes/No, Jā/Nē, Ano/Ne, Да/Нет, Tak/Nie, 1/0, x)", value=cell_text(value)
        )
    )


def parse_company_type(value):
    key = normalize_header(cell_text(value))
    if key in _COMPANY_KEYS:
        return "company"
    if key in _PERSON_KEYS:
        return "person"
    with contextlib.suppress(CellError):
        # "Company: yes" style columns
        return "company" if parse_bool(value) else "person"
    raise CellError(_lt("“%(value)s” is neither a person nor a company", value=cell_text(value)))


_DATE_PATTERNS = [
    (re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})\.?$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})\s+\d{1,2}:\d{2}(?::\d{2})?$"), ("d", "m", "y")),
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2})$"), ("d", "m", "yy")),
]
EXCEL_EPOCH = datetime.date(1899, 12, 30)


def parse_date(value, today=None):
    """DD.MM.YYYY text (also D.M.YYYY, DD/MM/YYYY, DD-MM-YYYY, YYYY-MM-DD), a date cell or an
    Excel serial number. Birthdates in the future or before 1900 are refused."""
    today = today or datetime.date.today()
    if isinstance(value, datetime.datetime):
        result = value.date()
    elif isinstance(value, datetime.date):
        result = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value < 2958466:
            raise CellError(_lt("“%(value)s” is not a date (expected DD.MM.YYYY)", value=cell_text(value)))
        result = EXCEL_EPOCH + datetime.timedelta(days=int(value))
    else:
        text = cell_text(value)
        result = None
        for pattern, order in _DATE_PATTERNS:
            match = pattern.match(text)
            if not match:
                continue
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            year = parts.get("y")
            if year is None:
                year = parts["yy"] + (2000 if parts["yy"] + 2000 <= today.year else 1900)
            try:
                result = datetime.date(year, parts["m"], parts["d"])
            except ValueError as exc:
                raise CellError(_lt("“%(value)s” is not a valid date", value=text)) from exc
            break
        if result is None:
            raise CellError(_lt("“%(value)s” is not a date (expected DD.MM.YYYY)", value=text))
    if result.year < 1900 or result > today:
        raise CellError(_lt("“%(value)s” is not a plausible birthdate", value=result.strftime("%d.%m.%Y")))
    return result


_EMAIL_RE = re.compile(r"^[^@\s;,<>()\[\]\\\"']+@[^@\s;,<>()\[\]\\\"']+\.[^@\s;,<>()\[\]\\\"'.]{2,}$", re.UNICODE)


def parse_email(text):
    text = text.strip().strip("<>").strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    if len(text) > 254 or not _EMAIL_RE.match(text) or ".." in text:
        raise CellError(_lt("“%(value)s” is not a valid e-mail address", value=text))
    local, domain = text.rsplit("@", 1)
    return f"{local.lower()}@{domain.lower()}"


def split_multi(value):
    """Values of a multi-value cell: separated by ';' (also new lines), blanks dropped."""
    text = cell_text(value)
    if not text:
        return []
    return [part.strip() for part in re.split(r"[;\n\r]+", text) if part.strip()]


def parse_phone(text, region=None):
    """(E.164, international display form) of a number; ``region`` is used for numbers
    written without '+'."""
    import phonenumbers

    raw = text.strip()
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    if not re.search(r"\d", raw) or re.search(r"[^\d\s()+./\-–xext#]", raw, flags=re.IGNORECASE):
        raise CellError(_lt("“%(value)s” is not a valid phone number", value=text))
    if not raw.startswith("+") and not region:
        raise CellError(_lt("“%(value)s” has no country code (+…) and no default country was chosen", value=text))
    try:
        number = phonenumbers.parse(raw, None if raw.startswith("+") else region.upper())
    except phonenumbers.NumberParseException as exc:
        raise CellError(_lt("“%(value)s” is not a valid phone number", value=text)) from exc
    if not phonenumbers.is_valid_number(number):
        raise CellError(_lt("“%(value)s” is not a valid phone number", value=text))
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    display = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return e164, display


def check_length(target, text):
    limit = MAX_TEXT_LENGTH.get(target, DEFAULT_TEXT_LENGTH)
    if len(text) > limit:
        raise CellError(_lt("Text too long (%(count)s characters, at most %(max)s)", count=len(text), max=limit))
    return text


# ----------------------------------------------------------------------
# Reading files
# ----------------------------------------------------------------------
# Country names as the users' old systems write them (besides ISO codes and the names of
# the installed languages).
COUNTRY_ALIASES = {
    "latvija": "LV",
    "латвия": "LV",
    "lotyssko": "LV",
    "lotwa": "LV",
    "lietuva": "LT",
    "литва": "LT",
    "litva": "LT",
    "litwa": "LT",
    "lietuva lt": "LT",
    "eesti": "EE",
    "эстония": "EE",
    "igaunija": "EE",
    "estonsko": "EE",
    "estonia": "EE",
    "cesko": "CZ",
    "ceska republika": "CZ",
    "czechia": "CZ",
    "czech republic": "CZ",
    "cehija": "CZ",
    "чехия": "CZ",
    "czechy": "CZ",
    "polska": "PL",
    "польша": "PL",
    "polija": "PL",
    "polsko": "PL",
    "россия": "RU",
    "российская федерация": "RU",
    "krievija": "RU",
    "rusko": "RU",
    "rosja": "RU",
    "russia": "RU",
    "казахстан": "KZ",
    "kazahstana": "KZ",
    "kazachstan": "KZ",
    "kazachstán": "KZ",
    "украина": "UA",
    "ukraina": "UA",
    "ukrajina": "UA",
    "беларусь": "BY",
    "baltkrievija": "BY",
    "deutschland": "DE",
    "vacija": "DE",
    "nemecko": "DE",
    "niemcy": "DE",
    "германия": "DE",
    "slovensko": "SK",
    "slovakia": "SK",
    "slovakija": "SK",
    "словакия": "SK",
    "slowacja": "SK",
    "suomi": "FI",
    "somija": "FI",
    "sverige": "SE",
    "zviedrija": "SE",
}


class SheetReader:
    """Streams (row_number, values) of the first sheet of an .xlsx or of a .csv file.

    ``headers`` is read at construction; ``rows()`` can be iterated several times
    (the background import counts rows in a first pass). Formula cells are returned as
    :class:`FormulaCell` so that the importer can report them.
    """

    def __init__(self, content, filename):
        if not content:
            raise ImportFileError(_lt("The file is empty."))
        if len(content) > MAX_FILE_SIZE:
            raise ImportFileError(
                _lt(
                    "The file is too big (%(size)s MB, at most %(max)s MB).",
                    size=len(content) // (1024 * 1024),
                    max=MAX_FILE_SIZE // (1024 * 1024),
                )
            )
        self.content = content
        self.filename = filename or ""
        name = self.filename.lower()
        if content[:4] == XLSX_MAGIC:
            self.kind = "xlsx"
            self._check_zip()
        elif content[:4] == OLE_MAGIC:
            raise ImportFileError(
                _lt(
                    "This is an old Excel (.xls) file or a password-protected workbook: save it as .xlsx or .csv first."
                )
            )
        elif name.endswith((".xlsx", ".xlsm", ".xls", ".ods")):
            raise ImportFileError(_lt("“%(file)s” is not a valid Excel (.xlsx) file.", file=self.filename))
        else:
            self.kind = "csv"
            self._prepare_csv()
        self.headers = self._read_headers()

    # -- xlsx -----------------------------------------------------------
    def _check_zip(self):
        try:
            archive = zipfile.ZipFile(io.BytesIO(self.content))
            infos = archive.infolist()
        except (zipfile.BadZipFile, ValueError, OSError) as exc:
            raise ImportFileError(
                _lt("“%(file)s” is not a valid Excel (.xlsx) file (damaged archive).", file=self.filename)
            ) from exc
        if len(infos) > MAX_ZIP_ENTRIES:
            raise ImportFileError(_lt("The workbook has too many parts to be a client list."))
        total = 0
        names = set()
        for info in infos:
            names.add(info.filename)
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > 10 * 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO:
                raise ImportFileError(
                    _lt("The workbook inflates to an abnormal size (zip bomb): it was refused, nothing was imported.")
                )
            if info.flag_bits & 0x1:
                raise ImportFileError(_lt("The workbook is encrypted: save it without a password."))
        if total > MAX_UNCOMPRESSED_SIZE:
            raise ImportFileError(_lt("The workbook inflates to more than 2 GB: it was refused, nothing was imported."))
        if "[Content_Types].xml" not in names or not any(n.startswith("xl/worksheets/") for n in names):
            raise ImportFileError(
                _lt("“%(file)s” is a zip archive, not an Excel (.xlsx) workbook.", file=self.filename)
            )
        for info in infos:
            if info.filename.endswith((".xml", ".rels")):
                with archive.open(info) as part:
                    head = part.read(4096)
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    raise ImportFileError(_lt("The workbook contains XML entity declarations, which are refused."))
        self._archive_names = names

    def _open_sheet(self):
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(
                io.BytesIO(self.content), read_only=True, data_only=False, keep_links=False
            )
        except ImportFileError:
            raise
        except Exception as exc:  # openpyxl raises many kinds on broken files
            raise ImportFileError(
                _lt("“%(file)s” cannot be read as an Excel workbook (%(error)s).", file=self.filename, error=exc)
            ) from exc
        if not workbook.worksheets:
            raise ImportFileError(_lt("The workbook has no sheet."))
        sheet = workbook.worksheets[0]
        if not hasattr(sheet, "reset_dimensions"):
            raise ImportFileError(_lt("The first sheet of the workbook is a chart, not a table."))
        # The declared dimension (<dimension ref="A1:XFD1048576"/>) is not trusted: rows are
        # never padded to it.
        sheet.reset_dimensions()
        return workbook, sheet

    def _xlsx_rows(self):
        workbook, sheet = self._open_sheet()
        try:
            for number, row in enumerate(sheet.iter_rows(), start=1):
                values = []
                for cell in row:
                    value = cell.value
                    if value is not None and getattr(cell, "data_type", None) == "f":
                        value = FormulaCell(value)
                    values.append(value)
                yield number, values
        except ImportFileError:
            raise
        except Exception as exc:
            raise ImportFileError(_lt("The workbook is damaged and cannot be read (%(error)s).", error=exc)) from exc
        finally:
            workbook.close()

    # -- csv ------------------------------------------------------------
    def _prepare_csv(self):
        sample = self.content[:65536]
        if b"\x00" in sample:
            if sample[:2] in (b"\xff\xfe", b"\xfe\xff"):
                try:
                    self.text = self.content.decode("utf-16")
                    self.encoding = "utf-16"
                except UnicodeDecodeError as exc:
                    raise ImportFileError(_lt("The file is neither a spreadsheet nor a text (CSV) file.")) from exc
            else:
                raise ImportFileError(
                    _lt(
                        "“%(file)s” is neither an Excel (.xlsx) nor a text (CSV) file (binary content).",
                        file=self.filename,
                    )
                )
        else:
            self.encoding = detect_encoding(self.content)
            self.text = self.content.decode(self.encoding, errors="replace")
        if self.text.startswith("\ufeff"):
            self.text = self.text[1:]
        if not self.text.strip():
            raise ImportFileError(_lt("The file is empty."))
        self.delimiter = detect_delimiter(self.text)

    def _csv_rows(self):
        reader = csv.reader(io.StringIO(self.text, newline=""), delimiter=self.delimiter)
        try:
            yield from enumerate(reader, start=1)
        except csv.Error as exc:
            raise ImportFileError(
                _lt("The CSV file is malformed near line %(line)s (%(error)s).", line=reader.line_num, error=exc)
            ) from exc

    # -- common ---------------------------------------------------------
    def rows(self):
        """(row_number, values) of every row after the header."""
        source = self._xlsx_rows() if self.kind == "xlsx" else self._csv_rows()
        for number, values in source:
            if number == 1:
                continue
            if number > MAX_ROWS:
                raise ImportFileError(_lt("The file has more than %(max)s rows.", max=MAX_ROWS))
            yield number, values

    def _read_headers(self):
        source = self._xlsx_rows() if self.kind == "xlsx" else self._csv_rows()
        for _number, values in source:
            headers = list(values)
            break
        else:
            source.close()
            raise ImportFileError(_lt("The file is empty."))
        source.close()
        while headers and headers[-1] in (None, ""):
            headers.pop()
        if len(headers) > MAX_COLUMNS:
            raise ImportFileError(
                _lt(
                    "The file has %(count)s columns; a client list has at most %(max)s. Nothing was imported.",
                    count=len(headers),
                    max=MAX_COLUMNS,
                )
            )
        if not headers:
            raise ImportFileError(_lt("The first row (the column headers) is empty."))
        cleaned = []
        seen = set()
        for index, header in enumerate(headers, start=1):
            if isinstance(header, FormulaCell):
                raise ImportFileError(
                    _lt("The header of column %(column)s is a formula; type the header text instead.", column=index)
                )
            text = cell_text(header)[:200]
            if not text:
                text = f"Column {index}"
            base, counter = text, 2
            while text in seen:
                text = f"{base} ({counter})"
                counter += 1
            seen.add(text)
            cleaned.append(text)
        return cleaned

    def preview(self, limit=5):
        rows = []
        for _number, values in self.rows():
            if any(v not in (None, "") for v in values):
                rows.append([cell_text(v) for v in values[: len(self.headers)]])
            if len(rows) >= limit:
                break
        return rows


class FormulaCell(str):
    """The text of a formula cell of an .xlsx (never evaluated, never imported)."""


# ----------------------------------------------------------------------
# CSV sniffing
# ----------------------------------------------------------------------
_LATIN_LETTERS = {
    "cp1250": set("áäčďéěíĺľňóôŕřšťúůýžąćęłńśźżöüőűÁÄČĎÉĚÍĹĽŇÓÔŔŘŠŤÚŮÝŽĄĆĘŁŃŚŹŻÖÜŐŰ"),
    "cp1257": set("āčēģīķļņšūžąęėįųłńśźżóõöüäĀČĒĢĪĶĻŅŠŪŽĄĘĖĮŲŁŃŚŹŻÓÕÖÜÄ"),
}


def _plausibility(text, encoding):
    """How many words with non-ASCII letters look like real words of that encoding's languages."""
    score = 0
    for word in re.findall(r"[^\W\d_]+", text):
        if word.isascii():
            continue
        non_ascii = [c for c in word if not c.isascii()]
        if encoding == "cp1251":
            good = all("\u0400" <= c <= "\u04ff" for c in non_ascii) and not any(c.isascii() for c in word)
        else:
            letters = _LATIN_LETTERS[encoding]
            good = all(c in letters for c in non_ascii) and len(non_ascii) < len(word)
        score += 1 if good else -1
    return score


def detect_encoding(content):
    """UTF-8 (with or without BOM), else the best of cp1250, cp1251, cp1257."""
    if content.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    with contextlib.suppress(UnicodeDecodeError):
        content.decode("utf-8")
        return "utf-8"
    sample = content[:200_000]
    best, best_score = "cp1250", None
    for encoding in ("cp1250", "cp1257", "cp1251"):
        text = sample.decode(encoding, errors="replace")
        score = _plausibility(text, encoding) - 5 * text.count("\ufffd")
        if best_score is None or score > best_score:
            best, best_score = encoding, score
    return best


def detect_delimiter(text):
    """Comma, semicolon or tab: the one splitting the first lines into the same, largest
    number of fields."""
    lines = [line for line in text.splitlines()[:50] if line.strip()][:20]
    best, best_key = ",", None
    for delimiter in (";", ",", "\t"):
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        if not counts:
            continue
        header = counts[0]
        consistent = sum(1 for c in counts if c == header)
        key = (header > 1, consistent, header)
        if best_key is None or key > best_key:
            best, best_key = delimiter, key
    return best
