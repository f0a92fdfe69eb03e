"""The client importer and exporter: one service (``client.import``) that the wizard, the
background job and RPC callers all use.

``import_file`` reads an .xlsx (openpyxl, read-only streaming) or a .csv file, maps its
columns to client fields (guessed from the headers when no mapping is given), normalises
every value, matches existing clients (e-mail, E.164 number, VAT, client code), and writes
the rows by batches, each batch in its own savepoint: a row that cannot be saved is
reported and the other rows of its batch are saved one by one. A file refused as a whole
writes nothing.

The background job (``client.import.job``) imports a file batch by batch instead
(``_import_resumable``): the outcome of every batch is handed to the job, which stores it with
its checkpoint in the batch's own transaction.
"""

import base64
import io
import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, plaintext2html
from odoo.tools.translate import LazyGettext

from . import client_import_parse as parse

_logger = logging.getLogger(__name__)

BATCH_SIZE = 500
MATCH_KEYS = ("ref", "email", "phone", "vat")
MODES = ("create_update", "create", "update")
# Yes / No columns of the contact lines (one value for all the numbers / e-mails of the row).
# "No" is an opt-out written to Odoo's blacklists; "Yes" never lifts an opt-out.
CHANNEL_FLAGS = {"sms": "sms", "email_consent": "consent"}


class _DryRunRollback(Exception):
    """Raised at the end of a dry run to roll the whole import back."""


class _Plan:
    """What will be written for one client: a new one (``partner_id`` False) or an
    existing one. Several rows of the file can end up in one plan (in-file matches)."""

    __slots__ = (
        "consent",
        "emails",
        "is_company",
        "name",
        "parent",
        "partner_id",
        "phones",
        "raws",
        "rows",
        "sms",
        "source",
        "tags",
        "vals",
    )

    def __init__(self, partner_id=False):
        self.partner_id = partner_id
        self.rows = []
        self.raws = {}
        self.vals = {}
        self.emails = []
        self.phones = []  # (e164, display)
        self.sms = {}  # e164 -> the file's SMS Yes / No
        self.consent = {}  # e-mail -> the file's consent Yes / No
        self.tags = []
        self.parent = None
        self.source = None
        self.is_company = False
        self.name = None

    def merge(self, row):
        self.rows.append(row.number)
        self.raws[row.number] = row.raw
        for key, value in row.vals.items():
            self.vals[key] = value
        for email in row.emails:
            if email not in self.emails:
                self.emails.append(email)
            if row.consent is not None:
                # an opt-out on any row of the client wins
                self.consent[email] = self.consent.get(email, True) and row.consent
        known = {e164 for e164, _display in self.phones}
        for phone in row.phones:
            if phone[0] not in known:
                self.phones.append(phone)
                known.add(phone[0])
            if row.sms is not None:
                self.sms[phone[0]] = self.sms.get(phone[0], True) and row.sms
        for tag in row.tags:
            if tag.lower() not in {t.lower() for t in self.tags}:
                self.tags.append(tag)
        if row.parent:
            self.parent = row.parent
        if row.source:
            self.source = row.source
        if row.vals.get("company_type"):
            self.is_company = row.vals["company_type"] == "company"
        if row.vals.get("name"):
            self.name = row.vals["name"]


class _Row:
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


