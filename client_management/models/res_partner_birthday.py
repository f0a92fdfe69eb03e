import calendar
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists

from .res_partner import INTERNAL


class ResPartner(models.Model):
    """Birthdate and the filters *Birthday this week* / *this month*, served by an indexed
    month-and-day key."""

    # res.partner is extended by concern (card, channels, invoicing, search), files under 400 lines
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    birthdate = fields.Date(tracking=True, groups=INTERNAL)
    birthday_key = fields.Integer(
        string="Birthday (month and day)",
        compute="_compute_birthday_key",
        store=True,
        index=True,
        groups=INTERNAL,
        help="Month * 100 + day of the birthdate, used by the birthday filters.",
    )
    is_birthday_this_week = fields.Boolean(
        string="Birthday this week",
        compute="_compute_is_birthday",
        search="_search_is_birthday_this_week",
        groups=INTERNAL,
    )
    is_birthday_this_month = fields.Boolean(
        string="Birthday this month",
        compute="_compute_is_birthday",
        search="_search_is_birthday_this_month",
        groups=INTERNAL,
    )

    def _auto_init(self):
        # The ORM would compute a new stored column for every partner, rewriting their
        # write_date / write_uid: the key of partners without a birthdate (all of them, the
        # birthdate column being new too) is 0, given to every row at once by a column default.
        if not column_exists(self.env.cr, self._table, "birthday_key"):
            table = SQL.identifier(self._table)
            self.env.cr.execute(SQL("ALTER TABLE %s ADD COLUMN birthday_key int4 DEFAULT 0", table))
            self.env.cr.execute(SQL("ALTER TABLE %s ALTER COLUMN birthday_key DROP DEFAULT", table))
        return super()._auto_init()

    @api.depends("birthdate")
    def _compute_birthday_key(self):
        for partner in self:
            date = partner.birthdate
            partner.birthday_key = date.month * 100 + date.day if date else 0

    def _compute_is_birthday(self):
        today = fields.Date.context_today(self)
        week_keys = set(self._birthday_keys_of_week(today))
        for partner in self:
            key = partner.birthday_key
            partner.is_birthday_this_week = bool(key) and key in week_keys
            partner.is_birthday_this_month = bool(key) and key // 100 == today.month

    @api.model
    def _birthday_keys_of_week(self, day):
        """Month*100+day keys of the ISO week (Monday to Sunday) containing ``day``.

        Someone born on 29 February celebrates on 28 February in common years.
        """
        monday = day - timedelta(days=day.weekday())
        keys = []
        for offset in range(7):
            date = monday + timedelta(days=offset)
            keys.append(date.month * 100 + date.day)
            if date.month == 2 and date.day == 28 and not calendar.isleap(date.year):
                keys.append(229)
        return keys

    def _search_is_birthday_this_week(self, operator, value):
        today = fields.Date.context_today(self)
        keys = self._birthday_keys_of_week(today)
        return self._cm_boolean_search(operator, value, [("birthday_key", "in", keys)])

    def _search_is_birthday_this_month(self, operator, value):
        month = fields.Date.context_today(self).month
        domain = [
            ("birthday_key", ">=", month * 100 + 1),
            ("birthday_key", "<=", month * 100 + 31),
        ]
        return self._cm_boolean_search(operator, value, domain)
