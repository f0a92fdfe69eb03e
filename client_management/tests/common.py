from odoo.tests.common import TransactionCase, new_test_user


class ClientCase(TransactionCase):
    """Shared fixtures: real users of each Clients group and of accounting."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False, mail_notrack=False))
        cls.Partner = cls.env["res.partner"]
        cls.client_user = new_test_user(
            cls.env,
            login="cm_user",
            name="Clara User",
            groups="client_management.group_client_user,base.group_allow_export",
        )
        cls.client_manager = new_test_user(
            cls.env,
            login="cm_manager",
            name="Mark Manager",
            groups="client_management.group_client_manager,base.group_allow_export",
        )
        cls.plain_user = new_test_user(
            cls.env,
            login="cm_plain",
            name="Paul Plain",
            groups="base.group_user",
        )

    def flush_tracking(self):
        """Run the precommit hooks as a commit would: tracking of the pending changes is
        written, and records created in this transaction become trackable. The clients'
        bookkeeping that lands right after a commit (last / next activity dates, invoicing
        figures: see res.partner.invoicing.stat._cm_apply_pending) is applied too."""
        self.env.flush_all()
        self.env.cr.flush()
        self.env["res.partner.invoicing.stat"]._cm_apply_pending()

    def tracked_values(self, partner, field_name):
        """(old, new) display values of tracking messages of ``field_name`` on ``partner``."""
        self.flush_tracking()
        values = partner.message_ids.sudo().tracking_value_ids.filtered(lambda t: t.field_id.name == field_name)
        self.env.flush_all()
        return [
            (
                v.old_value_char or v.old_value_text or v.old_value_integer or v.old_value_datetime or False,
                v.new_value_char or v.new_value_text or v.new_value_integer or v.new_value_datetime or False,
            )
            for v in values
        ]
