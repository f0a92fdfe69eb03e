{
    "name": "Clients - Point of Sale",
    "summary": "Point of sale orders on the client's timeline and card",
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
}
