import { ConfirmationDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";

/**
 * The incoming-call action (/odoo/clients-caller?number=...&country=..&log=1, reached from
 * the /clients/caller route): asks the server which clients own the number and opens their
 * card, their list, or a new client form with the number. With log=1 the user is asked
 * before the call is noted on the timeline: opening a link never writes anything by itself.
 */
export async function clientsCallerAction(env, action) {
    const params = action.params || {};
    // the router reads digits-only values as numbers: the number goes back as text
    const number = String(params.number ?? "");
    const country = params.country || false;
    const next = await env.services.orm.call("res.partner", "cm_caller_action", [number], {
        country_code: country,
    });
    await env.services.action.doAction(next);
    const found = next.res_id || next.domain;
    if (found && ["1", "true"].includes(String(params.log || ""))) {
        env.services.dialog.add(ConfirmationDialog, {
            title: _t("Incoming call"),
            body: _t("Log the incoming call from %(number)s on the timeline?", { number }),
            confirmLabel: _t("Log the call"),
            confirm: async () => {
                await env.services.orm.call("res.partner", "cm_caller_log", [number], {
                    country_code: country,
                });
                env.bus.trigger("MAIL:RELOAD-THREAD", { model: "res.partner", id: next.res_id });
            },
            cancel: () => {},
        });
    }
}
clientsCallerAction.path = "clients-caller";

registry.category("actions").add("client_management.caller", clientsCallerAction);
