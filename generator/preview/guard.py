"""The preview answers only this machine, only its own pages, and only reads.

A web page the rep has open elsewhere could reach `http://127.0.0.1:8000` through DNS
rebinding (its own name, resolved to 127.0.0.1): the request then names that other host
in its `Host` header, and is refused (421). A page of another site that asks the preview
directly (a script, a fetch, an image) says where it comes from in `Origin` or
`Sec-Fetch-Site`, and is refused too (403); following a link to the preview stays
possible (a navigation), but no other site can frame it (`X-Frame-Options`, set by the
server). Only GET and HEAD are answered (405), and a path no file can have (a NUL byte,
`/%00`) is a 400. Drafts stay on this machine.
"""

from __future__ import annotations

from urllib.parse import unquote

from .exchange import Request, Response, text

LOCAL_NAMES = ("localhost", "127.0.0.1", "[::1]")
METHODS = ("GET", "HEAD")
FOREIGN = ("cross-site", "same-site")  # Sec-Fetch-Site of a page of another origin


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The `Host` headers of a request for this preview: its own address and this
    machine's names, with the port."""
    own = f"[{host}]" if ":" in host else host
    names = (*LOCAL_NAMES, own)
    bare = names if port == 80 else ()  # a browser leaves out the default port
    return frozenset({*(f"{name}:{port}" for name in names), *bare})


def refusal(request: Request, hosts: frozenset[str]) -> Response | None:
    """Why the preview does not answer `request` (None: it does)."""
    if request.header("host").lower() not in hosts:
        return text(421, "Misdirected Request: not this preview's address")
    origin = request.header("origin").lower()
    if origin and origin not in {f"http://{host}" for host in hosts}:
        return text(403, "Forbidden: not a page of this preview")
    if request.header("sec-fetch-site") in FOREIGN and request.header("sec-fetch-mode") not in (
        "",
        "navigate",
    ):
        return text(403, "Forbidden: not a page of this preview")
    if request.method not in METHODS:
        allow = ("Allow", ", ".join(METHODS))
        return text(405, "Method Not Allowed: the preview only reads", allow)
    if "\0" in unquote(request.path):
        return text(400, "Bad Request: no file has such a name")
    return None
