"""An import reads its file batch by batch and keeps only the batch in memory: the rows of the
next batches find the clients of the earlier ones in the database. What the user sees does not
depend on the size of the batches."""

from unittest.mock import patch

from odoo.addons.client_management.importer.run import Importer
from odoo.tests import tagged

from .test_import import ImportCase, e164s


def family_rows(suffix):
    family = f"+371 26 556 00{suffix}"
    return [
        ["Name", "Phone", "E-mail", "Company", "City"],
        [f"Anna Bērziņa {suffix}", family, f"anna{suffix}@batches.lv", "", ""],
        [f"Jānis Bērziņš {suffix}", family, "", f"Kalni {suffix} SIA", ""],
        [f"anna  berzina {suffix}", "", f"ANNA{suffix}@batches.lv", "", "Cēsis"],
        [f"Pēteris Ozols {suffix}", f"+371 26 556 10{suffix}", "", f"Kalni {suffix} SIA", ""],
    ]


@tagged("post_install", "-at_install")
class TestImportBatches(ImportCase):
    def check_family(self, suffix, result):
        self.assertEqual((result["created"], result["updated"], result["errors"]), (3, 1, []))
        anna, janis, peteris = (
            self.partner(f"{name} {suffix}") for name in ("Anna Bērziņa", "Jānis Bērziņš", "Pēteris Ozols")
        )
        self.assertEqual(len(anna), 1, "the fourth row is Anna (same e-mail, same name)")
        self.assertEqual(anna.city, "Cēsis")
        self.assertEqual(e164s(janis), [f"+3712655600{suffix}"], "a family phone never merges two names")
        self.assertEqual(janis.parent_id.name, f"Kalni {suffix} SIA")
        self.assertEqual(peteris.parent_id, janis.parent_id, "one company for both rows naming it")
        self.assertEqual(
            [(entry["row"], entry["value"], entry["clients"]) for entry in result["shared"]],
            [(3, f"+3712655600{suffix}", [f"Anna Bērziņa {suffix} (row 2)"])],
        )

    def test_batches_of_one_row_give_what_one_batch_gives(self):
        self.check_family(1, self.run_import(family_rows(1)))
        kept = []
        forget = Importer.forget_batch

        def forget_batch(importer):
            kept.append(len(importer.known))
            forget(importer)
            self.assertEqual((importer.known, importer.resolved), ({}, {}))

        with patch.object(Importer, "forget_batch", forget_batch):
            result = self.run_import(family_rows(2), batch_size=1)
        self.check_family(2, result)
        self.assertEqual(len(kept), 4)
        self.assertLessEqual(max(kept), 3, "only the keys of the batch's row are held")

    def test_dry_run_in_batches_counts_in_file_matches(self):
        result = self.run_import(family_rows(3), batch_size=1, dry_run=True)
        self.assertEqual((result["created"], result["updated"], result["errors"]), (3, 1, []))
        self.assertFalse(self.partner("Anna Bērziņa 3"), "nothing is written by a dry run")

    def test_keys_the_database_does_not_hold_last_from_batch_to_batch(self):
        """A code an update does not write, or a name written otherwise, still leads to the
        client in the next batches (they are not in the database to be found there)."""
        client = self.Partner.create({"name": "Anna Bērziņa", "email": "anna.lasting@batches.lv", "ref": "AB-1"})
        rows = [
            ["Name", "E-mail", "Client code", "City"],
            ["anna berzina", "anna.lasting@batches.lv", "AB-2", ""],
            ["anna berzina", "", "AB-2", "Cēsis"],
            ["ANNA BERZINA", "", "", "Valmiera"],
        ]
        result = self.run_import(rows, batch_size=1, match_name=True, overwrite=False)
        counts = (result["created"], result["updated"], result["unchanged"], result["errors"])
        self.assertEqual(counts, (0, 1, 2, []), "every row is the client; only the second changes it")
        self.assertEqual(client.ref, "AB-1", "the client's own code is kept")
        self.assertEqual(client.city, "Cēsis", "the empty city filled by the second row, kept by the third")
        self.assertFalse(self.Partner.search([("ref", "=", "AB-2")]), "no second client for the file's code")
