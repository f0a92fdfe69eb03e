"""Step 3 of the import: one row of the sheet → a :class:`Row`, its values parsed per target.

``RowsStep`` is the part of the importer (``run.Importer``) that parses the cells of a row with
``values`` and looks up the reference data a cell names (country, responsible user). A row with
a problem is reported (``_fail``) and goes no further.
"""

from . import values
from .common import MAX_CELL_LENGTH, CellError, FormulaCell, cell_text, message
from .headers import normalize_header
from .synonyms import COUNTRY_ALIASES

# Yes / No columns of the contact lines (one value for all the numbers / e-mails of the row).
# "No" is an opt-out written to Odoo's blacklists; "Yes" never lifts an opt-out.
CHANNEL_FLAGS = {"sms": "sms", "email_consent": "consent"}


class Row:
    """The values of one row of the file, ready to be matched and written."""

    __slots__ = (
        "consent",
        "emails",
        "number",
        "parent",
        "phones",
        "raw",
        "ref",
        "sms",
        "source",
        "tags",
        "vals",
        "vat",
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
        return row

    def _parse_cell(self, row, target, value, region):
        vals = row.vals
        if target in ("name", "street", "city", "zip", "website", "comment", "ref", "vat", "parent"):
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
        elif target == "phone":
            if isinstance(value, int | float) and not isinstance(value, bool):
                value = cell_text(value)
            for part in values.split_multi(value):
                phone = values.parse_phone(part, region)
                if phone[0] not in {p[0] for p in row.phones}:
                    row.phones.append(phone)
        elif target == "category":
            for part in values.split_multi(value):
                row.tags.append(values.check_length(target, part))
        elif target == "birthdate":
            vals["birthdate"] = values.parse_date(value, self.today)
        elif target == "user":
            vals["user_id"] = self._user(cell_text(value))
        elif target in ("is_supplier", "is_conflict"):
            vals[target] = values.parse_bool(value)
        elif target == "acquisition_source":
            row.source = values.check_length(target, cell_text(value))
        elif target in CHANNEL_FLAGS:
            setattr(row, CHANNEL_FLAGS[target], values.parse_bool(value))

    # -- reference data -------------------------------------------------
    def _country(self, text):
        if self._countries is None:
            self._countries = {}
            countries = self.env["res.country"].search([])
            langs = {code for code, _name in self.env["res.lang"].get_installed()} | {"en_US"}
            for country in countries:
                self._countries[country.code.lower()] = (country.id, country.code)
            for lang in langs:
                for country in countries.with_context(lang=lang):
                    self._countries.setdefault(normalize_header(country.name), (country.id, country.code))
            codes = {code: cid for cid, code in self._countries.values()}
            for alias, code in COUNTRY_ALIASES.items():
                if code in codes:
                    self._countries.setdefault(normalize_header(alias), (codes[code], code))
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
