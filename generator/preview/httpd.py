"""The preview's own HTTP server: the standard library's, answering with `PreviewApp`.

One thread per connection (a browser's reload question waits in one); HTTP/1.0, one
request per connection. Whatever a client sends (a malformed request line, too many or
too long headers, a connection dropped halfway) ends in an error status or a closed
connection, never a traceback; requests are not logged (the terminal shows the builds).
Every answer says what it is (`nosniff`), is not kept by the browser (the preview
changes), cannot be framed by another site and is not for other sites to load.
"""

from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol

from .exchange import Request, Response, text

SAFE_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Cache-Control", "no-store"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
)
IDLE_SECONDS = 30.0  # a connection that sends nothing for this long is closed


class Answerer(Protocol):
    """What the server needs of the preview: an answer to each request."""

    def answer(self, request: Request) -> Response: ...


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "playbook-preview"
    sys_version = ""
    timeout = IDLE_SECONDS

    def do_GET(self) -> None:
        self._answer()

    do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_GET
    do_CONNECT = do_GET

    def _answer(self) -> None:
        path, _, query = self.path.split("#", 1)[0].partition("?")
        if not path.startswith("/"):  # an absolute URL or `*`: no proxy here
            response = text(400, "Bad Request: a path is expected")
        else:
            headers = {name.lower(): value for name, value in self.headers.items()}
            request = Request(self.command, path, query, headers)
            try:
                response = self.server.app.answer(request)
            except Exception as error:  # the preview keeps serving; the terminal says why
                self.server.say(f"the preview could not answer {path!r}: {error}")
                response = text(500, "Internal Server Error")
        self._send(response)

    def _send(self, response: Response) -> None:
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def end_headers(self) -> None:  # on every answer, errors of the parser's own too
        for name, value in SAFE_HEADERS:
            self.send_header(name, value)
        super().end_headers()

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:
        pass


class PreviewServer(ThreadingHTTPServer):
    """Serves `app` on `host:port`; binds at once (a port in use is an OSError here)."""

    daemon_threads = True  # a waiting reload question does not hold up the end
    block_on_close = False

    def __init__(self, host: str, port: int, app: Answerer, say: Callable[[str], None]) -> None:
        self.app, self.say = app, say
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        super().__init__((host, port), _Handler)
        self.thread = threading.Thread(target=self.serve_forever, name="playbook-http")

    def server_bind(self) -> None:
        socketserver.TCPServer.server_bind(self)  # no name lookup of the host (HTTPServer's)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        if self.thread.is_alive():
            self.shutdown()
            self.thread.join(timeout=5)
        self.server_close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client gone halfway (reset, broken pipe, timeout): nothing to say
