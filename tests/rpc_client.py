"""JSON-RPC helpers of the system tests that talk to a running Odoo server."""

import socket


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rpc(session, url, path, params):
    response = session.post(f"{url}{path}", json={"jsonrpc": "2.0", "method": "call", "params": params}, timeout=60)
    response.raise_for_status()
    body = response.json()
    assert "error" not in body, body.get("error")
    return body["result"]


def call(session, url, model, method, *args, **kwargs):
    params = {"model": model, "method": method, "args": list(args), "kwargs": kwargs}
    return rpc(session, url, "/web/dataset/call_kw", params)
