import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("client_management_analysis_tour", {
    url: "/odoo/client-channels",
    steps: () => [
        {
            content: "Channel effectiveness opens as a pivot, one row per channel",
            trigger: ".o_pivot_view .o_pivot_header_cell_closed:contains('CM tour channel')",
        },
        {
            content: "It shows the share of clients with invoices and the turnover per client",
            trigger: ".o_pivot_view th:contains('% with invoices')",
        },
        {
            content: "and the share not contacted for 90+ days",
            trigger: ".o_pivot_view th:contains('% not contacted for 90+ days')",
        },
        {
            content: "Open the Reporting menu",
            trigger: ".o_main_navbar button:contains('Reporting')",
            run: "click",
        },
        {
            content: "Open Analysis",
            trigger: ".dropdown-item:contains('Analysis')",
            run: "click",
        },
        {
            content: "Analysis opens as a graph of new clients per month",
            trigger: ".o_graph_view .o_graph_canvas_container canvas",
        },
        {
            content: "Switch to the pivot",
            trigger: ".o_switch_view.o_pivot",
            run: "click",
        },
        {
            content: "The pivot lists the channels with the turnover",
            trigger: ".o_pivot_view:contains('CM tour channel'):contains('Turnover')",
        },
        {
            content: "Open the Clients list",
            trigger: ".o_main_navbar button:contains('Clients')",
            run: "click",
        },
        {
            content: "Clients",
            trigger: ".dropdown-item:contains('Clients')",
            run: "click",
        },
        {
            content: "The Clients list has a graph",
            trigger: ".o_switch_view.o_graph",
            run: "click",
        },
        {
            content: "The graph shows the new clients",
            trigger: ".o_graph_view .o_graph_canvas_container canvas",
        },
        {
            content: "and a pivot",
            trigger: ".o_switch_view.o_pivot",
            run: "click",
        },
        {
            content: "The pivot shows the new clients per channel",
            trigger: ".o_pivot_view .o_pivot_header_cell_closed:contains('CM tour channel')",
        },
    ],
});
