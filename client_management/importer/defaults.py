"""What an import assumes when the user says nothing: the default country of the numbers
written without "+", guessed from the file.

The evidence, strongest first: the country column (the country most of its rows name), the
numbers written with "+" (the country code most of them have), the language of the headers
(Latvian → Latvia, Czech → Czechia, Polish → Poland; Russian tells no country), and last the
company's country. The guess comes with its reason, which the wizard shows.
"""

import contextlib
from collections import Counter

from .common import ImportFileError
from .headers import PHONE_TARGETS, normalize_header
from .rows import country_index
from .synonyms import LANG_COUNTRIES
from .values import split_multi

GUESS_ROWS = 1000  # rows of the file looked at


def guess_country(env, reader, columns, lang):
    """(ISO code or False, the reason, for the user) of the default country of a file."""
    country_columns = [(index, header) for index, header, target in columns if target == "country"]
    phone_columns = [index for index, _header, target in columns if target in PHONE_TARGETS]
    named, prefixes = Counter(), Counter()
    index = country_index(env) if country_columns else {}
    # a damaged file: the guess is made from the rows before the damage, the import reports it
    with contextlib.suppress(ImportFileError):
        for count, (_number, values) in enumerate(reader.rows()):
            if count >= GUESS_ROWS:
                break
            for column, _header in country_columns:
                text = str(values[column]).strip() if column < len(values) and values[column] else ""
                found = text and (index.get(text.lower()) or index.get(normalize_header(text)))
                if found:
                    named[found[1]] += 1
            for column in phone_columns:
                if column < len(values) and values[column]:
                    prefixes.update(_country_codes(values[column]))
    Country = env["res.country"]
    if named:
        code = named.most_common(1)[0][0]
        country = Country.search([("code", "=", code)], limit=1)
        return code, env._(
            "most rows of the column “%(column)s” name %(country)s", column=country_columns[0][1], country=country.name
        )
    if prefixes:
        prefix = prefixes.most_common(1)[0][0]
        code = _region(prefix)
        country = Country.search([("code", "=", code)], limit=1)
        if country:
            return code, env._(
                "most numbers written with + are +%(prefix)s (%(country)s)", prefix=prefix, country=country.name
            )
    if lang in LANG_COUNTRIES:
        languages = {"lv": env._("Latvian"), "cs": env._("Czech"), "pl": env._("Polish")}
        return LANG_COUNTRIES[lang], env._("the column headers are in %(language)s", language=languages[lang])
    if env.company.country_id:
        return env.company.country_id.code, env._("the country of your company")
    return False, ""


def _country_codes(value):
    """The calling codes (371, 420...) of the numbers of a cell written with + or 00."""
    import phonenumbers

    codes = []
    for part in split_multi(value if isinstance(value, str) else str(value)):
        part = part.strip()
        if part.startswith("00"):
            part = "+" + part[2:]
        if not part.startswith("+"):
            continue
        try:
            codes.append(phonenumbers.parse(part, None).country_code)
        except phonenumbers.NumberParseException:
            continue
    return codes


def _region(prefix):
    import phonenumbers

    return phonenumbers.region_code_for_country_code(prefix)
