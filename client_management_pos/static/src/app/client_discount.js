import { patch } from "@web/core/utils/patch";
import { PosStore } from "@point_of_sale/app/services/pos_store";
import { PosOrderline } from "@point_of_sale/app/models/pos_order_line";

/**
 * The client's personal discount (its own, else its company's: `cm_pos_discount`) is given to
 * the NEW lines the cashier adds to its order; the cashier can still change a line's discount.
 * Lines added before the client was picked, and lines created with their own price or discount
 * (tips, down payments, sales orders, gift cards, event tickets, price barcodes) keep theirs.
 */
export function clientDiscount(order) {
    return order?.getPartner?.()?.cm_pos_discount || 0;
}

patch(PosStore.prototype, {
    async addLineToOrder(vals, order, opts = {}, configure = true) {
        const discount = clientDiscount(order);
        // a price given by the caller (in the values or the options: gift cards) is not a list price
        const ownPrice = "price_unit" in vals || "price_unit" in opts;
        if (discount && !("discount" in vals) && !ownPrice) {
            vals = { ...vals, discount };
        }
        return await super.addLineToOrder(vals, order, opts, configure);
    },
    async handleComboProduct(values, order, configure = true, options = {}) {
        const result = await super.handleComboProduct(values, order, configure, options);
        // the items of a combo carry its price: they get the combo line's discount
        if (result !== false && values.discount && values.combo_line_ids) {
            for (const [command, itemVals] of values.combo_line_ids) {
                if (command === "create" && !("discount" in itemVals)) {
                    itemVals.discount = values.discount;
                }
            }
        }
        return result;
    },
});

// the line whose discount is read as 0 while Odoo decides whether two lines merge
let mergingLine = null;

patch(PosOrderline.prototype, {
    canBeMergedWith(orderline) {
        const discount = this.getDiscount();
        const ownDiscount = clientDiscount(this.order_id);
        if (ownDiscount && orderline.getDiscount() === ownDiscount && discount !== ownDiscount) {
            // Odoo only checks the discount of the line already there: a new line with the
            // client's discount must not melt into a line without it (added before the client
            // was picked, or whose discount the cashier changed)
            return false;
        }
        if (
            discount &&
            discount === orderline.getDiscount() &&
            discount === ownDiscount
        ) {
            // both lines carry the client's discount, none given by the cashier: the product
            // added again adds to the quantity, as for a client without a discount
            mergingLine = this;
            try {
                return super.canBeMergedWith(orderline);
            } finally {
                mergingLine = null;
            }
        }
        return super.canBeMergedWith(orderline);
    },
    getDiscount() {
        return mergingLine === this ? 0 : super.getDiscount();
    },
});
