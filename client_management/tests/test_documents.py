"""The Documents button of the card: the client's files, commented, uploaded from there."""

import base64

from odoo.tests import tagged

from .common import ClientCase


@tagged("post_install", "-at_install")
class TestDocuments(ClientCase):
    def attach(self, record, name):
        return self.env["ir.attachment"].create(
            {"name": name, "res_model": record._name, "res_id": record.id, "datas": base64.b64encode(b"pdf")}
        )

    def test_the_button_counts_and_lists_the_clients_files(self):
        client = self.Partner.create({"name": "Documents Client"})
        other = self.Partner.create({"name": "Other Client"})
        self.attach(client, "contract.pdf")
        self.attach(client, "passport scan.jpg")
        self.attach(other, "not mine.pdf")
        partner = client.with_user(self.client_user)
        self.assertEqual(partner.cm_document_count, 2)
        arch = partner.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="action_cm_documents"', arch)
        action = partner.action_cm_documents()
        files = self.env["ir.attachment"].with_user(self.client_user).search(action["domain"])
        self.assertEqual(sorted(files.mapped("name")), ["contract.pdf", "passport scan.jpg"])

    def test_a_comment_is_the_files_description_and_uploads_attach_to_the_client(self):
        client = self.Partner.create({"name": "Upload Client"})
        action = client.with_user(self.client_user).action_cm_documents()
        Attachment = self.env["ir.attachment"].with_user(self.client_user).with_context(**action["context"])
        uploaded = Attachment.create({"name": "offer.pdf", "datas": base64.b64encode(b"offer")})
        self.assertEqual((uploaded.res_model, uploaded.res_id), ("res.partner", client.id))
        uploaded.description = "Signed offer, valid until March"
        self.assertEqual(client.with_user(self.client_user).cm_document_count, 1)
        list_arch = self.env["ir.attachment"].get_views([(action["views"][0][0], "list")])["views"]["list"]["arch"]
        self.assertIn('name="description"', list_arch)

    def test_invoice_files_show_once_the_filter_is_removed_for_those_who_may_read_them(self):
        client = self.Partner.create({"name": "Invoice Files Client"})
        move = self.env["account.move"].create({"move_type": "out_invoice", "partner_id": client.id})
        self.attach(client, "own.pdf")
        self.attach(move, "invoice scan.pdf")
        action = client.with_user(self.client_user).action_cm_documents()
        self.assertTrue(action["context"]["search_default_filter_client_files"])
        accountant = self.env["res.users"].create(
            {
                "name": "Docs Accountant",
                "login": "cm_docs_accountant",
                "group_ids": [(6, 0, [self.env.ref("account.group_account_invoice").id])],
            }
        )
        seen = self.env["ir.attachment"].with_user(self.client_user).search(action["domain"])
        self.assertEqual(seen.mapped("name"), ["own.pdf"], "no invoice files for a user who may not read invoices")
        action = client.with_user(accountant).action_cm_documents()
        seen = self.env["ir.attachment"].with_user(accountant).search(action["domain"])
        self.assertEqual(sorted(seen.mapped("name")), ["invoice scan.pdf", "own.pdf"])
        own = (
            self.env["ir.attachment"]
            .with_user(accountant)
            .search(action["domain"] + [("res_model", "=", "res.partner")])
        )
        self.assertEqual(own.mapped("name"), ["own.pdf"], "the default filter shows the client's own files")
