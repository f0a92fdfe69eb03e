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
        {
            content: "Asked with log=1, the user is asked first: nothing is logged yet",
            trigger: ".modal:contains('Log the incoming call from 26111333'):not(:has(.o-mail-Message))",
        },
        {
            content: "Nothing on the timeline before the user agrees",
            trigger: "body:not(:has(.o-mail-Message:contains('Incoming call')))",
        },
        {
            content: "Log the call",
            trigger: ".modal button:contains('Log the call')",
            run: "click",
        },
        {
            content: "The call is on the caller's timeline",
            trigger: ".o-mail-Message:contains('Incoming call from 26111333')",
        },
    ],
});
