"""Step 4 of the import: finding the client a row is about, in the file (an earlier row) or
in the database.

``MatchingStep`` is the part of the importer (``run.Importer``) that builds the keys of a row
(client code, e-mails, E.164 numbers, VAT, a company's name; the name alone when nothing else
identifies the row), looks the keys of a whole batch up at once, and remembers the keys of the
rows already planned (``known``: (kind, key) → ("id", partner id) or ("new", row number)).
Only clients the importing user may read are ever matched.
"""

from odoo.tools import SQL

MATCH_KEYS = ("ref", "email", "phone", "vat")


class MatchingStep:
    """Matching rows (mixed into ``run.Importer``: ``known``, ``companies``, ``resolved``,
    ``options``, ``lines``)."""

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
