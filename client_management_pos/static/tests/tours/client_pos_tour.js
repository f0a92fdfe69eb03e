import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as PartnerList from "@point_of_sale/../tests/pos/tours/utils/partner_list_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/pos/tours/utils/receipt_screen_util";
import * as combo from "@point_of_sale/../tests/pos/tours/utils/combo_popup_util";
import { scan_barcode } from "@point_of_sale/../tests/generic_helpers/utils";
import { registry } from "@web/core/registry";

function discountedLine(quantity) {
    return {
        content: `One line of the product, quantity ${quantity}, with the client's 10% discount`,
        trigger: `.order-container .orderline:has(.product-name:contains('Tour Pos Product')):has(.qty:contains('${quantity}')):has(.price-per-unit em:contains('10%'))`,
    };
}

function undiscountedLine() {
    return {
        content: "The line added before the client was picked has no discount",
        trigger: `.order-container .orderline:has(.product-name:contains('Tour Pos Product')):has(.qty:contains('1')):not(:has(.price-per-unit em))`,
    };
}

registry.category("web_tour.tours").add("client_management_pos_conflict_tour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            // a line added before the client is picked keeps its price
            ProductScreen.clickDisplayedProduct("Tour Pos Product"),
            undiscountedLine(),
            ProductScreen.clickPartnerButton(),
            {
                content: "An ordinary client has no marker",
                trigger:
                    ".partner-list .partner-info:contains('Tour Pos Calm'):not(:has(.o_cm_conflict_marker))",
            },
            // the number typed nationally, stored internationally: found among the loaded clients
            {
                content: "Type the number with 00 for +",
                trigger: ".modal-dialog .input-group input",
                run: "edit 00 7 777 785 99 54",
            },
            {
                content: "The client of that number is listed",
                trigger:
                    ".partner-list:has(.partner-info:contains('Tour Pos Buyer')):not(:has(.partner-info:contains('Tour Pos Calm')))",
            },
            {
                content: "Another number lists nobody",
                trigger: ".modal-dialog .input-group input",
                run: "edit 8 777 785 99 55",
            },
            {
                content: "Nobody is listed",
                trigger: ".partner-list:not(:has(.partner-info:contains('Tour Pos Buyer')))",
            },
            {
                content: "Type the number as the client says it",
                trigger: ".modal-dialog .input-group input",
                run: "edit 8 777 785 99 54",
            },
            {
                content: "The number lists only its client, stored in the international format",
                trigger:
                    ".partner-list:has(.partner-info:contains('Tour Pos Buyer')):not(:has(.partner-info:contains('Tour Pos Calm')))",
            },
            {
                content: "The contact of the conflict company has the red marker",
                trigger: ".partner-list .partner-info:contains('Tour Pos Buyer') .o_cm_conflict_marker",
            },
            {
                content: "The note is shown under the name",
                trigger:
                    ".partner-list .partner-info:contains('Tour Pos Buyer') .o_cm_conflict_note:contains('Cash only, no credit')",
            },
            PartnerList.clickPartner("Tour Pos Buyer"),
            {
                content: "Picking it warns with the note, as on invoices",
                trigger:
                    ".modal:contains('Conflict client'):contains('is marked as a conflict client'):contains('Cash only, no credit')",
            },
            Dialog.confirm(),
            ProductScreen.customerIsSelected("Tour Pos Buyer"),
            ProductScreen.clickDisplayedProduct("Tour Pos Product"),
            discountedLine("1"),
            // the same product again adds to the line, which keeps the client's discount
            ProductScreen.clickDisplayedProduct("Tour Pos Product"),
            discountedLine("2"),
            undiscountedLine(),
            ProductScreen.totalAmountIs("280.00"),
            // keeping the same customer does not warn again
            ProductScreen.clickPartnerButton(),
            {
                content: "Discard the customer list",
                trigger: ".modal .modal-footer button:contains('Discard')",
                run: "click",
            },
            {
                content: "No warning: the customer did not change",
                trigger: "body:not(:has(.modal))",
            },
            ProductScreen.customerIsSelected("Tour Pos Buyer"),
            Chrome.endTour(),
        ].flat(),
});

registry.category("web_tour.tours").add("client_management_pos_combo_discount_tour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.clickPartnerButton(),
            ProductScreen.clickCustomer("AAA Tour Pos Discount"),
            ProductScreen.customerIsSelected("AAA Tour Pos Discount"),
            scan_barcode("SuperCombo"),
            combo.select("Combo Product 3"),
            combo.select("Combo Product 5"),
            combo.select("Combo Product 8"),
            Dialog.confirm(),
            {
                // Odoo shows the discount on the combo's line, not on its items (checked once paid)
                content: "The combo carries the client's discount",
                trigger: `.order-container .orderline:has(.product-name:contains('Office Combo')):has(.price-per-unit em:contains('10%'))`,
            },
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Bank"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
        ].flat(),
});

registry.category("web_tour.tours").add("client_management_pos_server_search_tour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.clickPartnerButton(),
            {
                content: "The client is not among the clients the point of sale loaded",
                trigger: ".partner-list:not(:has(.partner-info:contains('ZZZ Tour Pos Far')))",
            },
            {
                content: "Type its number with 00 for +",
                trigger: ".modal-dialog .input-group input",
                run: "edit 00 7 701 555 44 33",
            },
            {
                content: "None of the loaded clients has it",
                trigger: ".partner-list .fa-users",
            },
            {
                content: "Press Enter to search all the clients",
                trigger: ".modal-dialog .input-group input",
                run: function () {
                    document
                        .querySelector(".modal-dialog .input-group input")
                        .dispatchEvent(new KeyboardEvent("keydown", { bubbles: true, key: "Enter" }));
                },
            },
            {
                content: "The server found it, with the red marker",
                trigger: ".partner-list .partner-info:contains('ZZZ Tour Pos Far') .o_cm_conflict_marker",
            },
            PartnerList.clickPartner("ZZZ Tour Pos Far"),
            {
                content: "Picking it warns with the note",
                trigger: ".modal:contains('Conflict client'):contains('Returned goods twice')",
            },
            Dialog.confirm(),
            ProductScreen.customerIsSelected("ZZZ Tour Pos Far"),
        ].flat(),
});
