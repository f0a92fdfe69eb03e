"""Looking client codes up by equality, always through their b-tree index.

The client list searches codes by any part of them, served by a trigram index on ``ref``
(``res_partner_invoicing_stat.TRIGRAM_INDEXES``). PostgreSQL can answer an equality with that
index too, and chooses it when it believes it cheaper than the b-tree of ``ref`` (a b-tree
bloated by many updates, a trigram index just built): client codes share most of their
trigrams ("C000123" and "C000124"), so the trigram index then reads nearly every client for
each code, and an import looking a batch of codes up slows down a hundredfold as it grows. The
trigram index is only read through bitmap scans: the code lookups run without them.
"""

import contextlib

from odoo.tools import SQL


@contextlib.contextmanager
def btree_lookups(cr):
    """The queries run inside use no bitmap scan (until the end of the transaction when one of
    them fails: the savepoint it fails in, rolled back, restores the setting)."""
    cr.execute("SELECT current_setting('enable_bitmapscan')")
    previous = cr.fetchone()[0]
    cr.execute("SET LOCAL enable_bitmapscan = off")
    yield
    cr.execute(SQL("SELECT set_config('enable_bitmapscan', %s, true)", previous))
