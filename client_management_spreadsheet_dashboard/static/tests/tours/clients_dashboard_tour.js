import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("client_management_dashboard_tour", {
    steps: () => [
        {
            content: "The Clients dashboard is listed in its own section",
            trigger: ".o_search_panel_section:contains('Clients') .o_search_panel_category_value.active:contains('Clients')",
        },
        {
            content: "Its figures are loaded and clickable",
            trigger: ".o_spreadsheet_dashboard_action .o-dashboard-clickable-cell",
        },
        {
            content: "The turnover dashboard is not offered to a Clients user",
            trigger: ".o_search_panel:not(:contains('Clients: turnover'))",
        },
        {
            content: "Open the first figure: the new clients of this month",
            trigger: ".o-dashboard-clickable-cell:first",
            run: "click",
        },
        {
            content: "The filtered list of clients opens",
            trigger: ".o_list_view .o_data_row:contains('Dashboard Tour Client')",
        },
    ],
});

registry.category("web_tour.tours").add("client_management_dashboard_turnover_tour", {
    steps: () => [
        {
            content: "The turnover dashboard is open",
            trigger: ".o_search_panel_category_value.active:contains('Clients: turnover')",
        },
        {
            content: "Its figures are loaded and clickable",
            trigger: ".o_spreadsheet_dashboard_action .o-dashboard-clickable-cell",
        },
        {
            content: "The Clients dashboard is offered too",
            trigger: ".o_search_panel_category_value:contains('Clients'):not(.active)",
            run: "click",
        },
        {
            content: "and opens",
            trigger: ".o_search_panel_category_value.active:not(:contains('turnover')):contains('Clients')",
        },
    ],
});
