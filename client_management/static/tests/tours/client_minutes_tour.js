import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("client_management_minutes_tour", {
    steps: () => [
        {
            content: "The card of the client is open",
            trigger: ".o_form_view .o_field_widget[name='name']:contains('Tour Minutes Client'), .o_form_view .o_field_widget[name='name'] input",
        },
        {
            content: "Log minutes from the card",
            trigger: "button[name='action_cm_log_meeting_minutes']",
            run: "click",
        },
        {
            content: "Odoo's composer opens in log-note mode, pre-filled with the title and the participants",
            trigger: ".modal .o_field_widget[name='body'] .odoo-editor-editable:contains('Meeting minutes'):contains('Tour Minutes Client')",
        },
        {
            content: "No recipients: the minutes are a note",
            trigger: ".modal:not(:has(.o_field_widget[name='partner_ids'] .o_tag))",
        },
        {
            content: "Write what was agreed",
            trigger: ".modal .o_field_widget[name='body'] .odoo-editor-editable > p:last-child",
            run: "editor Agreed on a yearly service contract",
        },
        {
            content: "The text is in the editor; leave it for the subject",
            trigger: ".modal .o_field_widget[name='body'] .odoo-editor-editable:contains('Agreed on a yearly service contract')",
            run: "click .modal .o_field_widget[name='subject'] input",
        },
        {
            content: "Log them",
            trigger: ".modal .modal-footer button[name='action_send_mail']:contains('Log'):enabled",
            run: "click",
        },
        {
            content: "The composer closes",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "The minutes are on the timeline with their marker",
            trigger: ".o-mail-Message:contains('Agreed on a yearly service contract'):contains('Meeting minutes')",
        },
        {
            content: "The Meeting minutes button counts them",
            trigger: "button[name='action_cm_meeting_minutes'] .o_stat_value:contains('1')",
        },
    ],
});
