import { browser } from "@web/core/browser/browser";
import { registry } from "@web/core/registry";

/**
 * Opens the link of a phone line (WhatsApp's https://wa.me, viber:, sms:, tel:) sent by the
 * server as { params: { url } }. Odoo's act_url would turn the addresses that do not start
 * with "http" into paths of the server; the schemes of the messengers are handed to the
 * browser here instead, web pages open in a new tab. Closes the composer it came from.
 */
const SCHEMES = ["https:", "tel:", "sms:", "viber:"];

export function openLinkAction(env, action) {
    const url = String(action.params?.url || "");
    const scheme = url.slice(0, url.indexOf(":") + 1).toLowerCase();
    if (scheme === "https:") {
        browser.open(url, "_blank");
    } else if (SCHEMES.includes(scheme)) {
        browser.location.assign(url);
    }
    return { type: "ir.actions.act_window_close" };
}

registry.category("actions").add("client_management.open_link", openLinkAction);
