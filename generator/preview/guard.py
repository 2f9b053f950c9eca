"""The preview answers only this machine, and only addresses it can serve.

A web page the rep has open elsewhere could reach `http://127.0.0.1:8000` through DNS
rebinding (its own name, resolved to 127.0.0.1): the request then names that other host
in its `Host` header. Such a request is refused (421), as is a path a file cannot have
(a NUL byte, `/%00`), before MkDocs' server sees it. Drafts stay on this machine.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .banner import App, StartResponse

LOCAL_NAMES = ("localhost", "127.0.0.1", "[::1]")


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The `Host` headers of a request for this preview: its own address and this
    machine's names, with the port."""
    own = f"[{host}]" if ":" in host else host
    names = (*LOCAL_NAMES, own)
    bare = names if port == 80 else ()  # a browser leaves out the default port
    return frozenset({*(f"{name}:{port}" for name in names), *bare})


def local_only(app: App, hosts: frozenset[str]) -> App:
    """`app`, answering only requests whose `Host` is one of `hosts` and whose path is
    one a file can have."""

    def serve(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        host = str(environ.get("HTTP_HOST", "")).lower()
        if host not in hosts:
            return _refuse(start_response, "421 Misdirected Request", "not this preview's address")
        if "\0" in str(environ.get("PATH_INFO", "")):
            return _refuse(start_response, "400 Bad Request", "no file has such a name")
        return app(environ, start_response)

    return serve


def _refuse(start_response: StartResponse, status: str, why: str) -> list[bytes]:
    body = f"{status}: {why}\n".encode()
    headers = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
    start_response(status, headers)
    return [body]
