"""Looking many keys up by equality at once, always through a b-tree index.

The importer and the client codes look up a batch of keys at a time (a thousand codes,
e-mails, numbers: ``key = ANY(...)``). PostgreSQL chooses between reading the table whole,
a bitmap of an index, and the index's plain scans from its statistics, and two of its choices
go wrong as a table grows:

* the client list searches codes, e-mails and numbers by any part of them, served by trigram
  indexes (``res_partner_invoicing_stat.TRIGRAM_INDEXES``). PostgreSQL can answer an equality
  with such an index too, and chooses it when it believes it cheaper than the b-tree (a b-tree
  bloated by many updates, a trigram index just built): client codes share most of their
  trigrams ("C000123" and "C000124"), so the trigram index then reads nearly every client for
  each code, and an import slows down a hundredfold as it grows. A trigram index is only read
  through bitmap scans;
* a table that was small when last analysed (an import into a new database writes its
  clients in one transaction) is read whole for each batch of keys, with every row the
  import has written so far: each batch costs more than the one before.

The lookups run without bitmap scans and without whole-table reads: each key is one descent
of its b-tree, whatever the size of the table.
"""

import contextlib

from odoo.tools import SQL

_SETTINGS = ("enable_bitmapscan", "enable_seqscan")


@contextlib.contextmanager
def index_lookups(cr):
    """The queries run inside read the tables through plain index scans (a table without an
    index for the query is still read whole). They run in a savepoint: when the block fails,
    its rollback restores the settings with it; otherwise they are restored at its end."""
    with cr.savepoint(flush=False):
        cr.execute(SQL("SELECT %s", SQL(", ").join(SQL("current_setting(%s)", name) for name in _SETTINGS)))
        previous = cr.fetchone()
        cr.execute(SQL("SELECT %s", SQL(", ").join(SQL("set_config(%s, 'off', true)", name) for name in _SETTINGS)))
        yield
        restore = SQL(", ").join(
            SQL("set_config(%s, %s, true)", name, value) for name, value in zip(_SETTINGS, previous, strict=True)
        )
        cr.execute(SQL("SELECT %s", restore))
