"""Step 4 of the import: finding the client a row is about, in the file (an earlier row) or
in the database.

``MatchingStep`` is the part of the importer (``run.Importer``) that builds the keys of a row
(client code, e-mails, E.164 numbers, VAT; a company's name; the exact name when the
``match_name`` option is on), looks the keys of a whole batch up at once, and remembers the
keys of the batch's rows already planned (``known``: (kind, key) → a tuple of
:class:`Candidate`). Once a batch is written its clients are in the database, where the rows
of the next batches find them like any client: ``known`` holds one batch, however long the
file (``forget_batch``); of the clients the import created, only their ids and first rows are
kept (``new_clients``), so that they are matched and reported as rows of the file, and of the
keys the database may not give back (a code not written, a name written otherwise), those it
does not (``lasting``).

The rules (README, "Matching"):

- only active clients of the current company (or shared by all companies: no company) that the
  importing user may read are candidates; an archived one is never updated, it is reported;
- a code, e-mail, tax number or number matches a candidate with the same name (case,
  diacritics, spaces and word order aside); a row without a name matches when the value
  belongs to one client only. A value shared with a client of another name never merges the
  row with it: the row becomes its own client and the value is reported (``shared``), except a
  client code, which cannot belong to two clients: that row is an error;
- a company row is matched by its name (the "Company" column links persons to companies by
  name too); with ``match_name``, a row nothing else matched is matched by its exact name when
  one client has it. Both are reported (``name_matches``).
"""

import unicodedata
from array import array
from bisect import bisect_left
from collections import namedtuple

from odoo.tools import SQL

from ..tools.index_lookup import index_lookups

MATCH_KEYS = ("ref", "email", "phone", "vat")
# Keys a client written by the import may not hold in the database (a code or tax number an
# update does not overwrite, the tax number of a company's contact, a name written otherwise):
# kept from batch to batch when the database does not give them back (``_keep_lasting``)
LASTING_KINDS = ("ref", "vat", "company", "name")
MAX_LISTED = 1000  # entries of each report list (shared values, name matches, archived clients)

Candidate = namedtuple("Candidate", "plan name label")
Candidate.__doc__ = """A client a key leads to: ``plan`` ("id", partner id) or ("new", row number),
``name`` its :func:`name_key`, ``label`` its name as shown in the report."""


class CreatedClients:
    """The clients an import created, with the first row of the file of each: two arrays of
    machine integers (16 bytes a client, whatever the length of the file), ids ascending."""

    def __init__(self):
        self.ids = array("q")
        self.rows = array("q")

    def add(self, partner_id, row):
        if self.ids and partner_id < self.ids[-1]:
            index = bisect_left(self.ids, partner_id)
            self.ids.insert(index, partner_id)
            self.rows.insert(index, row)
        else:
            self.ids.append(partner_id)
            self.rows.append(row)

    def row_of(self, partner_id):
        """The row a client was created from, or None for a client the import did not create."""
        index = bisect_left(self.ids, partner_id)
        if index < len(self.ids) and self.ids[index] == partner_id:
            return self.rows[index]
        return None


