from odoo import Command, models

# Odoo's merge refuses more partners at once (base_partner_merge._merge).
MERGE_LIMIT = 3


class ResPartner(models.Model):
    # res.partner is extended by concern (card, channels, invoicing, merge), files under 400 lines
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def _cm_mergeable_duplicates(self):
        """(duplicates this user may merge into this client, [(duplicate, why not)] for the
        others): Odoo's merge refusals for this user and the clients' own
        (base.partner.merge.automatic.wizard._cm_odoo_refusal / _cm_client_refusal), tested on
        the client with every duplicate already accepted, as they all end in one client. A
        merge deletes the merged clients: only those the user may edit are offered."""
        self.ensure_one()
        Wizard = self.env["base.partner.merge.automatic.wizard"]
        group = self
        refused = []
        writable = self.duplicate_partner_ids._filtered_access("write")
        for duplicate in self.duplicate_partner_ids:
            candidates = group | duplicate
            reason = (
                (duplicate not in writable and self.env._("You may not edit this client, so you may not merge it."))
                or Wizard._cm_odoo_refusal(candidates)
                or Wizard._cm_client_refusal(candidates, self)
            )
            if reason:
                refused.append((duplicate, reason))
            else:
                group = candidates
        return group - self, refused

    def action_merge_duplicates(self):
        """The duplicates banner's Merge: Odoo's merge wizard on this client and the duplicates
        this user may merge, in groups of at most three clients (Odoo's limit per merge), each
        group proposing this client as the one to keep; the duplicates left out are named with
        the reason."""
        self.ensure_one()
        Wizard = self.env["base.partner.merge.automatic.wizard"]
        Wizard.check_access("create")
        # the kept client takes the merged clients' values: the user must be able to edit it
        self.check_access("write")
        duplicates, refused = self._cm_mergeable_duplicates()
        left_out = "\n".join(
            self.env._("%(client)s: %(reason)s", client=partner.display_name, reason=reason)
            for partner, reason in refused
        )
        if not duplicates:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "warning",
                    "sticky": True,
                    "title": self.env._("These clients cannot be merged"),
                    "message": left_out or self.env._("No other client shares a number, an address or the VAT."),
                },
            }
        step = MERGE_LIMIT - 1
        groups = [[self.id, *duplicates.ids[i : i + step]] for i in range(0, len(duplicates), step)]
        wizard = Wizard.create(
            {
                "state": "selection",
                "cm_keep_partner_id": self.id,
                "number_group": len(groups),
                "line_ids": [Command.create({"min_id": min(ids), "aggr_ids": str(ids)}) for ids in groups],
            }
        )
        action = wizard._action_next_screen()
        if not refused:
            return action
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "sticky": True,
                "title": self.env._("Some duplicates are left out of the merge"),
                "message": left_out,
                "next": action,
            },
        }
