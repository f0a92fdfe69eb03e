"""Step 5 of the import: writing what the rows of a batch planned.

A :class:`Plan` gathers what will be written for one client (a new one, or a matched one);
several rows of the file can end up in one plan. ``WritingStep`` (part of ``run.Importer``)
writes the plans of a batch in one savepoint (new companies first, then updates, then the other
new clients in one ``create``); when the batch fails, its plans are written one by one and a
plan that still fails is reported on its rows. The contact lines are ``channels``' part.
"""

import logging

from odoo import fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, plaintext2html

from ..models.res_partner_insert import INSERT_KEY, INSERT_KNOWN
from ..models.res_partner_phone import SYNC_KEY
from .common import html_to_text
from .precompute import add_precomputed, keep_precomputed
from .tags import link_tags

_logger = logging.getLogger(__name__)


class Plan:
    """What will be written for one client: a new one (``partner_id`` False) or an
    existing one. Several rows of the file can end up in one plan (in-file matches)."""

    __slots__ = (
        "changed",
        "consent",
        "emails",
        "is_company",
        "name",
        "parent",
        "partner_id",
        "phone_flags",
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
        self.changed = ()  # the fields the update of an existing client wrote
        self.rows = []
        self.raws = {}
        self.vals = {}
        self.emails = []
        self.phones = []  # (e164, display)
        self.sms = {}  # e164 -> the file's SMS Yes / No
        self.phone_flags = {}  # e164 -> the type, WhatsApp, Viber of its new line (rows.Row)
        self.consent = {}  # e-mail -> the file's consent Yes / No
        self.tags = []
        self.parent = None
        self.source = None
        self.is_company = False
        self.name = None

    def merge(self, row, overwrite=False):
        """Add a row of the client: its numbers, e-mails and tags are added; its values fill
        what the earlier rows left empty (replace them with ``overwrite``)."""
        self.rows.append(row.number)
        self.raws[row.number] = row.raw
        for key, value in row.vals.items():
            if overwrite or key not in self.vals:
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
            self.phone_flags.setdefault(phone[0], {}).update(row.phone_flags.get(phone[0], {}))
        for tag in row.tags:
            if tag.lower() not in {t.lower() for t in self.tags}:
                self.tags.append(tag)
        if row.parent and (overwrite or not self.parent):
            self.parent = row.parent
        if row.source and (overwrite or not self.source):
            self.source = row.source
        if self.vals.get("company_type"):
            self.is_company = self.vals["company_type"] == "company"
        if self.vals.get("name"):
            self.name = self.vals["name"]


class WritingStep:
    """Writing plans (mixed into ``run.Importer``: ``partners``, ``companies``, ``resolved``,
    ``known``, counters, caches of tags and sources)."""

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
                        # the persons of the batch naming this company row look it up by name
                        forgotten = ("new", plan.rows[0])
                        self.companies = {k: v for k, v in self.companies.items() if v != forgotten}
        for plan, (state, partner_id, manager_id) in outcome:
            if manager_id and manager_id != self.env.uid:
                self.assigned[manager_id] = self.assigned.get(manager_id, 0) + 1
            if state == "created":
                self.created += 1
                self.new_clients.add(partner_id, plan.rows[0])
                self.updated += len(plan.rows) - 1
            elif state == "updated":
                self.updated += len(plan.rows)
                changes = self.report["changes"]
                for field_name in plan.changed:
                    changes[field_name] = changes.get(field_name, 0) + 1
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
        if "company_type" in vals:
            # what its inverse writes after the insert, inserted with the client
            vals["is_company"] = vals.pop("company_type") == "company"
        if plan.parent:
            vals["parent_id"] = self._parent_id(plan.parent)
        if plan.source:
            vals["acquisition_source_id"] = self._source_id(plan.source)
        vals.setdefault("user_id", self.env.user.id if self.env.user._is_internal() else False)
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
        precomputed = add_precomputed(self.partners, plans, vals_list)
        # the lines are created below, in bulk: not by the client's create from its native fields
        # the values Odoo computes right after are inserted with the new clients where known
        creating = self.partners.with_context(tracking_disable=True, **{SYNC_KEY: True, INSERT_KEY: INSERT_KNOWN})
        partners = creating.create(vals_list).with_context(**{INSERT_KEY: None})
        keep_precomputed(partners, precomputed)
        _skip_empty_images(partners, vals_list)
        link_tags(partners, [self._tag_ids(plan.tags) if plan.tags else () for plan in plans])
        self._create_lines(plans, partners.ids)
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
                current = html_to_text(current)
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
        plan.changed = tuple(changes)
        if changes:
            partner.write(changes)
            return plan, ("updated", partner.id, changes.get("user_id"))
        return plan, ("unchanged", partner.id, False)

    # -- what the plans name: tags, channels, companies (created when missing) -----
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
            # the same candidates as a row's: active, of the current company or shared
            self.env.cr.execute(
                SQL(
                    "SELECT p.id FROM res_partner p WHERE p.is_company AND lower(p.name) = %s AND p.active AND %s "
                    "ORDER BY p.id",
                    key,
                    self._scope(),
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
                    .create({"name": name.strip(), "is_company": True})
                    .id
                )
        return self.companies[key]


class ChangesStep:
    """The dry run's count of the clients each field would change (mixed into ``run.Importer``)."""

    # fields written by the update of a client -> the target whose label the report shows
    TARGET_OF = {
        "phone_ids": "phone",
        "phone": "phone",
        "email_ids": "email",
        "email": "email",
        "category_id": "category",
        "parent_id": "parent",
        "acquisition_source_id": "acquisition_source",
        "user_id": "user",
        "country_id": "country",
    }

    def _changes_by_label(self):
        """{field label: number of existing clients whose field the import changes}."""
        fields_ = self.env["res.partner"]._fields
        result = {}
        for field_name, count in self.report["changes"].items():
            target = self.TARGET_OF.get(field_name, field_name)
            if target in self.labels:
                label = self.labels[target]
            elif field_name in fields_:
                label = fields_[field_name]._description_string(self.env)
            else:
                label = field_name
            result[label] = result.get(label, 0) + count
        return result


def _skip_empty_images(partners, vals_list):
    """The resized copies of the image of clients created without one are empty, as they are
    in the cache after the insert: they are not computed one client at a time at the flush."""
    if any(vals.get("image_1920") for vals in vals_list):
        return
    for field in partners._fields.values():
        if isinstance(field, fields.Image) and field.store and field.related == "image_1920":
            partners.env.remove_to_compute(field, partners)


def _error_message(env, exc):
    if isinstance(exc, UserError | ValidationError | AccessError):
        return str(exc.args[0]) if exc.args else str(exc)
    return env._("This row could not be saved: %(error)s", error=str(exc).strip().splitlines()[0] if str(exc) else exc)