class ClientImport(models.AbstractModel):
    _name = "client.import"
    _description = "Client import and export service"

    # ------------------------------------------------------------------
    # Public API
    # ------------------------------------------------------------------
    @api.model
    def import_file(self, content, filename, mapping=None, options=None):
        """Import clients from an .xlsx or .csv file.

        :param content: the file (bytes, or base64 text from RPC)
        :param filename: its name (used for messages and to tell .xlsx from .csv)
        :param mapping: {column header: target key} (see ``parse.TARGETS``, and ``sms`` /
            ``email_consent``: Yes / No for all the numbers / e-mails of the row); headers mapped to
            a false value, or absent, are ignored. Without it, headers are recognised by name.
        :param options: ``default_country`` (ISO code for numbers written without +),
            ``dry_run`` (count and check, write nothing), ``match_on`` (list of ref, email,
            phone, vat; all by default), ``mode`` (create_update, create, update).
        :return: dict with ``created``, ``updated``, ``skipped``, ``unchanged`` (ints),
            ``errors`` (list of {row, column, message}) and ``partner_ids``.
        """
        options = dict(options or {})
        result = self._import(content, filename, mapping=mapping, options=options)
        if options.get("error_file"):
            result["error_file"] = base64.b64encode(result.pop("_error_file")).decode() if result["errors"] else False
        result.pop("_error_file", None)
        result.pop("_error_rows", None)
        return result

    @api.model
    def read_file(self, content, filename, preview_rows=5):
        """Headers, guessed mapping and the first rows of a file (for the wizard preview)."""
        reader = self._reader(content, filename)
        try:
            preview = reader.preview(preview_rows)
        except parse.ImportFileError as exc:
            raise UserError(_message(self.env, exc)) from exc
        return {
            "headers": reader.headers,
            "mapping": parse.guess_mapping(reader.headers),
            "preview": preview,
            "kind": reader.kind,
            "encoding": getattr(reader, "encoding", False),
            "delimiter": getattr(reader, "delimiter", False),
        }

    @api.model
    def get_targets(self):
        """[(key, label)] of the fields a column can be mapped to."""
        labels = self._target_labels()
        return [(key, labels[key]) for key in (*parse.TARGETS, *(k for k in CHANNEL_FLAGS if k not in parse.TARGETS))]

    # ------------------------------------------------------------------
    # Reading
    # ------------------------------------------------------------------
    @api.model
    def _check_import_rights(self):
        if not self.env.su and not self.env.user.has_group("client_management.group_client_user"):
            raise AccessError(self.env._("Only users of the Clients app can import clients."))

    @api.model
    def _check_export_rights(self):
        """Exporting the client base is a Clients action that also needs Odoo's own export
        right (Settings → Users → Export), which an administrator may have withheld."""
        if self.env.su:
            return
        self._check_import_rights()
        if not self.env.user.has_group("base.group_allow_export"):
            raise AccessError(
                self.env._("Exporting clients needs the right to export data (Settings → Users → Export).")
            )

    @api.model
    def _decode_content(self, content):
        if isinstance(content, str):
            try:
                return base64.b64decode(content, validate=False)
            except ValueError as exc:
                raise UserError(self.env._("The file content is not valid base64.")) from exc
        return bytes(content or b"")

    @api.model
    def _reader(self, content, filename):
        try:
            return parse.SheetReader(self._decode_content(content), filename)
        except parse.ImportFileError as exc:
            raise UserError(_message(self.env, exc)) from exc

    @api.model
    def _target_labels(self):
        return {
            "name": self.env._("Name"),
            "company_type": self.env._("Type (person / company)"),
            "parent": self.env._("Company (parent)"),
            "email": self.env._("E-mail"),
            "phone": self.env._("Phone"),
            "vat": self.env._("Tax number (VAT)"),
            "ref": self.env._("Client code"),
            "street": self.env._("Address"),
            "city": self.env._("City"),
            "zip": self.env._("ZIP"),
            "country": self.env._("Country"),
            "website": self.env._("Website"),
            "comment": self.env._("Notes"),
            "category": self.env._("Tags"),
            "birthdate": self.env._("Birthdate"),
            "user": self.env._("Responsible manager"),
            "is_supplier": self.env._("Supplier"),
            "is_conflict": self.env._("Conflict client"),
            "acquisition_source": self.env._("How did the client hear about us"),
            "sms": self.env._("SMS"),
            "email_consent": self.env._("Agrees to receive e-mails"),
        }

    @api.model
    def _normalize_options(self, options):
        default_country = (options.get("default_country") or "").strip().upper() or False
        if default_country:
            if isinstance(default_country, int) or default_country.isdigit():
                country = self.env["res.country"].browse(int(default_country)).exists()
            else:
                country = self.env["res.country"].search([("code", "=", default_country)], limit=1)
            if not country:
                raise UserError(
                    self.env._("Unknown default country “%(country)s”.", country=options.get("default_country"))
                )
            default_country = country.code
        match_on = options.get("match_on")
        if match_on is None or match_on is True:
            match_on = list(MATCH_KEYS)
        elif isinstance(match_on, str):
            match_on = [key.strip() for key in match_on.split(",") if key.strip()]
        match_on = list(match_on or [])
        wrong = [key for key in match_on if key not in MATCH_KEYS]
        if wrong:
            raise UserError(
                self.env._(
                    "Cannot match clients on %(keys)s; use %(allowed)s.",
                    keys=", ".join(map(str, wrong)),
                    allowed=", ".join(MATCH_KEYS),
                )
            )
        mode = options.get("mode") or "create_update"
        if mode not in MODES:
            raise UserError(self.env._("Unknown import mode “%(mode)s”.", mode=mode))
        return {
            "default_country": default_country,
            "dry_run": bool(options.get("dry_run")),
            "match_on": match_on,
            "mode": mode,
            "overwrite": bool(options.get("overwrite")),
            "batch_size": max(int(options.get("batch_size") or BATCH_SIZE), 1),
        }

    @api.model
    def _resolve_mapping(self, headers, mapping):
        if not mapping:
            mapping = parse.guess_mapping(headers)
        columns = []
        unknown_targets = {
            target
            for target in mapping.values()
            if target and target not in parse.TARGETS and target not in CHANNEL_FLAGS
        }
        if unknown_targets:
            raise UserError(
                self.env._(
                    "Unknown field(s) in the mapping: %(fields)s.", fields=", ".join(sorted(map(str, unknown_targets)))
                )
            )
        for index, header in enumerate(headers):
            target = mapping.get(header)
            if target:
                columns.append((index, header, target))
        if not columns:
            raise UserError(
                self.env._(
                    "No column of the file was recognised (headers: %(headers)s). "
                    "Map the columns to client fields, or start from the template.",
                    headers=", ".join(headers[:20]),
                )
            )
        single = [t for _i, _h, t in columns if t not in ("phone", "email", "category")]
        doubles = {t for t in single if single.count(t) > 1}
        if doubles:
            raise UserError(
                self.env._(
                    "Several columns are mapped to %(fields)s; map only one.",
                    fields=", ".join(self._target_labels()[t] for t in sorted(doubles)),
                )
            )
        return columns

    # ------------------------------------------------------------------
    # The import
    # ------------------------------------------------------------------
    @api.model
    def _importer(self, content, filename, mapping=None, options=None):
        """The import of one file, checked up to its headers and mapping."""
        self._check_import_rights()
        options = self._normalize_options(options or {})
        reader = self._reader(content, filename)
        columns = self._resolve_mapping(reader.headers, mapping)
        return _Importer(self, reader, columns, options)

    @api.model
    def _count_rows(self, importer):
        """The rows of the file after the header (reading them all checks the whole file)."""
        try:
            return sum(1 for _row in importer.reader.rows())
        except parse.ImportFileError as exc:
            raise UserError(_message(self.env, exc)) from exc

    @api.model
    def _import(self, content, filename, mapping=None, options=None, progress=None):
        """Run an import in the current transaction: all of it, or nothing when the file is
        refused (or for a dry run). ``progress(last_row, total_rows)`` is called after every
        batch, ``last_row`` being the sheet row number of the batch's last row."""
        importer = self._importer(content, filename, mapping, options)
        on_batch = None
        if progress:
            total = self._count_rows(importer)

            def on_batch(last_row, _rows):
                progress(last_row, total)

        try:
            with self.env.cr.savepoint():
                importer.run(on_batch=on_batch)
                if importer.options["dry_run"]:
                    raise _DryRunRollback()
        except _DryRunRollback:
            self.env.invalidate_all()
        except parse.ImportFileError as exc:
            self.env.invalidate_all()
            raise UserError(_message(self.env, exc)) from exc
        if not importer.options["dry_run"]:
            self._notify_assignments(importer.take_assigned(), filename)
        return importer.result()

    @api.model
    def _import_resumable(self, content, filename, mapping, options, after_row=0, on_batch=None):
        """Import the rows of the file after the sheet row ``after_row``, batch by batch (the
        background job). ``on_batch(importer, last_row, rows)`` is called after every batch,
        before anything is committed: the caller stores the batch's outcome (``take_batch``)
        with its checkpoint and commits; a false value stops the import. Returns True once
        the end of the file is reached."""
        importer = self._importer(content, filename, mapping, options)
        if importer.options["dry_run"]:
            raise UserError(self.env._("A dry run is never imported batch by batch."))
        try:
            return importer.run(
                after_row=after_row,
                on_batch=on_batch and (lambda last_row, rows: on_batch(importer, last_row, rows)),
            )
        except parse.ImportFileError as exc:
            raise UserError(_message(self.env, exc)) from exc

    @api.model
    def _notify_assignments(self, assigned, filename):
        """One message per responsible manager the import gave clients to (instead of one
        assignment notification per client): ``assigned`` = {user id: number of clients}."""
        users = self.env["res.users"].browse(uid for uid, count in assigned.items() if count).exists()
        for user in users.filtered(lambda u: u.active and not u.share and u != self.env.user):
            count = assigned[user.id]
            env = self.with_context(lang=user.lang).env
            self.env["mail.thread"].message_notify(
                partner_ids=user.partner_id.ids,
                author_id=self.env.user.partner_id.id,
                subject=env._("Clients assigned to you"),
                body=plaintext2html(
                    env._(
                        "%(count)s clients were assigned to you by the import of %(file)s.",
                        count=count,
                        file=filename,
                    )
                    if count > 1
                    else env._("1 client was assigned to you by the import of %(file)s.", file=filename)
                ),
            )

    # ------------------------------------------------------------------
    # Error workbook, template, export
    # ------------------------------------------------------------------
    @api.model
    def _error_workbook(self, headers, error_rows):
        """The original rows that failed, plus an "Import errors" column (re-importable)."""
        import openpyxl

        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet(self.env._("Rows to fix"))
        sheet.append([_safe_cell(sheet, h) for h in [*headers, self.env._("Import errors")]])
        for _number, values, messages in error_rows:
            row = list(values[: len(headers)]) + [None] * (len(headers) - len(values))
            sheet.append([_safe_cell(sheet, _plain(v)) for v in row] + [_safe_cell(sheet, "; ".join(messages))])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    @api.model
    def _error_file_of(self, content, filename, errors):
        """The error workbook of an import whose errors were stored batch by batch (the
        background job): the failed rows are read again from the file."""
        messages = {}
        for error in errors:
            text = f"{error['column']}: {error['message']}" if error["column"] else error["message"]
            messages.setdefault(error["row"], []).append(text)
        if not messages:
            return False
        reader = self._reader(content, filename)
        try:
            rows = [(number, values, messages[number]) for number, values in reader.rows() if number in messages]
        except parse.ImportFileError as exc:
            raise UserError(_message(self.env, exc)) from exc
        return self._error_workbook(reader.headers, rows)

    @api.model
    def get_template(self):
        """An .xlsx with the recognised headers and one example row."""
        example = {
            "name": self.env._("Anna Bērziņa"),
            "company_type": self.env._("Person"),
            "parent": self.env._("Example Company SIA"),
            "email": "anna@example.com; anna.berzina@example.lv",
            "phone": "+371 20 000 000; 67 000 000",
            "vat": "",
            "ref": "",
            "street": "Brīvības iela 1",
            "city": "Rīga",
            "zip": "LV-1010",
            "country": "LV",
            "website": "",
            "comment": self.env._("Prefers calls after 17:00"),
            "category": self.env._("VIP; Newsletter"),
            "birthdate": "31.12.1985",
            "user": self.env.user.login,
            "is_supplier": self.env._("No"),
            "is_conflict": self.env._("No"),
            "acquisition_source": self.env._("Recommendation"),
        }
        return self._workbook([[example[t] for t in parse.TARGETS]], self.env._("Clients"))

    @api.model
    def _workbook(self, rows, title):
        import openpyxl

        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet(title)
        sheet.append([_safe_cell(sheet, parse.CANONICAL_HEADERS[t]) for t in parse.TARGETS])
        for row in rows:
            sheet.append([_safe_cell(sheet, value) for value in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    @api.model
    def export_partners(self, partner_ids):
        """An .xlsx of the clients in the import format (re-imports unchanged)."""
        self._check_export_rights()
        partners = self.env["res.partner"].browse(partner_ids)
        partners.check_access("read")
        rows = []
        for partner in partners:
            rows.append(self._export_row(partner))
        return self._workbook(rows, self.env._("Clients"))

    @api.model
    def _export_row(self, partner):
        yes, no = self.env._("Yes"), self.env._("No")
        emails, phones = _partner_emails(partner), _partner_phones(partner)
        commercial = not partner.parent_id or partner.is_company
        values = {
            "name": partner.name or "",
            "company_type": self.env._("Company") if partner.is_company else self.env._("Person"),
            "parent": partner.parent_id.name or "",
            "email": "; ".join(emails),
            "phone": "; ".join(phones),
            "vat": (partner.vat or "") if commercial else "",
            "ref": partner.ref or "",
            "street": partner.street or "",
            "city": partner.city or "",
            "zip": partner.zip or "",
            "country": partner.country_id.code or "",
            "website": partner.website or "",
            "comment": _html_to_text(partner.comment),
            "category": "; ".join(partner.category_id.mapped("name")),
            "birthdate": partner.birthdate.strftime("%d.%m.%Y") if partner.birthdate else "",
            "user": partner.user_id.login or "",
            "is_supplier": yes if partner.is_supplier else no,
            "is_conflict": yes if partner.is_conflict else no,
            "acquisition_source": partner.acquisition_source_id.name or "",
        }
        return [values[t] for t in parse.TARGETS]


# ----------------------------------------------------------------------
# Channels: phone_ids / email_ids lines when the contact-channel models exist, the
# native phone / email fields otherwise.
# ----------------------------------------------------------------------
def _has_lines(env, field):
    return field in env["res.partner"]._fields


def _partner_emails(partner):
    if _has_lines(partner.env, "email_ids"):
        lines = partner.email_ids.sorted(lambda line: (not line.is_primary, line.sequence, line.id))
        return [line.email for line in lines if line.email]
    return [partner.email] if partner.email else []


def _partner_phones(partner):
    if _has_lines(partner.env, "phone_ids"):
        lines = partner.phone_ids.sorted(lambda line: (not line.is_primary, line.sequence, line.id))
        return [line.number for line in lines if line.number]
    return [partner.phone] if partner.phone else []


def _plain(value):
    if isinstance(value, parse.FormulaCell):
        return str(value)
    return value


def _safe_cell(sheet, value):
    """A cell that no spreadsheet evaluates: text starting with =, +, -, @ is stored as a
    string cell with Excel's quote prefix."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=None)
        cell.value = value
        cell.data_type = "s"
        if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
            cell.quotePrefix = True
        return cell
    return value


def _html_to_text(html):
    if not html:
        return ""
    from odoo.tools import html2plaintext, is_html_empty

    if is_html_empty(html):
        return ""
    return html2plaintext(html).strip()


COUNTERS = ("created", "updated", "skipped", "unchanged")


class _Importer:
    """The state of one import run (caches, in-file matches, counters)."""

    def __init__(self, service, reader, columns, options):
        self.service = service
        self.env = service.env
        self.reader = reader
        self.columns = columns
        self.options = options
        self.headers = reader.headers
        self.labels = service._target_labels()
        self.targets = {target for _i, _h, target in columns}
        self.created = self.updated = self.skipped = self.unchanged = 0
        self.errors = []
        self.error_rows = []
        self.partner_ids = []
        self.assigned = {}  # responsible manager (user id) -> clients the import gave them
        self._taken = dict.fromkeys(COUNTERS, 0)
        # in-file and database matches: (kind, key) -> partner id
        self.known = {}
        self.companies = {}  # lower name -> partner id, or ("new", row) of a company row
        self.resolved = {}  # ("new", row) -> id of the partner created for it
        self._prefetch_ids = ()  # existing clients updated by the current batch
        self._phone_defaults = None
        self._countries = None
        self._users = None
        self._tags = None
        self._sources = None
        self.today = fields.Date.context_today(service)
        self.lines = _has_lines(self.env, "phone_ids"), _has_lines(self.env, "email_ids")
        # Clients get a code from the sequence, which is not transactional: a dry run (rolled
        # back) creates its clients without one, so that it consumes no code.
        self.partners = self.env["res.partner"].with_context(
            mail_create_nolog=True,
            mail_create_nosubscribe=True,
            # one summary per manager at the end (``_notify_assignments``), not one per client
            mail_auto_subscribe_no_notify=True,
            cm_client_code=not options["dry_run"],
            cm_client_code_check=True,
        )

    # -- counters and result ---------------------------------------------
    def result(self):
        self.errors.sort(key=lambda e: e["row"])
        return {
            "created": self.created,
            "updated": self.updated,
            "skipped": self.skipped,
            "unchanged": self.unchanged,
            "errors": self.errors,
            "partner_ids": [] if self.options["dry_run"] else sorted(set(self.partner_ids)),
            "_error_file": (
                self.service._error_workbook(self.headers, sorted(self.error_rows, key=lambda r: r[0]))
                if self.error_rows
                else False
            ),
        }

    def take_batch(self):
        """What the batches since the previous call did: ({counter: increase}, errors,
        {user id: clients assigned}); forgotten here once taken (the background job stores
        them with its checkpoint)."""
        counts = {name: getattr(self, name) - self._taken[name] for name in COUNTERS}
        self._taken = {name: getattr(self, name) for name in COUNTERS}
        errors = self.errors
        self.errors, self.error_rows, self.partner_ids = [], [], []
        return counts, errors, self.take_assigned()

    def take_assigned(self):
        assigned, self.assigned = self.assigned, {}
        return assigned

    def _fail(self, number, raw, problems):
        """Report a row that is not imported: problems = [(column, message)]."""
        for column, message in problems:
            self.errors.append({"row": number, "column": column, "message": message})
        self.error_rows.append((number, raw, [f"{c}: {m}" if c else m for c, m in problems]))
        self.skipped += 1

    # -- main loop ------------------------------------------------------
    def run(self, after_row=0, on_batch=None):
        """Import the rows after the sheet row ``after_row``, by batches. ``on_batch(last_row,
        rows)`` is called after every batch; the import stops when it returns False.
        Returns True when the end of the file was reached."""
        batch = []
        size = self.options["batch_size"]
        indexes = sorted({index for index, _header, _target in self.columns})
        for number, values in self.reader.rows():
            if number <= after_row:
                continue
            # rows without a value in a mapped column are blank lines for the import
            if not any(
                index < len(values) and values[index] not in (None, "") and str(values[index]).strip()
                for index in indexes
            ):
                continue
            batch.append((number, values))
            if len(batch) >= size:
                if not self._end_batch(batch, on_batch):
                    return False
                batch = []
        if batch:
            self._end_batch(batch, on_batch)
        return True

    def _end_batch(self, batch, on_batch):
        self._process_batch(batch)
        go_on = on_batch(batch[-1][0], len(batch)) if on_batch else True
        # bounded memory: forget the records of the batch
        self.env.invalidate_all()
        return go_on is not False

    def _process_batch(self, batch):
        rows = []
        for number, values in batch:
            row = self._parse_row(number, values)
            if row is not None:
                rows.append(row)
        if not rows:
            return
        self._prefetch_matches(rows)
        plans = {}
        order = []
        mode = self.options["mode"]
        for row in rows:
            plan_key = self._match(row)
            if plan_key is not None and plan_key[0] == "new" and plan_key not in plans:
                plan_key = None  # a row of an earlier batch that failed: forgotten
            if plan_key is None:
                if mode == "update":
                    self.skipped += 1
                    continue
                if not row.vals.get("name"):
                    column = self._header_of("name") or self.labels["name"]
                    self._fail(row.number, row.raw, [(column, self.env._("A new client needs a name."))])
                    continue
                plan_key = ("new", row.number)
                plans[plan_key] = _Plan()
                order.append(plan_key)
            elif plan_key not in plans:
                if mode == "create":
                    self.skipped += 1
                    continue
                plans[plan_key] = _Plan(plan_key[1])
                order.append(plan_key)
            self._register(row, plan_key)
            plans[plan_key].merge(row)
        self._write_plans([plans[key] for key in order])

    def _header_of(self, target):
        for _index, header, col_target in self.columns:
            if col_target == target:
                return header
        return False

    # -- parsing one row --------------------------------------------------
    def _parse_row(self, number, values):
        row = _Row(number, values)
        problems = []
        cells = {}
        for index, header, target in self.columns:
            value = values[index] if index < len(values) else None
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            if isinstance(value, parse.FormulaCell):
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
            if isinstance(value, str) and len(value) > parse.MAX_CELL_LENGTH:
                problems.append(
                    (
                        header,
                        self.env._(
                            "Text too long (%(n)s characters, at most %(max)s).",
                            n=len(value),
                            max=parse.MAX_CELL_LENGTH,
                        ),
                    )
                )
                continue
            cells.setdefault(target, []).append((header, value))
        country_code = False
        if "country" in cells:
            header, value = cells["country"][0]
            country = self._country(parse.cell_text(value))
            if country:
                row.vals["country_id"] = country[0]
                country_code = country[1]
            else:
                problems.append((header, self.env._("Unknown country “%(country)s”.", country=parse.cell_text(value))))
        region = country_code or self.options["default_country"]
        for target, items in cells.items():
            if target == "country":
                continue
            for header, value in items:
                try:
                    self._parse_cell(row, target, value, region)
                except parse.CellError as exc:
                    problems.append((header, _message(self.env, exc)))
        if problems:
            self._fail(number, values, problems)
            return None
        return row

    def _parse_cell(self, row, target, value, region):
        vals = row.vals
        if target in ("name", "street", "city", "zip", "website", "comment", "ref", "vat", "parent"):
            text = parse.check_length(target, parse.cell_text(value))
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
            vals["company_type"] = parse.parse_company_type(value)
        elif target == "email":
            for part in parse.split_multi(value):
                email = parse.parse_email(part)
                if email not in row.emails:
                    row.emails.append(email)
        elif target == "phone":
            if isinstance(value, int | float) and not isinstance(value, bool):
                value = parse.cell_text(value)
            for part in parse.split_multi(value):
                phone = parse.parse_phone(part, region)
                if phone[0] not in {p[0] for p in row.phones}:
                    row.phones.append(phone)
        elif target == "category":
            for part in parse.split_multi(value):
                row.tags.append(parse.check_length(target, part))
        elif target == "birthdate":
            vals["birthdate"] = parse.parse_date(value, self.today)
        elif target == "user":
            vals["user_id"] = self._user(parse.cell_text(value))
        elif target in ("is_supplier", "is_conflict"):
            vals[target] = parse.parse_bool(value)
        elif target == "acquisition_source":
            row.source = parse.check_length(target, parse.cell_text(value))
        elif target in CHANNEL_FLAGS:
            setattr(row, CHANNEL_FLAGS[target], parse.parse_bool(value))

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
                    self._countries.setdefault(parse.normalize_header(country.name), (country.id, country.code))
            codes = {code: cid for cid, code in self._countries.values()}
            for alias, code in parse.COUNTRY_ALIASES.items():
                if code in codes:
                    self._countries.setdefault(parse.normalize_header(alias), (codes[code], code))
        key = text.strip().lower()
        return self._countries.get(key) or self._countries.get(parse.normalize_header(text))

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
            raise parse.CellError(self.env._("Several users are named “%(user)s”; use the login.", user=text))
        raise parse.CellError(
            self.env._("Unknown user “%(user)s” (give the login or the full name of a user).", user=text)
        )

    def _tag_ids(self, names):
        if self._tags is None:
            self._tags = {}
            for tag in self.env["res.partner.category"].with_context(active_test=False).search_read([], ["name"]):
                self._tags.setdefault(tag["name"].strip().lower(), tag["id"])
        ids = []
        for name in names:
            key = name.strip().lower()
            if key not in self._tags:
                self._tags[key] = self.env["res.partner.category"].create({"name": name.strip()}).id
            ids.append(self._tags[key])
        return ids

    def _source_id(self, name):
        if self._sources is None:
            self._sources = {}
            for source in self.env["utm.source"].search_read([], ["name"]):
                self._sources.setdefault((source["name"] or "").strip().lower(), source["id"])
        key = name.strip().lower()
        if key not in self._sources:
            self._sources[key] = self.env["utm.source"].create({"name": name.strip()}).id
        return self._sources[key]

    def _company_id(self, name):
        key = name.strip().lower()
        if key not in self.companies:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM res_partner WHERE is_company AND lower(name) = %s ORDER BY active DESC, id",
                    key,
                )
            )
            ids = [pid for (pid,) in self.env.cr.fetchall()]
            readable = self._readable(ids)
            found = next((pid for pid in ids if pid in readable), None)
            if found:
                self.companies[key] = found
            else:
                # a new client too: it gets a client code (none in a dry run)
                self.companies[key] = (
                    self.partners.with_context(tracking_disable=True)
                    .create({"name": name.strip(), "company_type": "company"})
                    .id
                )
        return self.companies[key]

    def _readable(self, ids):
        """The ids among ``ids`` of the clients the importing user may read: a row never
        matches (updates, or fails on) a client of a company the user does not work in."""
        if not ids or self.env.su:
            return set(ids)
        return set(self.env["res.partner"].with_context(active_test=False)._search([("id", "in", list(set(ids)))]))

    # -- matching --------------------------------------------------------
    def _row_keys(self, row):
        keys = []
        for kind in self.options["match_on"]:
            if kind == "ref" and row.ref:
                keys.append(("ref", row.ref))
            elif kind == "email":
                keys.extend(("email", email) for email in row.emails)
            elif kind == "phone":
                keys.extend(("phone", e164) for e164, _display in row.phones)
            elif kind == "vat" and row.vat:
                keys.append(("vat", row.vat))
        name = (row.vals.get("name") or "").strip().lower()
        if row.vals.get("company_type") == "company" and name:
            keys.append(("company", name))
        if not keys and name:
            # nothing identifies the row: the same name is the same client (a file
            # imported twice must not create its clients twice)
            keys.append(("name", name))
        return keys

    def _prefetch_matches(self, rows):
        """Look the keys of the batch up in the database at once."""
        wanted = {}
        for row in rows:
            for kind, key in self._row_keys(row):
                if (kind, key) not in self.known:
                    wanted.setdefault(kind, set()).add(key)
        cr = self.env.cr
        candidates = []  # (key, partner id), best first per key
        if wanted.get("ref"):
            cr.execute(SQL("SELECT ref, id FROM res_partner WHERE ref = ANY(%s) ORDER BY id", list(wanted["ref"])))
            candidates += [(("ref", key), pid) for key, pid in cr.fetchall()]
        if wanted.get("vat"):
            cr.execute(
                SQL(
                    """SELECT upper(replace(vat, ' ', '')), id FROM res_partner
                        WHERE upper(replace(vat, ' ', '')) = ANY(%s) AND (parent_id IS NULL OR is_company)
                        ORDER BY id""",
                    list(wanted["vat"]),
                )
            )
            candidates += [(("vat", key), pid) for key, pid in cr.fetchall()]
        if wanted.get("email"):
            emails = list(wanted["email"])
            if self.lines[1]:
                cr.execute(
                    SQL(
                        """SELECT email, partner_id FROM res_partner_email
                            WHERE email = ANY(%s) ORDER BY partner_id""",
                        emails,
                    )
                )
                candidates += [(("email", key), pid) for key, pid in cr.fetchall()]
            cr.execute(
                SQL("SELECT email_normalized, id FROM res_partner WHERE email_normalized = ANY(%s) ORDER BY id", emails)
            )
            candidates += [(("email", key), pid) for key, pid in cr.fetchall()]
        if wanted.get("phone"):
            phones = list(wanted["phone"])
            if self.lines[0]:
                cr.execute(
                    SQL(
                        """SELECT number_e164, partner_id FROM res_partner_phone
                            WHERE number_e164 = ANY(%s) ORDER BY partner_id""",
                        phones,
                    )
                )
                candidates += [(("phone", key), pid) for key, pid in cr.fetchall()]
            cr.execute(
                SQL("SELECT phone_sanitized, id FROM res_partner WHERE phone_sanitized = ANY(%s) ORDER BY id", phones)
            )
            candidates += [(("phone", key), pid) for key, pid in cr.fetchall()]
        if wanted.get("company"):
            cr.execute(
                SQL(
                    "SELECT lower(name), id FROM res_partner WHERE is_company AND lower(name) = ANY(%s) ORDER BY id",
                    list(wanted["company"]),
                )
            )
            candidates += [(("company", key), pid) for key, pid in cr.fetchall()]
        if wanted.get("name"):
            cr.execute(
                SQL(
                    "SELECT lower(name), id FROM res_partner WHERE lower(name) = ANY(%s) ORDER BY id",
                    list(wanted["name"]),
                )
            )
            candidates += [(("name", key), pid) for key, pid in cr.fetchall()]
        readable = self._readable([pid for _key, pid in candidates])
        for key, pid in candidates:
            if pid in readable and key not in self.known:
                self.known[key] = ("id", pid)

    def _match(self, row):
        for key in self._row_keys(row):
            if key in self.known:
                value = self.known[key]
                if value in self.resolved:
                    return ("id", self.resolved[value])
                return value
        return None

    def _register(self, row, plan_key):
        for key in self._row_keys(row):
            self.known.setdefault(key, plan_key)
        if row.vals.get("name"):
            self.known.setdefault(("name", row.vals["name"].strip().lower()), plan_key)
        if row.vals.get("company_type") == "company" and row.vals.get("name"):
            company = plan_key[1] if plan_key[0] == "id" else plan_key
            self.companies.setdefault(row.vals["name"].strip().lower(), company)

    # -- writing ---------------------------------------------------------
    def _write_plans(self, plans):
        if not plans:
            return
        try:
            plans = sorted(plans, key=lambda p: not p.is_company)
            with self.env.cr.savepoint():
                # new companies first (the persons of the batch link to them), in one create
                outcome = self._create_many([p for p in plans if not p.partner_id and p.is_company])
                self._prefetch_ids = tuple(plan.partner_id for plan in plans if plan.partner_id)
                outcome += [self._write_plan(plan) for plan in plans if plan.partner_id]
                outcome += self._create_many([p for p in plans if not p.partner_id and not p.is_company])
        except Exception as exc:
            _logger.info("Client import: batch failed (%s), retrying its clients one by one", exc)
            self._reset_caches()
            outcome = []
            for plan in plans:
                try:
                    with self.env.cr.savepoint():
                        outcome.append(self._write_plan(plan))
                except Exception as row_exc:
                    self._reset_caches()
                    message = _error_message(self.env, row_exc)
                    for number in plan.rows:
                        self.errors.append({"row": number, "column": "", "message": message})
                        self.error_rows.append((number, plan.raws.get(number, []), [message]))
                        self.skipped += 1
                    if not plan.partner_id:
                        forgotten = ("new", plan.rows[0])
                        self.known = {k: v for k, v in self.known.items() if v != forgotten}
                        self.companies = {k: v for k, v in self.companies.items() if v != forgotten}
        for plan, (state, partner_id, manager_id) in outcome:
            if manager_id and manager_id != self.env.uid:
                self.assigned[manager_id] = self.assigned.get(manager_id, 0) + 1
            if state == "created":
                self.created += 1
                self.updated += len(plan.rows) - 1
            elif state == "updated":
                self.updated += len(plan.rows)
            else:
                self.unchanged += len(plan.rows)
            self.partner_ids.append(partner_id)
            if not plan.partner_id:
                self.resolved[("new", plan.rows[0])] = partner_id

    def _reset_caches(self):
        self._tags = None
        self._sources = None
        # companies created in the rolled back savepoint are gone: look them up again
        self.companies = {k: v for k, v in self.companies.items() if isinstance(v, tuple)}
        self.env.invalidate_all()

    def _create_vals(self, plan):
        vals = dict(plan.vals)
        if plan.parent:
            vals["parent_id"] = self._parent_id(plan.parent)
        if plan.source:
            vals["acquisition_source_id"] = self._source_id(plan.source)
        tag_ids = self._tag_ids(plan.tags) if plan.tags else []
        vals.setdefault("user_id", self.env.user.id if self.env.user._is_internal() else False)
        if tag_ids:
            vals["category_id"] = [fields.Command.set(tag_ids)]
        if vals.get("comment"):
            vals["comment"] = plaintext2html(vals["comment"])
        vals.update(self._channel_create_vals(plan))
        return vals

    def _create_many(self, plans):
        """Create the clients of several plans in one ``create`` (fast path of a batch).
        ``create`` gives the clients without a code one from the sequence, in one query."""
        if not plans:
            return []
        vals_list = [self._create_vals(plan) for plan in plans]
        partners = self.partners.with_context(tracking_disable=True).create(vals_list)
        outcome = []
        for plan, partner, vals in zip(plans, partners, vals_list, strict=True):
            if plan.is_company and plan.name:
                self.companies[plan.name.strip().lower()] = partner.id
            outcome.append((plan, ("created", partner.id, vals.get("user_id"))))
        return outcome

    def _parent_id(self, name):
        target = self.companies.get(name.strip().lower())
        if isinstance(target, tuple):
            # a company row of the file: written before the persons of its batch
            target = self.resolved.get(target) if target[0] == "new" else target[1]
        return target or self._company_id(name)

    def _write_plan(self, plan):
        """Write one plan on its own (the slow path, used when a batch failed)."""
        if not plan.partner_id:
            return self._create_many([plan])[0]
        vals = dict(plan.vals)
        if plan.parent:
            vals["parent_id"] = self._parent_id(plan.parent)
        if plan.source:
            vals["acquisition_source_id"] = self._source_id(plan.source)
        tag_ids = self._tag_ids(plan.tags) if plan.tags else []
        partner = (
            self.partners.browse(plan.partner_id).with_prefetch(self._prefetch_ids).with_context(active_test=False)
        )
        changes = {}
        overwrite = self.options["overwrite"]
        for field_name, value in vals.items():
            current = partner[field_name]
            if isinstance(current, models.BaseModel):
                current = current.id
            if field_name == "comment":
                current = _html_to_text(current)
                if current and value and value not in current and not overwrite:
                    # a note typed in Odoo is never replaced: the file's note is added to it
                    changes["comment"] = plaintext2html(f"{current}\n\n{value}")
                    continue
            if (current or False) != (value or False) and (overwrite or not current):
                # without the overwrite option, only empty fields are filled
                changes[field_name] = plaintext2html(value) if field_name == "comment" else value
        missing_tags = [tid for tid in tag_ids if tid not in partner.category_id.ids]
        if missing_tags:
            changes["category_id"] = [fields.Command.link(tid) for tid in missing_tags]
        changes.update(self._channel_update_vals(partner, plan))
        if changes:
            partner.write(changes)
            return plan, ("updated", partner.id, changes.get("user_id"))
        return plan, ("unchanged", partner.id, False)

    def _phone_line_defaults(self):
        """Defaults of a new phone line, computed once per import instead of once per line."""
        if self._phone_defaults is None:
            Line = self.env["res.partner.phone"]
            names = [name for name in ("type_id", "sms", "whatsapp", "viber") if name in Line._fields]
            self._phone_defaults = Line.default_get(names)
        return self._phone_defaults

    def _channel_create_vals(self, plan):
        vals = {}
        has_phone_lines, has_email_lines = self.lines
        if plan.phones:
            if has_phone_lines:
                defaults = self._phone_line_defaults()
                vals["phone_ids"] = [
                    fields.Command.create(
                        dict(
                            defaults,
                            **_phone_flags(plan, e164),
                            number=display,
                            is_primary=not index,
                            sequence=index + 1,
                        )
                    )
                    for index, (e164, display) in enumerate(plan.phones)
                ]
            # the native field equals the primary line (no write-back after the lines)
            vals["phone"] = plan.phones[0][1]
        if plan.emails:
            if has_email_lines:
                vals["email_ids"] = [
                    fields.Command.create(
                        {"email": email, "is_primary": not index, "sequence": index + 1, "consent": True}
                        | _email_flags(plan, email)
                    )
                    for index, email in enumerate(plan.emails)
                ]
            vals["email"] = plan.emails[0]
        return vals

    def _channel_update_vals(self, partner, plan):
        """New numbers and e-mails are added; existing ones are never removed. A "No" of the
        file unticks an existing line (an opt-out, written to the blacklist by the line);
        a "Yes" never ticks one: it would lift an opt-out."""
        vals = {}
        has_phone_lines, has_email_lines = self.lines
        if plan.phones:
            if has_phone_lines:
                lines = {line.number_e164: line for line in partner.phone_ids}
                new = [
                    {"number": display, **_phone_flags(plan, e164)}
                    for e164, display in plan.phones
                    if e164 not in lines
                ]
                commands = [
                    fields.Command.update(line.id, {"sms": False})
                    for e164, line in lines.items()
                    if line.sms and plan.sms.get(e164) is False
                ]
                if new:
                    commands += _append_lines(partner.phone_ids, new)
                if commands:
                    vals["phone_ids"] = commands
            elif not partner.phone:
                vals["phone"] = plan.phones[0][1]
        if plan.emails:
            if has_email_lines:
                lines = {(line.email or "").lower(): line for line in partner.email_ids}
                new = [{"email": email, **_email_flags(plan, email)} for email in plan.emails if email not in lines]
                commands = [
                    fields.Command.update(line.id, {"consent": False})
                    for email, line in lines.items()
                    if line.consent and plan.consent.get(email) is False
                ]
                if new:
                    commands += _append_lines(partner.email_ids, new)
                if commands:
                    vals["email_ids"] = commands
            elif not partner.email:
                vals["email"] = plan.emails[0]
        return vals


def _phone_flags(plan, e164):
    """The SMS box of a new line, when the file says it (a number on Odoo's phone blacklist
    stays unticked whatever the file says: the line takes it from the blacklist)."""
    return {"sms": plan.sms[e164]} if e164 in plan.sms else {}


def _email_flags(plan, email):
    return {"consent": plan.consent[email]} if email in plan.consent else {}


def _append_lines(lines, new_vals):
    """Commands creating ``new_vals`` after the existing ``lines``; the first new one is
    primary only when no line is."""
    first_is_primary = not any(lines.mapped("is_primary"))
    start = len(lines) + 1
    return [
        fields.Command.create({**vals, "is_primary": first_is_primary and not index, "sequence": start + index})
        for index, vals in enumerate(new_vals)
    ]


def _error_message(env, exc):
    if isinstance(exc, UserError | ValidationError | AccessError):
        return str(exc.args[0]) if exc.args else str(exc)
    return env._("This row could not be saved: %(error)s", error=str(exc).strip().splitlines()[0] if str(exc) else exc)


def _message(env, exc):
    """The user-facing text of an :class:`parse.ImportFileError` / :class:`parse.CellError`,
    in the user's language."""
    message = exc.args[0] if exc.args else ""
    if isinstance(message, LazyGettext):
        return message._translate(env.lang or "en_US")
    return str(message)
