"""Step 3 of the import: parsing the value of one cell into what the client field stores.

Every function takes the cell as the reader gives it (text, number, date, boolean) and returns
the field's value, or raises :class:`CellError` with a message for the user.
"""

import contextlib
import datetime
import re

from ..tools import phone as phone_parser
from .common import DEFAULT_TEXT_LENGTH, MAX_TEXT_LENGTH, CellError, _lt, cell_text
from .headers import normalize_header

# Without an environment, messages are lazy terms (``_lt``) that the service translates in the
# user's language (``common.message``): no self.env._ here.
# pylint: disable=prefer-env-translation

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
    """Values of a multi-value cell: separated by ';' (also new lines), blanks dropped. The
    ';' of a number's extension written as in tel: links ("+37167123456;ext=12") separates
    nothing."""
    text = cell_text(value)
    if not text:
        return []
    return [part.strip() for part in re.split(r"[;\n\r]+(?!\s*ext\s*=)", text, flags=re.IGNORECASE) if part.strip()]


def parse_phone(text, region=None):
    """(E.164, international display form) of a number; ``region`` is used for numbers
    written without '+'. The addon's one parser (``tools/phone.py``, also used by the phone
    lines and the lookup): an extension is left out of the E.164 and kept in the display form
    ("+371 67 123 456 ext. 12"), which is what the line stores as its number."""
    try:
        phone = phone_parser.parse_phone(text, region)
    except phone_parser.PhoneError as exc:
        raise CellError(exc.args[0]) from exc
    return phone.e164, phone.display


_DISCOUNT_RE = re.compile(r"^[+]?(\d+(?:[.,]\d*)?|[.,]\d+)$")


def parse_discount(value):
    """A personal discount in percent: 10, "10", "10 %", "10,5", "10.5%". Outside 0–100 the row
    is refused."""
    if isinstance(value, bool):
        raise CellError(_lt("“%(value)s” is not a discount in percent", value=cell_text(value)))
    if isinstance(value, int | float):
        result = float(value)
    else:
        text = cell_text(value).replace("\xa0", " ").strip()
        compact = text.replace(" ", "").rstrip("%")
        if not _DISCOUNT_RE.match(compact):
            raise CellError(_lt("“%(value)s” is not a discount in percent (e.g. 10 or 10,5 %%)", value=text))
        result = float(compact.replace(",", "."))
    if not 0 <= result <= 100:
        raise CellError(_lt("The discount “%(value)s” is not between 0 and 100 %%", value=cell_text(value)))
    return result


def check_length(target, text):
    limit = MAX_TEXT_LENGTH.get(target, DEFAULT_TEXT_LENGTH)
    if len(text) > limit:
        raise CellError(_lt("Text too long (%(count)s characters, at most %(max)s)", count=len(text), max=limit))
    return text
