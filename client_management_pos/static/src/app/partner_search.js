import { patch } from "@web/core/utils/patch";
import { PartnerList } from "@point_of_sale/app/screens/partner_list/partner_list";

// a typed text is a number when made of digits and separators, with at least 7 digits (as the
// server's `looks_like_phone`)
const PHONE_TEXT = /^\s*\+?[\d\s()./\-–]+$/;
const MIN_DIGITS = 7;

/**
 * Whether one of the client's numbers (`cm_pos_phone_numbers`: "<country code>-<national
 * number>" each) is the typed `text`, or begins with it while it is typed: international
 * ("+7 777 785 9954", "0037126123456": country code and number), national with a trunk prefix
 * ("8 777 785 99 54", "030 1234 5678") or without ("26 123 456").
 */
export function phoneMatches(partner, text) {
    if (!partner.cm_pos_phone_numbers || !PHONE_TEXT.test(text || "")) {
        return false;
    }
    const digits = text.replace(/\D/g, "");
    if (digits.length < MIN_DIGITS) {
        return false;
    }
    const plus = text.trim().startsWith("+");
    const international = plus || digits.startsWith("00");
    const typed = plus ? digits : digits.replace(/^00/, "");
    // the national digits typed, without a trunk prefix ("8", "0") when there is one
    const nationals = /^[08]/.test(digits) ? [digits, digits.slice(1)] : [digits];
    return partner.cm_pos_phone_numbers.split(" ").some((number) => {
        const [code, national] = number.split("-");
        if (international) {
            return (code + national).startsWith(typed);
        }
        return (
            (code + national).startsWith(digits) ||
            nationals.some((typedNational) => national.startsWith(typedNational))
        );
    });
}

patch(PartnerList.prototype, {
    /** The clients already loaded are found by any number too, before asking the server. */
    getPartners(partners) {
        const found = super.getPartners(partners);
        const query = this.state.query?.trim() ?? "";
        if (!PHONE_TEXT.test(query)) {
            return found;
        }
        const ids = new Set(found.map((partner) => partner.id));
        const more = partners.filter((p) => !ids.has(p.id) && phoneMatches(p, query));
        return more.length ? [...found, ...more] : found;
    },
});
