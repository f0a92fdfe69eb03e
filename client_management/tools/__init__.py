"""Plain Python helpers shared by the models and the importer (no Odoo model here)."""
