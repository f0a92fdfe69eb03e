"""Step 3 of the import: one row of the sheet → a :class:`Row`, its values parsed per target.

``RowsStep`` is the part of the importer (``run.Importer``) that parses the cells of a row with
``values`` and looks up the reference data a cell names (country, responsible user). A row with
a problem is reported (``_fail``) and goes no further.
"""

from . import values
from .common import MAX_CELL_LENGTH, CellError, FormulaCell, cell_text, message
from .headers import PHONE_TARGETS, name_order, normalize_header
from .synonyms import COUNTRY_ALIASES, PHONE_TYPE_ALIASES

# Yes / No columns of the contact lines (one value for all the numbers / e-mails of the row).
# "No" is an opt-out written to Odoo's blacklists; "Yes" never lifts an opt-out.
CHANNEL_FLAGS = {"sms": "sms", "email_consent": "consent"}
# Yes / No columns that tick the boxes of the row's new phone lines.
PHONE_FLAGS = ("whatsapp", "viber")
# The type of the numbers of a "Mobile" / "Work phone" column (XML ids of the phone types).
PHONE_TYPES = {"mobile": "phone_type_mobile", "phone_work": "phone_type_work"}
NAME_PARTS = ("first_name", "middle_name", "last_name")
# Text columns written as they are to the client field of the same name.
TEXT_FIELDS = ("name", "street", "street2", "city", "zip", "website", "company_registry", "function")


def country_index(env):
    """{ISO code or country name (normalised, in every installed language): (id, code)}."""
    index = {}
    countries = env["res.country"].search([])
    langs = {code for code, _name in env["res.lang"].get_installed()} | {"en_US"}
    for country in countries:
        index[country.code.lower()] = (country.id, country.code)
    for lang in langs:
        for country in countries.with_context(lang=lang):
            index.setdefault(normalize_header(country.name), (country.id, country.code))
    codes = {code: cid for cid, code in index.values()}
    for alias, code in COUNTRY_ALIASES.items():
        if code in codes:
            index.setdefault(normalize_header(alias), (codes[code], code))
    return index


class Row:
    """The values of one row of the file, ready to be matched and written."""

    __slots__ = (
        "consent",
        "emails",
        "name_parts",
        "number",
        "parent",
        "phone_flags",
        "phone_type",
        "phones",
        "raw",
        "ref",
        "sms",
        "source",
        "tags",
        "vals",
        "vat",
        "viber",
        "whatsapp",
    )

    def __init__(self, number, raw):
        self.number = number
        self.raw = raw
        self.vals = {}
        self.emails = []
        self.phones = []
        self.tags = []
        self.parent = None
        self.source = None
        self.vat = None
        self.ref = None
        self.sms = None
        self.consent = None
        self.name_parts = {}
        self.phone_flags = {}  # e164 -> {"type_id", "whatsapp", "viber"} of its new line
        self.phone_type = None
        self.whatsapp = None
        self.viber = None


