{
    "name": "Clients - Sales",
    "summary": "Quotations and sales orders on the client's card and timeline, conflict warning, personal discount",
    "version": "19.0.1.0.0",
    "category": "Sales/Clients",
    "author": "client_management contributors",
    "maintainers": ["client_management"],
    "website": "https://github.com/client-management/client_management",
    "license": "LGPL-3",
    "depends": ["client_management", "sale"],
    "auto_install": True,
    "installable": True,
    "data": [
        "data/mail_message_subtype_data.xml",
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "client_management_sale/static/tests/tours/*.js",
        ],
    },
}
