"""A request to the preview and its answer, as plain data.

The server (`httpd`) reads a request into a `Request` and writes the `Response` that
`app.PreviewApp` makes of it; everything in between is a function of these.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qs

Headers = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # as sent: percent-encoded, without the query
    query: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)  # names in lower case

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    def parameter(self, name: str) -> str:
        """The query's first value for `name` ("" if none)."""
        values = parse_qs(self.query, keep_blank_values=True).get(name)
        return values[0] if values else ""


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes = b""
    headers: Headers = ()  # besides Content-Length and those every answer has


def text(status: int, message: str, *headers: tuple[str, str]) -> Response:
    """A plain-text answer: the status and why."""
    body = f"{status} {message}\n".encode()
    return Response(status, body, (("Content-Type", "text/plain; charset=utf-8"), *headers))
