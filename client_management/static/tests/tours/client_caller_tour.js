import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("client_management_caller_tour", {
    steps: () => [
        {
            content: "The incoming call opened the caller's card, with its conflict banner",
            trigger: ".o_form_view .o_client_conflict_banner:contains('Ask for prepayment')",
        },
        {
            content: "It is the caller's card",
            trigger: ".o_breadcrumb:contains('Tour Caller Client')",
        },
    ],
});
