"""The client importer, one module per step a row goes through:

1. ``reader`` (+ ``reader_xlsx``, ``reader_xls``, ``reader_ods``, ``reader_csv``,
   ``reader_zip``): the file → its header row and the rows after it, read ahead by a second
   thread while the import waits for the database (``prefetch``);
2. ``headers`` (+ ``synonyms`` and the ``client.import.header`` column names, ``defaults``:
   the default country guessed from the file): which column holds what;
3. ``values`` and ``rows``: a row → its values per client field;
4. ``matching``: the client a row is about, in the file or in the database;
5. ``writing``, ``precompute``, ``tags`` and ``channels``: the writes, by batches;
6. ``summary`` (what the import decided: changes per field, shared values, archived
   clients, name-only matches) and ``report`` (the error workbook, the template, the export).

``preview`` runs steps 3 and 4 on the first rows, read only, for the wizard's preview.

``run.Importer`` carries one import through these steps; ``common`` holds what they share.
The ``client.import`` service (``models/client_import.py``) is the one entry point of the
wizard, the background job and RPC callers. Nothing here is an Odoo model.
"""
