from collections import defaultdict

from markupsafe import Markup

from odoo import api, models
from odoo.tools import format_amount

# (document kind, event) -> message subtype; customer documents land in the client's
# timeline, vendor documents in the supplier's.
_CUSTOMER_TYPES = ("out_invoice", "out_refund", "out_receipt")
_VENDOR_TYPES = ("in_invoice", "in_refund", "in_receipt")
_SUBTYPES = {
    ("customer", "posted"): "client_management.mt_invoice_posted",
    ("customer", "payment"): "client_management.mt_invoice_payment",
    ("customer", "cancel"): "client_management.mt_invoice_cancelled",
    ("customer", "draft"): "client_management.mt_invoice_draft",
    ("vendor", "posted"): "client_management.mt_bill_posted",
    ("vendor", "payment"): "client_management.mt_bill_payment",
    ("vendor", "cancel"): "client_management.mt_bill_cancelled",
    ("vendor", "draft"): "client_management.mt_bill_draft",
}
_TIMELINE_KEY = "client_management.timeline"
_STATS_KEY = "client_management.stat_partners"
_PAYMENT_KEY = "client_management.payment_states"


class AccountMove(models.Model):
    _inherit = "account.move"

    # The per-client refresh of the figures reads a client's posted documents by this index.
    _cm_commercial_partner_idx = models.Index("(commercial_partner_id, company_id) WHERE state = 'posted'")

    @api.onchange("partner_id")
    def _onchange_partner_id_conflict_warning(self):
        if self.partner_id and self.is_invoice(include_receipts=True):
            warning = self.partner_id._get_conflict_warning()
            if warning:
                return {"warning": warning}
        return None

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        bills = posted.filtered(lambda move: move.move_type in ("in_invoice", "in_receipt"))
        suppliers = bills.commercial_partner_id.filtered(lambda partner: not partner.is_supplier)
        if suppliers:
            # Being a supplier is a fact established by accounting, whoever posts the bill.
            suppliers.sudo().write({"is_supplier": True})
        return posted

    # ------------------------------------------------------------ timeline
    def _cm_side(self):
        if self.move_type in _CUSTOMER_TYPES:
            return "customer"
        if self.move_type in _VENDOR_TYPES:
            return "vendor"
        return None

    def _cm_queue(self, events=(), stat_partner_ids=(), payment_states=None):
        """Queue timeline events and figure refreshes; they are written once, just before the
        transaction commits (so a payment reconciling ten invoices costs one refresh)."""
        data = self.env.cr.precommit.data
        if _TIMELINE_KEY not in data:
            self.env.cr.precommit.add(self._cm_precommit)
        data.setdefault(_TIMELINE_KEY, []).extend(events)
        data.setdefault(_STATS_KEY, set()).update(stat_partner_ids)
        initial = data.setdefault(_PAYMENT_KEY, {})
        for move_id, state in (payment_states or {}).items():
            initial.setdefault(move_id, state)

    def _cm_precommit(self):
        self = self.sudo()  # accounting facts, written whoever triggered them
        data = self.env.cr.precommit.data
        events = data.pop(_TIMELINE_KEY, [])
        partner_ids = data.pop(_STATS_KEY, set())
        initial = data.pop(_PAYMENT_KEY, {})
        if initial:
            # One event per document and transaction: from the payment state it had before
            # to the one it ends with (intermediate states of a reconciliation are not news).
            moves = self.browse(initial).exists()
            for move in moves:
                if move.state == "posted" and move.payment_state != initial[move.id]:
                    events.append((move.id, "payment", move.payment_state))
        if events:
            self.env.flush_all()
            self._cm_post_timeline(events)
        if partner_ids:
            # recomputed right after commit, in a short transaction of its own (see
            # res.partner.invoicing.stat): two users invoicing one client never collide
            self.env["res.partner.invoicing.stat"]._cm_queue_pending("figures", partner_ids)

    def _cm_event_body(self, event, payment_state=None):
        self.ensure_one()
        labels = dict(self._fields["move_type"]._description_selection(self.env))
        kind = labels.get(self.move_type, self.move_type)
        link = self._get_html_link(title=self.name or kind)
        amount = format_amount(self.env, self.amount_total, self.currency_id)
        if event == "posted":
            text = self.env._("%(kind)s %(link)s posted: %(amount)s")
        elif event == "cancel":
            text = self.env._("%(kind)s %(link)s cancelled: %(amount)s")
        elif event == "draft":
            text = self.env._("%(kind)s %(link)s reset to draft: %(amount)s")
        else:
            states = dict(self._fields["payment_state"]._description_selection(self.env))
            text = self.env._("%(kind)s %(link)s: %(state)s (%(amount)s, left to pay %(residual)s)")
            return Markup(text) % {
                "kind": kind,
                "link": link,
                "state": states.get(payment_state, payment_state),
                "amount": amount,
                "residual": format_amount(self.env, self.amount_residual, self.currency_id),
            }
        return Markup(text) % {"kind": kind, "link": link, "amount": amount}

    def _cm_post_timeline(self, events):
        author = self.env.user.partner_id
        existing = set(self.browse({move_id for move_id, _event, _state in events}).exists().ids)
        for move_id, event, payment_state in events:
            move = self.browse(move_id)
            if move_id not in existing or not move.commercial_partner_id:
                continue
            side = move._cm_side()
            if not side:
                continue
            # The timeline is a fact of accounting: it lands on the client whoever acts.
            move.commercial_partner_id.sudo().message_post(
                body=move.sudo()._cm_event_body(event, payment_state),
                subtype_xmlid=_SUBTYPES[side, event],
                message_type="notification",
                author_id=author.id,
            )

    def _cm_log_sent(self, recipients, author_id=None):
        """An invoice e-mailed to its customer: "Invoice sent" on the client's timeline, with
        the invoice's link and to whom it went (the e-mail itself stays on the invoice, and
        shows on the client's timeline from there, see mail.message._message_fetch)."""
        self.ensure_one()
        if self._cm_side() != "customer" or not self.commercial_partner_id:
            return
        labels = dict(self._fields["move_type"]._description_selection(self.env))
        kind = labels.get(self.move_type, self.move_type)
        body = Markup(self.env._("%(kind)s %(link)s sent by e-mail to %(recipients)s")) % {
            "kind": kind,
            "link": self._get_html_link(title=self.name or kind),
            "recipients": ", ".join(p.email_formatted or p.display_name for p in recipients)
            or self.partner_id.display_name,
        }
        client = self.commercial_partner_id
        # sudo: the timeline is a fact of the sending; the accountant may not be allowed to edit the client
        client.sudo().message_post(
            body=body,
            subtype_xmlid="client_management.mt_invoice_sent",
            message_type="notification",
            author_id=author_id or self.env.user.partner_id.id,
        )

    def write(self, vals):
        if "state" not in vals:
            return super().write(vals)
        old_states = {move.id: move.state for move in self}
        result = super().write(vals)
        events = []
        partners = set()
        posted_by_day = defaultdict(set)
        for move in self:
            if move._cm_side() and old_states.get(move.id) != move.state:
                events.append((move.id, move.state, None))
                if move.move_type in _CUSTOMER_TYPES:
                    partners.add(move.commercial_partner_id.id)
                if move.state == "posted" and move.invoice_date and move.commercial_partner_id:
                    posted_by_day[move.invoice_date].add(move.commercial_partner_id.id)
        for day, partner_ids in posted_by_day.items():  # one statement per invoice date
            self.env["res.partner"]._cm_touch_last_activity(partner_ids, day)
        if events:
            self._cm_queue(events, partners - {False})
        return result

    def _compute_field_value(self, field):
        computed = {f.name for f in self.pool.field_computed.get(field, [field])}
        watch = "payment_state" in computed or "amount_residual" in computed
        if not watch:
            return super()._compute_field_value(field)
        old = {move.id: move.payment_state for move in self if move.id} if "payment_state" in computed else {}
        result = super()._compute_field_value(field)
        partners = set()
        initial = {}
        for move in self:
            if not move.id or move.state != "posted" or not move._cm_side():
                continue
            if move.move_type in _CUSTOMER_TYPES:
                partners.add(move.commercial_partner_id.id)
            if move.id in old:
                initial[move.id] = old[move.id]
        if initial or partners:
            self._cm_queue((), partners - {False}, initial)
        return result
