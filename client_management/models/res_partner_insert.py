"""The clients an import creates are inserted with what Odoo computes for them right after.

``create`` inserts a new partner, then computes its stored computed fields and writes them with
an ``UPDATE``: a second version of every new row, in each of the table's forty-odd indexes
(``commercial_partner_id`` changes, so PostgreSQL cannot update the row in place). For a client
without a parent company (no ``parent_id``, no ``company_name``), these values are known before
the row exists, once its id is: it is its own commercial partner, its display name is its
name (and, for a company, its commercial company name), it is no user's partner, and its
birthday key is that of its birthdate. When ``create`` is called with an :class:`InsertKnown`
in the context (only the importer does, no context sent over RPC can hold one), the ids of such
clients are drawn from the table's sequence first and those values are inserted with the rows;
Odoo does not compute them again. Each field only while no installed app computes it otherwise
(the compute methods are Odoo's own, no field is its inverse, no app computes what it is
computed from); whatever the values, the defaults, or another app's ``create`` leave different
(a parent company, a user) is computed by Odoo as without the addon. ``test_import_insert``
compares every value with Odoo's ``create``. (``precompute=True``, Odoo's way of computing a
field before the insert, cannot serve here: it computes on a new record without an id, and for
the addon's own ``birthday_key`` it would build such a record for every client.)
"""

from odoo import api, fields, models
from odoo.addons.base.models.res_partner import ResPartner as BasePartner
from odoo.tools import SQL

from .res_partner_birthday import ResPartner as BirthdayPartner

# Context key of an InsertKnown
INSERT_KEY = "cm_insert_known"


class InsertKnown:
    """Context value asking ``res.partner._create`` to insert the values Odoo would compute
    right after (see the module). Only an object of this class counts."""

    __slots__ = ()


# The one InsertKnown the importer gives (the same context each time: Odoo reuses its environment)
INSERT_KNOWN = InsertKnown()


def _own_company(stored):
    """A client without a parent company: its own commercial partner."""
    return not stored.get("parent_id") and not stored.get("company_name") and isinstance(stored.get("name"), str)


def _birthday_key(stored, id_):
    date = fields.Date.to_date(stored.get("birthdate"))
    return date.month * 100 + date.day if date else 0


def _always(stored):
    return True


def _commercial_company_name(stored, id_):
    return (stored.get("is_company") and stored["name"]) or stored.get("company_name")


# (field, the class defining the methods computing it, those methods, which new rows it applies
# to, its value from the row's values and id)
_KNOWN = (
    ("commercial_partner_id", BasePartner, ("_compute_commercial_partner",), _own_company, lambda s, id_: id_),
    (
        "complete_name",
        BasePartner,
        ("_compute_complete_name", "_get_complete_name"),
        _own_company,
        lambda stored, id_: stored["name"].strip(),
    ),
    (
        "commercial_company_name",
        BasePartner,
        ("_compute_commercial_company_name",),
        _own_company,
        _commercial_company_name,
    ),
    # a new client whose values give no user is no internal user's partner
    (
        "partner_share",
        BasePartner,
        ("_compute_partner_share",),
        lambda stored: not stored.get("user_ids"),
        lambda stored, id_: True,
    ),
    ("birthday_key", BirthdayPartner, ("_compute_birthday_key",), _always, _birthday_key),
)


class ResPartner(models.Model):
    # res.partner is extended by concern (card, channels, invoicing, search), files under 400 lines
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _create(self, data_list):
        if not isinstance(self.env.context.get(INSERT_KEY), InsertKnown):
            return super()._create(data_list)
        inserted = self._cm_insert_known([data["stored"] for data in data_list])
        records = super()._create(data_list)
        for field, indexes in inserted:
            self.env.remove_to_compute(field, records.browse([records._ids[index] for index in indexes]))
        return records

    def _cm_insert_known(self, stored_list):
        """Put the known values in the rows' values; returns [(field, indexes of the rows)]."""
        known = self._cm_known_fields()
        if not known:
            return []
        ids = {}
        if any(entry[0] == "commercial_partner_id" for entry in known):
            own = [index for index, stored in enumerate(stored_list) if _own_company(stored)]
            ids = dict(zip(own, self._cm_draw_ids(len(own)), strict=True))
        inserted = []
        for name, _owner, _methods, applies, value in known:
            indexes = [index for index, stored in enumerate(stored_list) if applies(stored)]
            for index in indexes:
                stored_list[index][name] = value(stored_list[index], ids.get(index))
            inserted.append((self._fields[name], indexes))
        for index, id_ in ids.items():
            stored_list[index]["id"] = id_
        return inserted

    def _cm_known_fields(self):
        """The entries of _KNOWN whose field is computed by its own methods (no app overrides
        them, no other field is its inverse) from fields that are either not computed or known
        too: a value an app computes after the insert would not reach an inserted field."""
        model = type(self)
        known = {}
        for entry in _KNOWN:
            field = self._fields.get(entry[0])
            methods = entry[2]
            if field is None or not field.store or field.compute != methods[0] or self.pool.field_inverses[field]:
                continue
            if all(getattr(model, method) is getattr(entry[1], method) for method in methods):
                known[field.name] = entry
        while True:
            computed_otherwise = [name for name in known if not self._cm_depends_only_on(name, known)]
            if not computed_otherwise:
                return list(known.values())
            for name in computed_otherwise:
                del known[name]

    def _cm_depends_only_on(self, name, known):
        """Does the field ``name`` depend only on fields that are not computed or in ``known``?"""
        for path in self.pool.field_depends[self._fields[name]]:
            first = self._fields[path.split(".")[0]]
            if first.compute and first.name not in known:
                return False
        return True

    def _cm_draw_ids(self, count):
        """``count`` ids from the sequence of ``res_partner.id`` (as an INSERT draws them)."""
        if not count:
            return []
        self.env.cr.execute(
            SQL(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                self._table,
                count,
            )
        )
        return [id_ for (id_,) in self.env.cr.fetchall()]
