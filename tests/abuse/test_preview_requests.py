"""The preview answers only this machine: another `Host` (DNS rebinding from a web page)
is refused, and a path no file can have is a 400, never a traceback."""

from __future__ import annotations

import http.client
from pathlib import Path
from urllib.parse import urlsplit

from sales_playbook.preview.guard import allowed_hosts, local_only

from ..test_serve import serving


def ask(base: str, path: str, host: str | None = None) -> tuple[int, bytes]:
    where = urlsplit(base)
    connection = http.client.HTTPConnection(where.hostname or "", where.port, timeout=10)
    try:
        headers = {"Host": host} if host else {}
        connection.request("GET", path, headers=headers)
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


def test_the_preview_refuses_other_hosts_and_impossible_paths(
    base_playbook: Path, tmp_path: Path
) -> None:
    with serving(base_playbook, tmp_path) as base:
        port = urlsplit(base).port
        assert ask(base, "/")[0] == 200
        assert ask(base, "/", f"localhost:{port}")[0] == 200
        status, body = ask(base, "/", f"rebound.example:{port}")
        assert status == 421 and b"not this preview's address" in body
        assert b"Was darf ich" not in body
        assert ask(base, "/%00")[0] == 400
        assert ask(base, "/index.html%00.css")[0] == 400
    assert "Traceback" not in (tmp_path / "serve.log").read_text("utf-8")


def test_the_hosts_are_this_machines_names_with_the_port() -> None:
    assert allowed_hosts("127.0.0.1", 8000) == {
        "localhost:8000", "127.0.0.1:8000", "[::1]:8000",
    }  # fmt: skip
    assert "[::1]:80" in allowed_hosts("::1", 80) and "localhost" in allowed_hosts("::1", 80)
    seen: list[str] = []

    def app(environ: dict[str, object], start_response: object) -> list[bytes]:
        seen.append(str(environ["PATH_INFO"]))
        return [b"ok"]

    guarded = local_only(app, allowed_hosts("127.0.0.1", 8000))
    statuses: list[str] = []
    for host in ("127.0.0.1:8000", "LOCALHOST:8000", "127.0.0.1:8001", "evil", ""):
        guarded({"HTTP_HOST": host, "PATH_INFO": "/"}, lambda s, h: statuses.append(s))
    assert seen == ["/", "/"]
    assert statuses == ["421 Misdirected Request"] * 3
