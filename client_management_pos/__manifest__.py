{
    "name": "Clients - Point of Sale",
    "summary": "Point of sale: conflict marker and warning, personal discount, customer search by any number, "
    "orders on the timeline",
    "version": "19.0.1.0.0",
    "category": "Sales/Clients",
    "author": "client_management contributors",
    "maintainers": ["client_management"],
    "website": "https://github.com/client-management/client_management",
    "license": "LGPL-3",
    "depends": ["client_management", "point_of_sale"],
    "auto_install": True,
    "installable": True,
    "data": [
        "data/mail_message_subtype_data.xml",
        "views/res_partner_views.xml",
    ],
    "assets": {
        "point_of_sale._assets_pos": [
            "client_management_pos/static/src/**/*",
        ],
        "web.assets_tests": [
            "client_management_pos/static/tests/tours/**/*",
        ],
    },
}
