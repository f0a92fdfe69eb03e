"""The client importer and exporter: one service (``client.import``) that the wizard, the
background job and RPC callers all use.

The work is done by the ``client_management.importer`` package, whose modules follow a row one
way: ``reader`` (the file → rows; ``reader_xlsx``, ``reader_xls``, ``reader_ods``,
``reader_csv``) → ``headers`` (which column holds what) → ``values`` and ``rows`` (a row → its
values) → ``matching`` (which client a row is about) → ``writing`` and ``channels`` (the writes,
by batches, each in its own savepoint) → ``report`` (the error workbook, the template, the
export). ``run.Importer`` holds the state of one import. This service checks the rights, the
options and the mapping, runs the import in the right transaction, and answers the callers.

A file refused as a whole writes nothing. The background job (``client.import.job``) imports a
file batch by batch instead (``_import_resumable``): the outcome of every batch is handed to the
job, which stores it with its checkpoint in the batch's own transaction.
"""

import base64

from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import plaintext2html
from odoo.tools.sql import column_exists, create_index

from ..importer import report
from ..importer.common import ImportFileError, message
from ..importer.defaults import guess_country
from ..importer.headers import (
    ALL_TARGETS,
    MULTI_TARGETS,
    guess_mapping,
    guess_target,
    headers_language,
    target_labels,
)
from ..importer.matching import MATCH_KEYS
from ..importer.preview import preview
from ..importer.reader import open_file
from ..importer.run import COUNTERS, Importer

__all__ = ["COUNTERS", "ClientImport"]

BATCH_SIZE = 500
MODES = ("create_update", "create", "update")


class _DryRunRollback(Exception):
    """Raised at the end of a dry run to roll the whole import back."""


