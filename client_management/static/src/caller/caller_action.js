import { registry } from "@web/core/registry";

/**
 * The incoming-call action (/odoo/clients-caller?number=...&country=..&log=1, reached from
 * the /clients/caller route): asks the server which clients own the number and opens their
 * card, their list, or a new client form with the number.
 */
export async function clientsCallerAction(env, action) {
    const params = action.params || {};
    return env.services.orm.call("res.partner", "cm_caller_action", [String(params.number ?? "")], {
        // the router reads digits-only values as numbers: the number goes back as text
        country_code: params.country || false,
        log: ["1", "true"].includes(String(params.log || "")),
    });
}
clientsCallerAction.path = "clients-caller";

registry.category("actions").add("client_management.caller", clientsCallerAction);
