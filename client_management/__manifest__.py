{
    "name": "Clients",
    "summary": "Client base on top of Odoo contacts: persons and companies, "
    "supplier and conflict flags, several phones and e-mails, acquisition "
    "channels, responsible managers, invoicing timeline and Excel import",
    "version": "19.0.1.0.0",
    "category": "Sales/Clients",
    "author": "client_management contributors",
    "maintainers": ["client_management"],
    "website": "https://github.com/client-management/client_management",
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": ["contacts", "account", "mail", "phone_validation", "utm"],
    "external_dependencies": {"python": ["phonenumbers", "openpyxl"]},
    "data": [
        "security/client_management_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/utm_source_data.xml",
        "views/res_partner_views.xml",
        "views/utm_source_views.xml",
        "wizards/client_tag_merge_views.xml",
        "wizards/client_assign_manager_views.xml",
        "data/client_import_job.xml",
        "wizards/client_import_wizard_views.xml",
        "views/menus.xml",
        "views/client_import_job_views.xml",
        "data/mail_message_subtype_data.xml",
        "data/res_partner_invoicing_cron.xml",
        "views/res_partner_invoicing_views.xml",
    ],
    "demo": [
        "demo/res_partner_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "client_management/static/src/import/**/*",
        ],
        "web.assets_tests": [
            "client_management/static/tests/tours/**/*",
        ],
    },
    "images": ["static/description/icon.png"],
}
