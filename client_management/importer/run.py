"""One import run: the rows of the file, batch by batch, through the steps of the importer.

For every batch: each row is parsed (``rows``), matched (``matching``) and merged into the plan
of its client, then the plans are written (``writing``, ``channels``). ``Importer`` holds the
state of the run (caches, in-file matches, counters, errors) that these steps share; the
service (``models/client_import.py``) creates it once the file's headers and mapping are
checked, and turns its ``result()`` into the answer of ``import_file``.
"""

import contextlib

from odoo import fields
from odoo.tools import SQL

from ..models.res_partner_defaults import NO_DEFAULT_KEY
from .channels import ChannelsStep, has_lines
from .matching import Candidate, CreatedClients, MatchingStep, name_key
from .prefetch import phone_warmer, read_ahead
from .report import error_workbook
from .rows import RowsStep
from .writing import ChangesStep, Plan, WritingStep

COUNTERS = ("created", "updated", "skipped", "unchanged")
# Tables whose statistics the import keeps up to date (``Importer._keep_statistics``)
ANALYSED_TABLES = ("res_partner", "res_partner_phone", "res_partner_email", "res_partner_res_partner_category_rel")


class Importer(RowsStep, MatchingStep, WritingStep, ChannelsStep, ChangesStep):
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
        # in-file and database matches: (kind, key) -> [Candidate]
        self.known = {}
        self.archived_keys = {}  # (kind, key) -> {partner id: name} of the archived clients having it
        # what the report lists besides the errors (see ``result``)
        self.report = {"shared": [], "name_matches": [], "archived": [], "changes": {}}
        self.companies = {}  # lower name -> partner id, or ("new", row) of a company row
        self.resolved = {}  # ("new", row) -> id of the partner created for it
        self.new_clients = CreatedClients()  # the clients created so far, with their rows
        self.lasting = {}  # keys of written clients the database does not hold: (kind, key) -> candidates
        self._registered = []  # (key, candidate) of LASTING_KINDS given by the rows of the batch
        self._prefetch_ids = ()  # existing clients updated by the current batch
        self._countries = None
        self._analysed_rows = None  # clients in the statistics of res_partner
        self._created_at_analysis = 0
        self._users = None
        self._tags = None
        self._sources = None
        self.today = fields.Date.context_today(service)
        self.lines = has_lines(self.env, "phone_ids"), has_lines(self.env, "email_ids")
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
        # the fields without a default are not asked for again for every new client
        self.partners = self.partners.with_context(**{NO_DEFAULT_KEY: self.partners._cm_fields_without_default()})

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
            "shared": self.report["shared"],
            "name_matches": self.report["name_matches"],
            "archived": self.report["archived"],
            "changes": self._changes_by_label(),
            "_error_file": (
                error_workbook(self.env, self.headers, sorted(self.error_rows, key=lambda r: r[0]))
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

    def take_report(self):
        """The report (``shared``, ``archived``, ``name_matches``, ``changes``) of the batches
        since the previous call, forgotten here once taken (the background job stores it)."""
        report = dict(self.report, changes=self._changes_by_label())
        self.report = {"shared": [], "name_matches": [], "archived": [], "changes": {}}
        return report

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
        Returns True when the end of the file was reached. The rows are read ahead by a
        second thread (``prefetch``) while the import waits for PostgreSQL."""
        warm = phone_warmer(self.columns, self.options["default_country"], after_row)
        with contextlib.closing(read_ahead(self.reader.rows(), warm)) as rows:
            return self._run_rows(rows, after_row, on_batch)

    def _run_rows(self, rows, after_row, on_batch):
        batch = []
        size = self.options["batch_size"]
        indexes = sorted({index for index, _header, _target in self.columns})
        for number, values in rows:
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
        self._keep_statistics()
        self._process_batch(batch)
        self.forget_batch()
        go_on = on_batch(batch[-1][0], len(batch)) if on_batch else True
        # bounded memory: forget the records of the batch
        self.env.invalidate_all()
        return go_on is not False

    def _keep_statistics(self):
        """PostgreSQL plans the queries of a batch (the foreign key checks of its inserts, the
        flush's updates, matching, client codes) from its statistics of the client tables. On a
        database whose clients were few when they were last analysed, it scans those tables
        whole, with every row the import wrote in its transaction, and the import slows down as
        it goes. The tables are analysed again whenever the import has created more clients
        than they held: a few times in an import into a small database, never into a big one.
        (Only their owner may analyse them: PostgreSQL warns and goes on otherwise.)"""
        if self._analysed_rows is None:
            self._analysed_rows = self._partner_rows()
        if self.created - self._created_at_analysis <= max(self._analysed_rows, self.options["batch_size"]):
            return
        self.env.flush_all()
        for table in ANALYSED_TABLES:
            # its lock is kept until the end of the transaction: never waited for (another
            # import analysing the same table), the table is then left as it is
            self.env.cr.execute(SQL("ANALYZE (SKIP_LOCKED) %s", SQL.identifier(table)))
        self._analysed_rows = self._partner_rows()
        self._created_at_analysis = self.created

    def _partner_rows(self):
        self.env.cr.execute("SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = 'res_partner'::regclass")
        return self.env.cr.fetchone()[0]

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
            match, notes = self._decide(row)
            errors = [(note[1], note[2]) for note in notes if note[0] == "error"]
            if errors:
                self._fail(row.number, row.raw, errors)
                continue
            self._note(row, notes)
            plan_key = match.plan if match else None
            if plan_key is None:
                if mode == "update":
                    self.skipped += 1
                    continue
                if not row.vals.get("name"):
                    column = self._header_of("name") or self.labels["name"]
                    self._fail(row.number, row.raw, [(column, self.env._("A new client needs a name."))])
                    continue
                plan_key = ("new", row.number)
                match = Candidate(plan_key, name_key(row.vals["name"]), self._row_label(row))
                plans[plan_key] = Plan()
                order.append(plan_key)
            elif plan_key not in plans:
                if mode == "create":
                    self.skipped += 1
                    continue
                plans[plan_key] = Plan(plan_key[1])
                order.append(plan_key)
            self._register(row, match)
            plans[plan_key].merge(row, self.options["overwrite"])
        self._write_plans([plans[key] for key in order])

    def _header_of(self, target):
        for _index, header, col_target in self.columns:
            if col_target == target:
                return header
        return False
