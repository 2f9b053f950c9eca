"""The preview answers only this machine, only its own pages, and only reads: another
`Host` (DNS rebinding from a web page) is refused, as are other sites' requests and
anything but GET and HEAD; nothing outside the site is served (no `..`, no link, no
listing); whatever a client sends, the answer is a status, never a traceback."""

from __future__ import annotations

import http.client
import socket
from pathlib import Path
from urllib.parse import urlsplit

from sales_playbook.preview import sitefiles
from sales_playbook.preview.exchange import Request
from sales_playbook.preview.guard import allowed_hosts, refusal

from ..test_serve import serving


def ask(
    base: str, path: str, host: str | None = None, method: str = "GET", **headers: str
) -> tuple[int, bytes, http.client.HTTPMessage]:
    where = urlsplit(base)
    connection = http.client.HTTPConnection(where.hostname or "", where.port, timeout=10)
    try:
        sent = {**({"Host": host} if host else {}), **headers}
        connection.request(method, path, headers=sent)
        answer = connection.getresponse()
        return answer.status, answer.read(), answer.headers
    finally:
        connection.close()


def raw(base: str, data: bytes) -> bytes:
    """The status line the preview answers these bytes with (b"" if it just closes)."""
    where = urlsplit(base)
    with socket.create_connection((where.hostname or "", where.port or 80), timeout=10) as s:
        s.sendall(data)
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    return answer.split(b"\r\n", 1)[0]


def test_the_preview_refuses_other_hosts_sites_methods_and_impossible_paths(
    base_playbook: Path, tmp_path: Path
) -> None:
    with serving(base_playbook, tmp_path) as base:
        port = urlsplit(base).port
        status, _, headers = ask(base, "/")
        assert status == 200 and headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY" and headers["Cache-Control"] == "no-store"
        assert ask(base, "/", f"localhost:{port}")[0] == 200
        status, body, _ = ask(base, "/", f"rebound.example:{port}")
        assert status == 421 and b"not this preview's address" in body
        assert b"Was darf ich" not in body
        assert ask(base, "/%00")[0] == 400
        assert ask(base, "/index.html%00.css")[0] == 400

        # another site's page may link to the preview, not read it
        assert ask(base, "/", Origin="http://evil.example")[0] == 403
        assert ask(base, "/", Origin="null")[0] == 403
        assert ask(base, "/", Origin=f"http://127.0.0.1:{port}")[0] == 200
        foreign = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"}
        assert ask(base, "/assets/javascripts/search-index.js", **foreign)[0] == 403
        assert ask(base, "/.playbook/reload?since=0", **foreign)[0] == 403
        link = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}
        assert ask(base, "/", **link)[0] == 200

        # only reads
        for method in ("POST", "PUT", "DELETE", "OPTIONS"):
            status, _, headers = ask(base, "/", method=method)
            assert status == 405 and headers["Allow"] == "GET, HEAD", method
        status, body, headers = ask(base, "/", method="HEAD")
        assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0
    assert "Traceback" not in (tmp_path / "serve.log").read_text("utf-8")


