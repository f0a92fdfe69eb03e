"""The client importer, one module per step a row goes through:

1. ``reader`` (+ ``reader_xlsx``, ``reader_xls``, ``reader_ods``, ``reader_csv``,
   ``reader_zip``): the file → its header row and the rows after it;
2. ``headers`` (+ ``synonyms``): which column holds what;
3. ``values`` and ``rows``: a row → its values per client field;
4. ``matching``: the client a row is about, in the file or in the database;
5. ``writing`` and ``channels``: the writes, by batches;
6. ``report``: the error workbook, the template and the export.

``run.Importer`` carries one import through these steps; ``common`` holds what they share.
The ``client.import`` service (``models/client_import.py``) is the one entry point of the
wizard, the background job and RPC callers. Nothing here is an Odoo model.
"""
