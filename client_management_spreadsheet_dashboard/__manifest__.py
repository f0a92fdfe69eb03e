{
    "name": "Clients - Dashboard",
    "summary": "A Clients dashboard in Odoo's spreadsheet dashboards: new clients, channels, "
    "birthdays, reminders, and turnover and overdue clients for accounting users",
    "version": "19.0.1.0.0",
    "category": "Sales/Clients",
    "author": "client_management contributors",
    "maintainers": ["client_management"],
    "website": "https://github.com/client-management/client_management",
    "license": "LGPL-3",
    "depends": ["client_management", "spreadsheet_dashboard"],
    "auto_install": True,
    "installable": True,
    "data": [
        "data/dashboards.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "client_management_spreadsheet_dashboard/static/tests/tours/**/*",
        ],
    },
}