def test_nothing_outside_the_site_is_served(base_playbook: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("geheim", "utf-8")
    with serving(base_playbook, tmp_path) as base:
        site = tmp_path / "preview" / "site"
        (site / "outside.html").symlink_to(secret)  # links are someone else's: refused
        (site / "linked").symlink_to(tmp_path, target_is_directory=True)
        (site / "bare").mkdir()  # a folder without an index: no listing
        (site / "bare" / "x.txt").write_text("x", "utf-8")
        for path in (
            "/outside.html", "/linked/secret.txt", "/linked/", "/../secret.txt",
            "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt", "/..%5csecret.txt",
            "/bare/", "/index.html/", "/%ff%fe",
        ):  # fmt: skip
            status, body, _ = ask(base, path)
            assert status == 404 and b"geheim" not in body, path
        assert ask(base, "/bare/x.txt")[1] == b"x"
        status, _, headers = ask(base, "/non-negotiables")
        assert status == 302 and headers["Location"] == "/non-negotiables/"
        status, body, headers = ask(base, "/non-negotiables/")
        assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
        assert b"data-build=" in body
        status, _, headers = ask(base, "/assets/javascripts/decisions.js")
        assert status == 200 and headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert "Traceback" not in (tmp_path / "serve.log").read_text("utf-8")


def test_malformed_requests_are_answered_with_a_status(base_playbook: Path, tmp_path: Path) -> None:
    with serving(base_playbook, tmp_path) as base:
        host = f"Host: {urlsplit(base).netloc}\r\n".encode()
        assert raw(base, b"GET / HTTP/1.0\r\n" + host + b"\r\n") == b"HTTP/1.0 200 OK"
        raw(base, b"NONSENSE\r\n\r\n")  # an HTTP/0.9 error page, without a status line
        huge = b"X-Big: " + b"a" * 70_000 + b"\r\n"
        assert b" 431 " in raw(base, b"GET / HTTP/1.0\r\n" + host + huge + b"\r\n")
        many = b"".join(b"X-%d: 1\r\n" % n for n in range(200))
        assert b" 431 " in raw(base, b"GET / HTTP/1.0\r\n" + host + many + b"\r\n")
        assert b" 414 " in raw(base, b"GET /" + b"a" * 70_000 + b" HTTP/1.0\r\n\r\n")
        assert b" 400 " in raw(base, b"GET http://evil/ HTTP/1.0\r\n" + host + b"\r\n")
        assert b" 501 " in raw(base, b"BREW / HTTP/1.0\r\n" + host + b"\r\n")
        assert b" 400 " in raw(base, b"GET /.playbook/reload?since=x HTTP/1.0\r\n" + host + b"\r\n")
        with socket.create_connection((urlsplit(base).hostname or "", urlsplit(base).port or 80)):
            pass  # connected and gone without a word
        assert raw(base, b"GET / HTTP/1.0\r\n" + host + b"\r\n") == b"HTTP/1.0 200 OK"
    said = (tmp_path / "serve.log").read_text("utf-8")
    assert "Traceback" not in said and "could not answer" not in said


def test_the_hosts_are_this_machines_names_with_the_port() -> None:
    assert allowed_hosts("127.0.0.1", 8000) == {
        "localhost:8000", "127.0.0.1:8000", "[::1]:8000",
    }  # fmt: skip
    assert "[::1]:80" in allowed_hosts("::1", 80) and "localhost" in allowed_hosts("::1", 80)
    hosts = allowed_hosts("127.0.0.1", 8000)
    statuses = []
    for host in ("127.0.0.1:8000", "LOCALHOST:8000", "127.0.0.1:8001", "evil", ""):
        refused = refusal(Request("GET", "/", headers={"host": host}), hosts)
        statuses.append(refused.status if refused else 200)
    assert statuses == [200, 200, 421, 421, 421]


def test_a_path_is_looked_up_inside_the_site_only(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("a", "utf-8")
    (site / "a" / "b c.html").write_text("b", "utf-8")
    (tmp_path / "secret").write_text("s", "utf-8")
    (site / "link.html").symlink_to(tmp_path / "secret")
    assert sitefiles.locate(site, "/a/") == sitefiles.Found(site / "a" / "index.html")
    assert sitefiles.locate(site, "/a") == sitefiles.Moved("/a/")
    assert sitefiles.locate(site, "/a/b%20c.html") == sitefiles.Found(site / "a" / "b c.html")
    for path in ("/link.html", "/../secret", "/a/../../secret", "/a/b c.html/", "/missing", "a"):
        assert sitefiles.locate(site, path) is None, path
    assert sitefiles.locate(site, "/") is None  # no index.html: no listing either
    assert sitefiles.read(site / "link.html") is None
