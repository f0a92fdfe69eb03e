{
    "name": "Clients - CRM",
    "summary": "Conflict marker and number search on leads, opportunities on the client's card and timeline",
    "version": "19.0.1.0.0",
    "category": "Sales/Clients",
    "author": "client_management contributors",
    "maintainers": ["client_management"],
    "website": "https://github.com/client-management/client_management",
    "license": "LGPL-3",
    "depends": ["client_management", "crm"],
    "auto_install": True,
    "installable": True,
    "data": [
        "data/mail_message_subtype_data.xml",
        "views/crm_lead_views.xml",
        "views/res_partner_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "client_management_crm/static/tests/tours/**/*",
        ],
    },
    "images": ["static/description/icon.png"],
}
