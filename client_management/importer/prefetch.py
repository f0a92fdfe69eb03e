"""Step 1 of the import, read ahead: the rows of the file come from a second thread.

The import spends about a third of its time waiting for PostgreSQL. Meanwhile a second thread
reads the next rows of the file (unzipping and parsing the sheet) and parses their numbers
into the phone parser's cache (``tools/phone``), so that the import finds them ready. The
thread touches no record, no cursor and no environment: only the bytes of the file and the
parser's cache, which is thread-safe. The rows reach the import in the file's order, at most
``AHEAD`` rows ahead; an error of the file (a damaged part, too many rows) is raised where the
import reaches it, as when it read the file itself; when the import stops early, the thread
stops too.
"""

import queue
import threading
import time

from ..tools import phone as phone_parser
from .common import FormulaCell, cell_text
from .headers import PHONE_TARGETS
from .values import split_multi

AHEAD = 1000  # rows read ahead of the import
CHUNK = 50  # rows handed over at a time
_END = object()


class _Failure:
    __slots__ = ("error",)

    def __init__(self, error):
        self.error = error


def read_ahead(rows, warm=None):
    """Iterate the (row number, values) of ``rows`` (an iterator over the file), read by a second
    thread; ``warm(number, values)`` is called on every row in that thread."""
    handed = queue.Queue(maxsize=max(AHEAD // CHUNK, 1))
    stop = threading.Event()

    def hand(item):
        while not stop.is_set():
            try:
                handed.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce():
        chunk = []
        outcome = _END
        try:
            for item in rows:
                if warm is not None:
                    warm(*item)
                chunk.append(item)
                if len(chunk) >= CHUNK:
                    if not hand(chunk):
                        return  # the import stopped
                    chunk = []
                # the import takes the interpreter back as soon as PostgreSQL answers
                time.sleep(0)
        except BaseException as exc:  # an error of the file: raised in the import, after the rows before it
            outcome = _Failure(exc)
        finally:
            try:
                if hasattr(rows, "close"):
                    rows.close()
            except BaseException as exc:
                outcome = outcome if isinstance(outcome, _Failure) else _Failure(exc)
            # whatever happened, the import is told: it never waits for a thread that is gone
            if not stop.is_set() and (not chunk or hand(chunk)):
                hand(outcome)

    reader = threading.Thread(target=produce, name="client-import-reader", daemon=True)
    reader.start()
    try:
        while True:
            try:
                item = handed.get(timeout=1)
            except queue.Empty:
                if reader.is_alive():
                    continue
                raise RuntimeError("The thread reading the file stopped without a word.") from None
            if item is _END:
                return
            if isinstance(item, _Failure):
                raise item.error
            yield from item
    finally:
        stop.set()
        reader.join()


def phone_warmer(columns, region, after_row=0):
    """The ``warm`` of :func:`read_ahead` parsing the numbers of the phone columns with the
    import's default country (a row whose own country differs is parsed by the import); not
    the rows up to ``after_row``, which the import skips."""
    indexes = [index for index, _header, target in columns if target in PHONE_TARGETS]
    if not indexes:
        return None

    def warm(number, values):
        if number <= after_row:
            return
        for index in indexes:
            value = values[index] if index < len(values) else None
            if value in (None, "") or isinstance(value, FormulaCell | bool):
                continue
            try:
                for part in split_multi(cell_text(value) if isinstance(value, int | float) else value):
                    phone_parser.parse_phone_or_none(part, region)
            except Exception:  # the import parses the cell again and reports it
                continue

    return warm
