import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { PosStore } from "@point_of_sale/app/services/pos_store";

/**
 * Picking a conflict client (or a contact of a conflict company) in the customer list gives
 * the same warning with the note as on invoices (`cm_pos_conflict_warning`, computed by the
 * server in the user's language). Keeping the same customer (Discard) does not repeat it.
 */
patch(PosStore.prototype, {
    setPartnerToCurrentOrder(partner) {
        const previous = this.getOrder()?.getPartner();
        super.setPartnerToCurrentOrder(partner);
        if (partner && partner.cm_pos_conflict_warning && partner.id !== previous?.id) {
            this.dialog.add(AlertDialog, {
                title: _t("Conflict client"),
                body: partner.cm_pos_conflict_warning,
            });
        }
    },
});