def name_key(name):
    """A name as compared between a row and a client: case, diacritics, spaces and word order
    do not count ("Bērziņa  Anna" is "anna berzina")."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    return " ".join(sorted(text.split()))


def exact_name(name):
    """The key of a match on the name alone (served by the index on ``lower(name)``)."""
    return (name or "").strip().lower()


class MatchingStep:
    """Matching rows (mixed into ``run.Importer``: ``known``, ``archived_keys``, ``companies``,
    ``resolved``, ``options``, ``lines``, ``report``)."""

    def _readable(self, ids):
        """The ids among ``ids`` of the clients the importing user may read: a row never
        matches (updates, or fails on) a client of a company the user does not work in."""
        if not ids or self.env.su:
            return set(ids)
        return set(self.env["res.partner"].with_context(active_test=False)._search([("id", "in", list(set(ids)))]))

    def _scope(self):
        """Candidates belong to the current company or to none (shared by all companies):
        a client of another company is never matched, even when the user may read it."""
        return SQL("(p.company_id IS NULL OR p.company_id = %s)", self.env.company.id)

    # -- keys ------------------------------------------------------------
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
        name = exact_name(row.vals.get("name"))
        if row.vals.get("company_type") == "company" and name:
            keys.append(("company", name))
        if self.options.get("match_name") and name:
            keys.append(("name", name))
        return keys

    def _queries(self, kind, keys):
        """SQL giving (key, partner id, name, active) of the partners having one of ``keys``."""
        scope = self._scope()
        columns = SQL("p.id, p.name, p.active FROM res_partner p")
        if kind == "ref":
            yield SQL("SELECT p.ref, %s WHERE p.ref = ANY(%s) AND %s", columns, keys, scope)
        elif kind == "vat":
            yield SQL(
                """SELECT upper(replace(p.vat, ' ', '')), %s WHERE upper(replace(p.vat, ' ', '')) = ANY(%s)
                    AND (p.parent_id IS NULL OR p.is_company) AND %s""",
                columns,
                keys,
                scope,
            )
        elif kind == "email":
            if self.lines[1]:
                yield SQL(
                    "SELECT l.email, %s JOIN res_partner_email l ON l.partner_id = p.id WHERE l.email = ANY(%s) AND %s",
                    columns,
                    keys,
                    scope,
                )
            yield SQL("SELECT p.email_normalized, %s WHERE p.email_normalized = ANY(%s) AND %s", columns, keys, scope)
        elif kind == "phone":
            if self.lines[0]:
                yield SQL(
                    """SELECT l.number_e164, %s JOIN res_partner_phone l ON l.partner_id = p.id
                        WHERE l.number_e164 = ANY(%s) AND %s""",
                    columns,
                    keys,
                    scope,
                )
            yield SQL("SELECT p.phone_sanitized, %s WHERE p.phone_sanitized = ANY(%s) AND %s", columns, keys, scope)
        elif kind == "company":
            yield SQL(
                "SELECT lower(p.name), %s WHERE lower(p.name) = ANY(%s) AND p.is_company AND %s", columns, keys, scope
            )
        elif kind == "name":
            yield SQL("SELECT lower(p.name), %s WHERE lower(p.name) = ANY(%s) AND %s", columns, keys, scope)

    def _fetch(self, wanted):
        """(kind, key, partner id, name, active) of the partners having one of the keys of
        ``wanted`` ({kind: keys}), each key through its b-tree index (see tools/index_lookup)."""
        found = []
        with index_lookups(self.env.cr):
            for kind, keys in wanted.items():
                for query in self._queries(kind, sorted(keys)):
                    self.env.cr.execute(query)
                    found += [(kind, *record) for record in self.env.cr.fetchall()]
        return found

    def _prefetch_matches(self, rows):
        """Look the keys of the batch up in the database at once."""
        wanted = {}
        for row in rows:
            for kind, key in self._row_keys(row):
                if (kind, key) not in self.known:
                    wanted.setdefault(kind, set()).add(key)
        found = self._fetch(wanted)
        for kind, keys in wanted.items():
            for key in keys:
                self.known[(kind, key)] = self.lasting.get((kind, key), ())
        # the clients this import created are its own rows, whoever may read them now
        readable = self._readable({record[2] for record in found if self.new_clients.row_of(record[2]) is None})
        for kind, key, pid, name, active in sorted(found, key=lambda record: record[2]):
            row = self.new_clients.row_of(pid)
            if pid not in readable and row is None:
                continue
            if not active:
                archived = self.archived_keys.setdefault((kind, key), {})
                archived[pid] = name or ""
            elif all(c.plan != ("id", pid) for c in self.known[(kind, key)]):
                label = (name or "") if row is None else self._label(name, row)
                self.known[(kind, key)] += (Candidate(("id", pid), name_key(name), label),)

    def forget_batch(self):
        """The batch is written: its rows are now clients in the database (or errors), found
        there by the next batches. Its in-file state is dropped, so that the memory of an
        import is that of one batch; the companies of its rows keep their client's id."""
        self._keep_lasting()
        companies = {}
        for key, target in self.companies.items():
            target = self.resolved.get(target, target) if isinstance(target, tuple) else target
            if not isinstance(target, tuple):  # a company row that was not written is forgotten
                companies[key] = target
        self.companies = companies
        self.known = {}
        self.archived_keys = {}
        self.resolved = {}
        self._registered = []

    def _keep_lasting(self):
        """The keys of ``LASTING_KINDS`` the batch's rows gave their clients, that the database
        does not give back for them, are kept for the next batches (``lasting``)."""
        pending = {}
        for key, candidate in self._registered:
            plan = candidate.plan
            pid = plan[1] if plan[0] == "id" else self.resolved.get(plan)
            if pid:  # a row that was not written is forgotten
                pending.setdefault(key, {})[pid] = candidate._replace(plan=("id", pid))
        if not pending:
            return
        self.env.flush_all()
        wanted = {}
        for kind, key in pending:
            wanted.setdefault(kind, set()).add(key)
        stored = {(kind, key, pid) for kind, key, pid, _name, _active in self._fetch(wanted)}
        for (kind, key), candidates in pending.items():
            for pid, candidate in candidates.items():
                kept = self.lasting.get((kind, key), ())
                if (kind, key, pid) not in stored and all(c.plan != candidate.plan for c in kept):
                    self.lasting[(kind, key)] = (*kept, candidate)

    # -- deciding --------------------------------------------------------
    def _candidates(self, key):
        """The candidates of a key (rows of the batch, clients of the database), each once."""
        result = []
        for candidate in self.known.get(key, ()):
            if all(c.plan != candidate.plan for c in result):
                result.append(candidate)
        return result

    def _decide(self, row):
        """(the candidate the row is about or None, notes for the report). Notes are
        ("shared" | "archived", kind, key, labels), ("name", candidate) or ("error", message)."""
        name = name_key(row.vals.get("name"))
        match, notes = None, []
        keys = self._row_keys(row)
        for kind, key in keys:
            if kind in ("company", "name"):
                continue
            candidates = self._candidates((kind, key))
            if name:
                agreeing = [c for c in candidates if c.name == name]
                others = [c for c in candidates if c.name != name]
            else:  # nothing tells the clients apart: a value of one client only
                agreeing, others = (candidates, []) if len(candidates) == 1 else ([], candidates)
            if agreeing and match is None:
                match = agreeing[0]
            if others:
                notes.append(("shared", kind, key, [c.label for c in others]))
        exact = exact_name(row.vals.get("name"))
        for kind in ("company", "name"):
            if match is None and (kind, exact) in keys:
                candidates = self._candidates((kind, exact))
                if candidates and (kind == "company" or len(candidates) == 1):
                    match = candidates[0]
                    notes.append(("name", match))
        if match is None:
            notes += self._unmatched_notes(row, name, notes)
        return match, notes

    def _unmatched_notes(self, row, name, notes):
        """Why a row that matched nothing cannot become a client of its own, or what the user
        should know about it (an archived client with the same code, e-mail or number)."""
        env = self.env
        extra = []
        for _note, kind, key, labels in notes:
            if kind == "ref" and name:
                message = env._(
                    "The client code %(code)s is that of “%(client)s”, whose name is not “%(name)s”: "
                    "correct the code or the name.",
                    code=key,
                    client=labels[0],
                    name=row.vals["name"],
                )
                return [("error", self._header_of("ref") or self.labels["ref"], message)]
            if not name:
                message = env._(
                    "%(value)s belongs to several clients (%(clients)s): give the row a name to tell which one.",
                    value=key,
                    clients=", ".join(labels[:5]),
                )
                return [("error", self._header_of("name") or self.labels["name"], message)]
        for kind, key in self._row_keys(row):
            names = list(self.archived_keys.get((kind, key), {}).values())
            if not names:
                continue
            if kind == "ref":
                message = env._(
                    "The client code %(code)s is that of the archived client “%(client)s”: restore the client, "
                    "or remove the code from the row.",
                    code=key,
                    client=names[0],
                )
                return [("error", self._header_of("ref") or self.labels["ref"], message)]
            extra.append(("archived", kind, key, names))
        return extra

    def _match(self, row):
        """The plan the row is about: ("id", partner id), ("new", row number) or None."""
        match, _notes = self._decide(row)
        return match.plan if match else None

    def _row_label(self, row):
        return self._label(row.vals.get("name"), row.number)

    def _label(self, name, row):
        return self.env._("%(name)s (row %(row)s)", name=name or "", row=row)

    def _note(self, row, notes):
        """Put the notes of a row in the report (the first ``MAX_LISTED`` of each list)."""
        for note in notes:
            if note[0] == "name":
                listed = self.report["name_matches"]
                entry = {
                    "row": row.number,
                    "name": row.vals.get("name") or "",
                    "client": note[1].label,
                    "partner_id": note[1].plan[1] if note[1].plan[0] == "id" else False,
                }
            elif note[0] in ("shared", "archived"):
                listed = self.report[note[0]]
                entry = {"row": row.number, "key": note[1], "value": note[2], "clients": note[3][:10]}
            else:
                continue
            if len(listed) < MAX_LISTED:
                listed.append(entry)

    def _register(self, row, candidate):
        """The keys of ``row`` lead to ``candidate`` from now on (rows after it in the file)."""
        for key in self._row_keys(row):
            candidates = self.known.get(key, ())
            if all(c.plan != candidate.plan for c in candidates):
                self.known[key] = (*candidates, candidate)
            if key[0] in LASTING_KINDS:
                self._registered.append((key, candidate))
        if row.vals.get("company_type") == "company" and row.vals.get("name"):
            company = candidate.plan[1] if candidate.plan[0] == "id" else candidate.plan
            self.companies.setdefault(exact_name(row.vals["name"]), company)