class ClientImport(models.AbstractModel):
    _name = "client.import"
    _description = "Client import and export service"

    # the indexes of the import's match keys that Odoo does not create (``importer.matching``;
    # ``ref``, the lines' ``email`` and ``number_e164`` have theirs): name, column, expression;
    # partial (only the partners having the value) but the name's, which every client has
    MATCH_INDEXES = (
        ("res_partner_cm_lower_name_index", "name", "lower(name)"),
        ("res_partner_cm_vat_key_index", "vat", "upper(replace(vat, ' ', ''))"),
        ("res_partner_cm_email_normalized_index", "email_normalized", "email_normalized"),
        ("res_partner_cm_phone_sanitized_index", "phone_sanitized", "phone_sanitized"),
    )

    def init(self):
        for name, column, expression in self.MATCH_INDEXES:
            if column_exists(self.env.cr, "res_partner", column):
                where = "" if column == "name" else f"{column} IS NOT NULL"
                create_index(self.env.cr, name, "res_partner", [expression], where=where)

    # ------------------------------------------------------------------
    # Public API
    # ------------------------------------------------------------------
    @api.model
    def import_file(self, content, filename, mapping=None, options=None):
        """Import clients from an .xlsx, .xls, .ods or .csv file.

        :param content: the file (bytes, or base64 text from RPC)
        :param filename: its name (used in messages; the format is told from the content)
        :param mapping: {column header: target key} (see ``importer.headers.ALL_TARGETS``;
            ``sms``, ``whatsapp``, ``viber``, ``email_consent``: Yes / No for all the numbers /
            e-mails of the row); headers mapped to a false value, or absent, are ignored. Without
            it, headers are recognised by name (``client.import.header``).
        :param options: ``default_country`` (ISO code for numbers written without +; when
            absent, guessed from the file as ``read_file`` does; False for none),
            ``dry_run`` (count and check, write nothing), ``match_on`` (list of ref, email,
            phone, vat; all by default), ``mode`` (create_update, create, update), ``overwrite``
            (replace filled values; off: fill empty ones), ``match_name`` (a row nothing else
            matches is matched by its exact name; off).
        :return: dict with ``created``, ``updated``, ``skipped``, ``unchanged`` (ints),
            ``errors`` (list of {row, column, message}), ``partner_ids``, and for the report
            ``shared`` ({row, key, value, clients}: a code, e-mail, number or tax number of a
            client of another name, which did not merge the row with it), ``archived`` (same, of
            archived clients, never updated), ``name_matches`` ({row, name, client, partner_id}:
            rows matched by their name alone) and ``changes`` ({field label: clients changed}).
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
        """Headers, guessed mapping, the first rows of a file (for the wizard preview) and the
        guessed default country (``default_country``: ISO code or False, ``default_country_reason``)."""
        index = self.env["client.import.header"]._header_index()
        reader = self._reader(content, filename, index)
        mapping = guess_mapping(reader.headers, index)
        try:
            preview = reader.preview(preview_rows)
        except ImportFileError as exc:
            raise UserError(message(self.env, exc)) from exc
        columns = [(i, h, mapping[h]) for i, h in enumerate(reader.headers) if mapping.get(h)]
        country, reason = guess_country(self.env, reader, columns, headers_language(reader.headers, index))
        return {
            "headers": reader.headers,
            "header_row": reader.header_row,
            "mapping": mapping,
            "default_country": country,
            "default_country_reason": reason,
            "preview": preview,
            "kind": reader.kind,
            "encoding": getattr(reader, "encoding", False),
            "delimiter": getattr(reader, "delimiter", False),
        }

    @api.model
    def preview_rows(self, content, filename, mapping=None, options=None, limit=5):
        """The first ``limit`` rows of the file as the import would store them, each with the
        client it would update and its errors (the wizard's preview; see ``importer.preview``).
        Takes the arguments of ``import_file``; reads only, writes nothing."""
        self._check_import_rights()
        options = self._normalize_options(dict(options or {}, dry_run=True))
        reader = self._reader(content, filename)
        columns = self._resolve_mapping(reader.headers, mapping)
        return preview(Importer(self, reader, columns, options), limit)

    @api.model
    def get_targets(self):
        """[(key, label)] of the fields a column can be mapped to."""
        labels = self._target_labels()
        return [(key, labels[key]) for key in ALL_TARGETS]

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
    def _reader(self, content, filename, index=None):
        """The reader of a file, whose header row has the most labels of ``index`` among the first rows."""
        if index is None:
            index = self.env["client.import.header"]._header_index()
        try:
            return open_file(self._decode_content(content), filename, lambda header: guess_target(header, index))
        except ImportFileError as exc:
            raise UserError(message(self.env, exc)) from exc

    @api.model
    def _target_labels(self):
        """{target key: label} of the fields a column can be mapped to, in the user's language."""
        return target_labels(self.env)

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
            "match_name": bool(options.get("match_name")),
            "batch_size": max(int(options.get("batch_size") or BATCH_SIZE), 1),
        }

    @api.model
    def _resolve_mapping(self, headers, mapping, index=None):
        if not mapping:
            mapping = guess_mapping(headers, index)
        columns = []
        unknown_targets = {target for target in mapping.values() if target and target not in ALL_TARGETS}
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
        single = [t for _i, _h, t in columns if t not in MULTI_TARGETS]
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
        guess = (options or {}).get("default_country") is None
        options = self._normalize_options(options or {})
        index = self.env["client.import.header"]._header_index()
        reader = self._reader(content, filename, index)
        columns = self._resolve_mapping(reader.headers, mapping, index)
        stop = self._missing_name(reader.headers, [target for _index, _header, target in columns], options["mode"])
        if stop:
            raise UserError(stop)
        # the language of the headers orders split name columns (Russian: Фамилия Имя Отчество)
        options["headers_lang"] = headers_language(reader.headers, index)
        if guess:
            options["default_country"] = guess_country(self.env, reader, columns, options["headers_lang"])[0]
        return Importer(self, reader, columns, options)

    @api.model
    def _missing_name(self, headers, targets, mode="create_update"):
        """Why an import that may create clients cannot run: no column gives their name, nor a
        company (said once, before any row is read, instead of once per row); False when it can.
        An update-only import matches on e-mails, numbers or codes and needs no name."""
        if mode == "update" or {"name", "first_name", "last_name", "parent"} & set(targets):
            return False
        return self.env._(
            "No column gives the clients' names (nor a company), so no client can be created. "
            "Columns found: %(headers)s. Map a column to “Name”, or import with “Only update existing clients”.",
            headers=", ".join(headers[:20]) + (", …" if len(headers) > 20 else ""),
        )

    @api.model
    def _count_rows(self, importer):
        """The rows of the file after the header (reading them all checks the whole file)."""
        try:
            return sum(1 for _row in importer.reader.rows())
        except ImportFileError as exc:
            raise UserError(message(self.env, exc)) from exc

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
        except ImportFileError as exc:
            self.env.invalidate_all()
            raise UserError(message(self.env, exc)) from exc
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
        except ImportFileError as exc:
            raise UserError(message(self.env, exc)) from exc

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
        return report.error_workbook(self.env, headers, error_rows)

    @api.model
    def _error_file_of(self, content, filename, errors):
        """The error workbook of an import whose errors were stored batch by batch (the
        background job): the failed rows are read again from the file."""
        messages = report.error_messages(errors)
        if not messages:
            return False
        reader = self._reader(content, filename)
        try:
            rows = [(number, values, messages[number]) for number, values in reader.rows() if number in messages]
        except ImportFileError as exc:
            raise UserError(message(self.env, exc)) from exc
        return self._error_workbook(reader.headers, rows)

    @api.model
    def get_template(self):
        """An .xlsx with the recognised headers and one example row."""
        return report.template(self.env)

    @api.model
    def export_partners(self, partner_ids):
        """An .xlsx of the clients in the import format (re-imports unchanged)."""
        self._check_export_rights()
        partners = self.env["res.partner"].browse(partner_ids)
        partners.check_access("read")
        return report.workbook([report.export_row(self.env, partner) for partner in partners], self.env._("Clients"))
