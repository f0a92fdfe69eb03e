"""The rows of the file are read ahead by a second thread (``importer.prefetch``): the import
gets them in the file's order, an error of the file where it is, and no thread outlives it."""

import threading

from odoo.addons.client_management.importer import prefetch
from odoo.addons.client_management.importer.common import ImportFileError
from odoo.addons.client_management.tools import phone as phone_parser
from odoo.tests import tagged
from odoo.tests.common import BaseCase

from .test_import_job import JobCase, clients_rows


def readers():
    return [thread for thread in threading.enumerate() if thread.name == "client-import-reader"]


def rows_then_error(count):
    for number in range(2, count + 2):
        yield number, [f"Client {number}"]
    raise ImportFileError("The workbook is damaged")


@tagged("post_install", "-at_install")
class TestReadAhead(BaseCase):
    def test_rows_in_the_files_order(self):
        rows = [(number, [f"Client {number}", number]) for number in range(2, 5003)]
        self.assertEqual(list(prefetch.read_ahead(iter(rows))), rows)
        self.assertEqual(readers(), [])

    def test_error_of_the_file_where_the_import_reaches_it(self):
        read = []
        with self.assertRaises(ImportFileError):
            for number, _values in prefetch.read_ahead(rows_then_error(120)):
                read.append(number)
        self.assertEqual(read, list(range(2, 122)), "every row before the damaged part")
        self.assertEqual(readers(), [])

    def test_a_thread_dying_otherwise_never_leaves_the_import_waiting(self):
        def warm(number, _values):
            if number == 30:
                raise SystemExit("stopped")

        rows = [(number, []) for number in range(2, 100)]
        read = []
        with self.assertRaises(SystemExit):
            for number, _values in prefetch.read_ahead(iter(rows), warm):
                read.append(number)
        self.assertEqual(read, list(range(2, 30)))
        self.assertEqual(readers(), [])

    def test_the_thread_stops_with_the_import(self):
        closed = []

        def endless():
            try:
                number = 1
                while True:
                    number += 1
                    yield number, []
            finally:
                closed.append(True)

        rows = prefetch.read_ahead(endless())
        self.assertEqual([next(rows)[0] for _i in range(10)], list(range(2, 12)))
        rows.close()
        self.assertEqual(readers(), [])
        self.assertEqual(closed, [True], "the file's iterator is closed")

    def test_numbers_are_parsed_ahead_with_the_default_country(self):
        warm = prefetch.phone_warmer([(0, "Name", "name"), (1, "Phone", "phone")], "LV")
        phone_parser._parse_compact.cache_clear()
        warm(2, ["Anna", "26 123 456; +48 512 345 678"])
        warm(3, ["Formula", prefetch.FormulaCell("=A1")])
        warm(4, ["Nonsense", "not a number"])
        self.assertEqual(phone_parser._parse_compact.cache_info().currsize, 2)
        self.assertEqual(phone_parser._parse_compact("26123456", "LV")[0], "+37126123456")
        self.assertIsNone(prefetch.phone_warmer([(0, "Name", "name")], "LV"), "nothing to parse ahead")
        skipping = prefetch.phone_warmer([(0, "Phone", "phone")], "LV", after_row=10)
        skipping(10, ["+371 26 999 001"])
        self.assertEqual(phone_parser._parse_compact.cache_info().currsize, 2, "rows already imported are skipped")


@tagged("post_install", "-at_install")
class TestImportReadAhead(JobCase):
    def test_an_import_stopped_after_a_batch_leaves_no_thread(self):
        job = self.enqueue(clients_rows(5))
        self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)]).unlink()
        self.run_cron(budget=0)
        self.assertEqual((job.state, job.checkpoint_row), ("running", 3), "stopped after its first batch")
        self.assertEqual(readers(), [])
        self.run_cron()
        self.assertEqual((job.state, job.created), ("done", 5))
        self.assertEqual(sorted(self.names()), [f"Job client {i}" for i in range(5)], "each row once, in order")