class RowsStep:
    """Parsing rows (mixed into ``run.Importer``, whose state it uses: ``columns``, ``options``,
    ``today``, ``_countries``, ``_users``)."""

    def _parse_row(self, number, raw):
        row = Row(number, raw)
        problems = []
        cells = {}
        for index, header, target in self.columns:
            value = raw[index] if index < len(raw) else None
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            if isinstance(value, FormulaCell):
                problems.append(
                    (
                        header,
                        self.env._(
                            "The cell holds a formula (%(formula)s); formulas are not imported, type the value.",
                            formula=str(value)[:50],
                        ),
                    )
                )
                continue
            if isinstance(value, str) and len(value) > MAX_CELL_LENGTH:
                problems.append(
                    (
                        header,
                        self.env._(
                            "Text too long (%(n)s characters, at most %(max)s).",
                            n=len(value),
                            max=MAX_CELL_LENGTH,
                        ),
                    )
                )
                continue
            cells.setdefault(target, []).append((header, value))
        country_code = False
        if "country" in cells:
            header, value = cells["country"][0]
            country = self._country(cell_text(value))
            if country:
                row.vals["country_id"] = country[0]
                country_code = country[1]
            else:
                problems.append((header, self.env._("Unknown country “%(country)s”.", country=cell_text(value))))
        region = country_code or self.options["default_country"]
        for target, items in cells.items():
            if target == "country":
                continue
            for header, value in items:
                try:
                    self._parse_cell(row, target, value, region)
                except CellError as exc:
                    problems.append((header, message(self.env, exc)))
        if problems:
            self._fail(number, raw, problems)
            return None
        self._finish_row(row)
        return row

    def _finish_row(self, row):
        """The name from split name columns; the type and boxes of the row's numbers."""
        if row.name_parts and not row.vals.get("name"):
            order = name_order(self.options.get("headers_lang"))
            row.vals["name"] = " ".join(row.name_parts[part] for part in order if row.name_parts.get(part))
        for e164, _display in row.phones:
            flags = row.phone_flags.setdefault(e164, {})
            if row.phone_type and "type_id" not in flags:
                flags["type_id"] = row.phone_type
            for flag in PHONE_FLAGS:
                if getattr(row, flag) is not None:
                    flags[flag] = getattr(row, flag)

    def _parse_cell(self, row, target, value, region):
        vals = row.vals
        if target in NAME_PARTS:
            row.name_parts[target] = values.check_length("name", " ".join(cell_text(value).split()))
        elif target in (*TEXT_FIELDS, "comment", "ref", "vat", "parent"):
            text = values.check_length(target, cell_text(value))
            if target == "vat":
                text = text.replace(" ", "").upper()
                row.vat = text
                vals["vat"] = text
            elif target == "ref":
                row.ref = text
                vals["ref"] = text
            elif target == "parent":
                row.parent = text
            elif target == "comment":
                vals["comment"] = text
            else:
                vals[target] = text
        elif target == "company_type":
            vals["company_type"] = values.parse_company_type(value)
        elif target == "email":
            for part in values.split_multi(value):
                email = values.parse_email(part)
                if email not in row.emails:
                    row.emails.append(email)
        elif target in PHONE_TARGETS:
            if isinstance(value, int | float) and not isinstance(value, bool):
                value = cell_text(value)
            type_id = self._typed(target)
            for part in values.split_multi(value):
                phone = values.parse_phone(part, region)
                if phone[0] not in {p[0] for p in row.phones}:
                    row.phones.append(phone)
                if type_id:
                    row.phone_flags.setdefault(phone[0], {})["type_id"] = type_id
        elif target == "phone_type":
            row.phone_type = self._phone_type(cell_text(value))
        elif target in PHONE_FLAGS:
            setattr(row, target, values.parse_bool(value))
        elif target == "state":
            vals["state_id"] = self._state(cell_text(value), region)
        elif target == "lang":
            vals["lang"] = self._lang(cell_text(value))
        elif target == "category":
            for part in values.split_multi(value):
                row.tags.append(values.check_length(target, part))
        elif target == "birthdate":
            vals["birthdate"] = values.parse_date(value, self.today)
        elif target == "user":
            vals["user_id"] = self._user(cell_text(value))
        elif target in ("is_supplier", "is_conflict"):
            vals[target] = values.parse_bool(value)
        elif target == "client_discount":
            vals["client_discount"] = values.parse_discount(value)
        elif target == "acquisition_source":
            row.source = values.check_length(target, cell_text(value))
        elif target in CHANNEL_FLAGS:
            setattr(row, CHANNEL_FLAGS[target], values.parse_bool(value))

    # -- reference data -------------------------------------------------
    def _country(self, text):
        if self._countries is None:
            self._countries = country_index(self.env)
        key = text.strip().lower()
        return self._countries.get(key) or self._countries.get(normalize_header(text))

    def _user(self, text):
        if self._users is None:
            by_login, by_name = {}, {}
            users = self.env["res.users"].search([("share", "=", False)])  # the users this user may see
            for user in users:
                by_login[user.login.lower()] = user.id
                by_name.setdefault(user.name.strip().lower(), []).append(user.id)
            self._users = by_login, by_name
        by_login, by_name = self._users
        key = text.strip().lower()
        if key in by_login:
            return by_login[key]
        ids = by_name.get(key, [])
        if len(ids) == 1:
            return ids[0]
        if len(ids) > 1:
            raise CellError(self.env._("Several users are named “%(user)s”; use the login.", user=text))
        raise CellError(self.env._("Unknown user “%(user)s” (give the login or the full name of a user).", user=text))

    def _cached(self, name, build):
        """Reference data read once per import (``build()``), kept on the importer."""
        cache = self.__dict__.setdefault("_reference", {})
        if name not in cache:
            cache[name] = build()
        return cache[name]

    def _typed(self, target):
        """The phone type of the numbers of a "Mobile" / "Work phone" column (False for "Phone")."""
        if target not in PHONE_TYPES:
            return False
        xmlid = f"client_management.{PHONE_TYPES[target]}"
        return self._cached(xmlid, lambda: self.env.ref(xmlid, raise_if_not_found=False).id or False)

    def _phone_type(self, text):
        def build():
            types = self.env["res.partner.phone.type"].search([])
            index = {}
            for lang in {code for code, _name in self.env["res.lang"].get_installed()} | {"en_US"}:
                for phone_type in types.with_context(lang=lang):
                    index.setdefault(normalize_header(phone_type.name), phone_type.id)
            for word, xmlid in PHONE_TYPE_ALIASES.items():
                record = self.env.ref(f"client_management.{xmlid}", raise_if_not_found=False)
                if record and record.active:
                    index.setdefault(normalize_header(word), record.id)
            return index, types.mapped("name")

        index, names = self._cached("phone_types", build)
        found = index.get(normalize_header(text))
        if not found:
            raise CellError(
                self.env._("Unknown phone type “%(type)s” (known: %(types)s).", type=text, types=", ".join(names))
            )
        return found

    def _state(self, text, country_code):
        if not country_code:
            raise CellError(self.env._("A state needs the row's country (or a default country)."))

        def build():
            country = self.env["res.country"].search([("code", "=", country_code)], limit=1)
            index = {}
            for state in self.env["res.country.state"].search([("country_id", "=", country.id)]):
                index.setdefault(state.code.lower(), state.id)
                index.setdefault(normalize_header(state.name), state.id)
            return index, country.name

        index, country_name = self._cached(("states", country_code), build)
        found = index.get(text.strip().lower()) or index.get(normalize_header(text))
        if not found:
            raise CellError(self.env._("Unknown state “%(state)s” in %(country)s.", state=text, country=country_name))
        return found

    def _lang(self, text):
        def build():
            index = {}
            for lang in self.env["res.lang"].search([]):  # the installed (active) languages
                names = [part for name in lang.name.split("/") for part in (name, name.split("(")[0])]
                for word in (lang.code, lang.iso_code, lang.code.split("_")[0], *names):
                    if word:
                        index.setdefault(normalize_header(word), lang.code)
            return index

        found = self._cached("langs", build).get(normalize_header(text))
        if not found:
            raise CellError(self.env._("Unknown language “%(lang)s” (or it is not installed).", lang=text))
        return found
