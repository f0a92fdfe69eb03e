import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("client_management_crm_conflict_tour", {
    steps: () => [
        {
            content: "Name the new opportunity",
            trigger: ".o_form_view .o_field_widget[name='name'] textarea",
            run: "edit Tour Deal",
        },
        {
            content: "Look the customer up by a number written the way the caller said it",
            trigger: ".o_form_view .o_field_widget[name='partner_id'] input",
            run: "edit 8 777 785 99 54",
        },
        {
            content: "The number finds the contact of the conflict company",
            trigger: ".o-autocomplete--dropdown-item:contains('Tour Conflict Contact')",
            run: "click",
        },
        {
            content: "The conflict warning shows the note",
            trigger: ".modal-content:contains('Conflict client'):contains('Prepayment only, disputed invoice')",
        },
        {
            content: "Close the warning",
            trigger: ".modal-content:contains('Conflict client') .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The customer stays picked",
            trigger: ".o_form_view .o_field_widget[name='partner_id'] input:value('Tour Conflict Contact')",
        },
        {
            content: "Save the opportunity",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_breadcrumb .active:contains('Tour Deal')",
        },
        {
            content: "Back to the opportunities",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Opportunities')",
            run: "click",
        },
        {
            content: "The kanban card shows the red marker next to the customer",
            trigger: ".o_kanban_record:contains('Tour Deal') .o_cm_conflict_marker",
        },
    ],
});
