import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("client_management_message_tour", {
    steps: () => [
        {
            content: "WhatsApp on the client's phone line opens the message composer",
            trigger: ".o_client_phone_lines .o_data_row:contains('+371 26 555 444') button[name='action_whatsapp']",
            run: "click",
        },
        {
            content: "Pick a template",
            trigger: ".modal .o_field_widget[name='template_id'] input",
            run: "edit Greeting",
        },
        {
            content: "The WhatsApp greeting is offered",
            trigger: ".o-autocomplete--dropdown-item a:contains('Greeting')",
            run: "click",
        },
        {
            content: "The text is filled in with the client's name",
            trigger: ".modal .o_field_widget[name='body'] textarea:value(Hello Tour Message Client, this is Tour Sender)",
        },
        {
            content: "Send",
            trigger: ".modal .modal-footer button[name='action_send']",
            run: "click",
        },
        {
            content: "The composer closes",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "The message is on the client's timeline",
            trigger: ".o-mail-Message:contains('WhatsApp to +371 26 555 444'):contains('Hello Tour Message Client')",
        },
    ],
});
