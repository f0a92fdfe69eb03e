"""Incoming call → client card: a telephony system (Asterisk, 3CX, a softphone) opens
``/clients/caller?number=<as dialled>[&country=XX][&log=1]`` on each call."""

from urllib.parse import urlencode

from odoo import http
from odoo.http import request


class ClientCaller(http.Controller):
    @http.route("/clients/caller", type="http", auth="user", methods=["GET"], readonly=True)
    def clients_caller(self, number="", country="", log="", **_kwargs):
        """Hands the number to the web client's ``clients-caller`` action, which opens the card
        of the client owning it, the list when several do, or a new client form with the
        number (``res.partner.cm_caller_action``). Not logged in: Odoo's login page first."""
        query = {"number": number[:64]}
        if country:
            query["country"] = country[:2].upper()
        if log:
            query["log"] = "1"
        return request.redirect(f"/odoo/clients-caller?{urlencode(query)}", code=303)
