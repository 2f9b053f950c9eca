"""`playbook serve` rebuilds the preview when a source changes (on loopback only)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from bench.reload import ROOT, edit_to_reload, free_port
from sales_playbook.errors import PlaybookError, Problem
from sales_playbook.preview.app import PreviewApp
from sales_playbook.preview.banner import SHOWN, banner
from sales_playbook.preview.browsers import OpenPages
from sales_playbook.preview.exchange import Request
from sales_playbook.preview.guard import allowed_hosts
from sales_playbook.preview.rerender import Pages
from sales_playbook.site import render
from sales_playbook.site.search_index import INDEX_SCRIPT, index_script_data
from sales_playbook.source.check import check
from sales_playbook.source.validate import Memo

from .conftest import SAMPLE, TODAY


def test_preview_shows_an_edit(base_playbook: Path, tmp_path: Path) -> None:
    # raises TimeoutError unless the served page shows the edited title
    timing = edit_to_reload(base_playbook, tmp_path, "non-negotiables/preisregel", timeout=60)
    assert timing["startup_s"] > 0


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # loopback only
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError:
        return 0, ""


def eventually(check: Callable[[], bool], what: str, timeout: float = 60) -> None:
    started = time.perf_counter()
    while not check():
        if time.perf_counter() - started > timeout:
            raise TimeoutError(f"the preview did not {what} within {timeout:.0f} s")
        time.sleep(0.2)


@contextmanager
def serving(playbook: Path, work: Path) -> Iterator[str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log = (work / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "sales_playbook.cli", "serve", str(playbook),
         "--build-dir", str(work / "preview"), "--address", f"127.0.0.1:{port}",
         "--today", TODAY.isoformat()],
        cwd=ROOT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, stdout=log, stderr=log,
    )  # fmt: skip
    try:
        eventually(lambda: "Was darf ich" in get(base)[1], "start")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def test_preview_follows_added_and_deleted_entries_and_the_settings(
    base_playbook: Path, tmp_path: Path
) -> None:
    org_settings = tmp_path / "mkdocs.yml"
    org_settings.write_text("theme:\n  palette:\n    primary: indigo\n", "utf-8")
    with serving(base_playbook, tmp_path) as base:
        assert get(f"{base}flexible-zones/ansprache.html")[0] == 200

        # a deleted entry's page disappears, and its overview no longer lists it (pages
        # open in no browser follow the page at once, in the background)
        (base_playbook / "flexible-zones" / "ansprache.yml").unlink()
        eventually(lambda: get(f"{base}flexible-zones/ansprache.html")[0] == 404, "drop a page")
        overview = f"{base}flexible-zones/index.html"
        eventually(lambda: "Ansprache" not in get(overview)[1], "drop it from the overview")

        # a new entry appears
        rule = (base_playbook / "non-negotiables" / "preisregel.yml").read_text("utf-8")
        new = rule.replace("id: preisregel", "id: neuregel").replace("Preisregel", "Neue Regel")
        (base_playbook / "non-negotiables" / "neuregel.yml").write_text(new, "utf-8")
        eventually(lambda: "Neue Regel" in get(f"{base}non-negotiables/neuregel.html")[1], "add")
        listing = f"{base}non-negotiables/index.html"
        eventually(lambda: "Neue Regel" in get(listing)[1], "list a new page")

        # title, roles and navigation follow playbook.yml, on every page
        settings = base_playbook / "playbook.yml"
        settings.write_text(
            settings.read_text("utf-8").replace("title: Test-Playbook", "title: Umbenannt")
            + "  - id: coach\n    name: Coach\n    description: Begleitet.\n",
            "utf-8",
        )
        (base_playbook / "onboarding.yml").unlink()
        page = f"{base}non-negotiables/preisregel.html"
        eventually(lambda: "<title>Preisregel - Umbenannt</title>" in get(page)[1], "retitle")
        assert get(f"{base}roles/coach.html")[0] == 200
        assert "onboarding.html" not in get(page)[1]
        assert get(f"{base}onboarding.html")[0] == 404

        # the organisation's mkdocs.yml is watched too
        org_settings.write_text("theme:\n  palette:\n    primary: teal\n", "utf-8")
        eventually(lambda: 'data-md-color-primary="teal"' in get(page)[1], "recolour")

        # a broken edit keeps the last good preview, and every page shows the problem
        broken = base_playbook / "non-negotiables" / "neuregel.yml"
        broken.write_text(new.replace("owner:", "<script>alert(1)</script>: x\nowner:"), "utf-8")
        log = tmp_path / "serve.log"
        eventually(lambda: "error[unknown-key]" in log.read_text("utf-8"), "report a problem")
        entry_page = f"{base}non-negotiables/neuregel.html"
        eventually(lambda: "pb-preview-problems" in get(entry_page)[1], "show a banner")
        shown = get(entry_page)[1]
        assert "Neue Regel" in shown  # the last good page
        assert "neuregel.yml:5:1" in shown and "unknown-key" in shown
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
        assert "<script>alert(1)" not in shown
        assert "pb-preview-problems" in get(f"{base}index.html")[1]

        # fixed: the banner goes
        broken.write_text(new.replace("Neue Regel", "Neue Regel repariert"), "utf-8")
        eventually(lambda: "Neue Regel repariert" in get(entry_page)[1], "show the fix")
        assert "pb-preview-problems" not in get(entry_page)[1]
        assert "pb-preview-problems" not in get(f"{base}index.html")[1]


# --- the incremental preview equals a full build -----------------------------------------


def edits(playbook: Path) -> Iterator[str]:
    """Changes of every sort, one at a time (each yields what it did)."""
    rule = playbook / "non-negotiables" / "preisregel.yml"
    text = rule.read_text("utf-8")
    rule.write_text(text.replace("title: Preisregel", "title: Preisregel neu"), "utf-8")
    yield "a title other entries show (ansprache is bounded by it)"
    rule.write_text(text.replace("owner: lead", "owner: rep").replace("Marge.", "Marge!"), "utf-8")
    yield "owner and text of an entry"
    added = playbook / "non-negotiables" / "neuregel.yml"
    added.write_text(
        text.replace("id: preisregel", "id: neuregel").replace("Preisregel", "Neue Regel")
        + "tags: [neu, preis]\n",
        "utf-8",
    )
    yield "an entry added, with tags"
    zone = playbook / "flexible-zones" / "ansprache.yml"
    zone.write_text(zone.read_text("utf-8").replace("[preisregel]", "[neuregel]"), "utf-8")
    yield "a reference moved to the new entry"
    (playbook / "flexible-zones" / "ansprache.yml").unlink()
    yield "an entry deleted"
    settings = playbook / "playbook.yml"
    settings.write_text(
        settings.read_text("utf-8").replace("title: Test-Playbook", "title: Umbenannt")
        .replace('version: "1"', 'version: "2"')
        + "  - id: coach\n    name: Coach\n    description: Begleitet.\n",
        "utf-8",
    )  # fmt: skip
    yield "title, version and roles"
    (playbook / "onboarding.yml").unlink()
    yield "the onboarding removed (navigation)"


def site_files(site: Path) -> dict[str, object]:
    """What a visitor gets: every page and file (the search index as data)."""
    files: dict[str, object] = {}
    for path in sorted(site.rglob("*")):
        name = path.relative_to(site).as_posix()
        if not path.is_file() or name.startswith("sitemap.xml"):  # dated by the clock
            continue
        data = path.read_bytes()
        files[name] = index_script_data(data.decode()) if name == INDEX_SCRIPT else data
    return files


def test_the_incremental_preview_equals_a_full_build(base_playbook: Path, tmp_path: Path) -> None:
    from sales_playbook.preview.serve import LiveSite, Preview

    url = "http://127.0.0.1:8000/"
    preview = Preview(base_playbook, tmp_path / "live", TODAY)
    preview.render()
    looked_at = {"index.md", "tags.md", "non-negotiables/preisregel.md"}
    live = LiveSite(preview, url, lambda: looked_at, later=lambda finish: finish())
    live.configured().plugins.on_startup(command="serve", dirty=True)
    live.build()
    for what in edits(base_playbook):
        live.update()
        assert not live.pending and not preview.stale, what
        model = preview.rendered.model
        assert model is not None and preview.docs is not None
        docs = {path: text.encode() for path, text in render.render_docs(model).items()}
        assert {path: preview.docs[path] for path in docs} == docs, what
        full = Preview(base_playbook, tmp_path / "full", TODAY)
        full.render()
        LiveSite(full, url).build()
        assert site_files(preview.site_dir) == site_files(full.site_dir), what
        shutil.rmtree(tmp_path / "full")


def test_pages_render_what_render_docs_renders(tmp_path: Path) -> None:
    """On the sample (entries that look each other up), after every sort of change."""
    playbook = tmp_path / "playbook"
    shutil.copytree(SAMPLE, playbook)
    pages = Pages()
    memo = Memo()

    def same() -> None:
        model = check(playbook, TODAY, preview=True, memo=memo).model
        urgent = {f"non-negotiables/{model.entries[0].id}.md"}
        assert pages.render(model, urgent).keys() == render.render_docs(model).keys()
        assert pages.render(model) == render.render_docs(model)

    same()
    for path in sorted(playbook.rglob("*.yml"))[::4]:  # a title in every fourth file
        text = path.read_text("utf-8")
        path.write_text(text.replace("\ntitle: ", "\ntitle: Neu ", 1), "utf-8")
        same()
    terms = playbook / "glossary.yml"
    terms.write_text(terms.read_text("utf-8").replace("term: ", "term: X", 1), "utf-8")
    same()
    # a path that other texts reference (`{rabatt-freigabe}`): their pages follow its bands
    rule = playbook / "non-negotiables" / "rabatt-obergrenze.yml"
    rule.write_text(rule.read_text("utf-8").replace("related: [rabatt-freigabe, ", "related: ["))
    same()
    discount = playbook / "escalation-paths" / "rabatt-freigabe.yml"
    text = discount.read_text("utf-8").replace("zertifiziert: 10,", "zertifiziert: 11,")
    discount.write_text(re.sub(r"examples:\n(  - .*\n)+", "", text), "utf-8")
    same()


# --- the problem banner -------------------------------------------------------------------

HOSTILE = "<script>alert(1)</script>"


def test_the_banner_escapes_what_the_sources_say(base_playbook: Path) -> None:
    rule = base_playbook / "non-negotiables" / "preisregel.yml"
    text = rule.read_text("utf-8").replace("title: Preisregel", f"title: '{HOSTILE}'")
    rule.write_text(text.replace("owner:", f"'{HOSTILE}': x\nowner:"), "utf-8")
    with pytest.raises(PlaybookError) as raised:
        check(base_playbook, TODAY, preview=True)
    shown = banner(raised.value.problems, "de").decode()
    assert "preisregel.yml:5:1" in shown and "unknown-key" in shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
    assert "<script" not in shown and "http" not in shown  # escaped, nothing loaded
    assert "letzte fehlerfreie Fassung" in shown


def test_the_banner_lists_the_first_problems_and_counts_the_rest() -> None:
    problems = [Problem(f"f{i}.yml", i + 1, 1, "bad-value", f"m{i}") for i in range(SHOWN + 3)]
    shown = banner([*problems, Problem("w.yml", 1, 1, "stale-review", "w", "", "warning")], "en")
    assert b"f0.yml:1:1" in shown and b"w.yml" not in shown  # errors first
    assert b"and 4 more" in shown


def test_the_banner_goes_into_html_pages_only(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_bytes(b"<html><body class='x'><p>Seite</p></body></html>")
    (tmp_path / "data.json").write_bytes(b"{}")
    banner_now = b""
    app = PreviewApp(tmp_path, allowed_hosts("127.0.0.1", 8000), banner=lambda: banner_now)

    def get_page(path: str) -> bytes:
        answer = app.answer(Request("GET", path, headers={"host": "127.0.0.1:8000"}))
        assert answer.status == 200
        return answer.body

    reload = f'<script src="/.playbook/reload.js" data-build="{app.builds.current}"></script>'
    page = f"<html><body class='x'><p>Seite</p>{reload}</body></html>".encode()
    assert get_page("/page.html") == page
    banner_now = b"<div>B</div>"
    assert get_page("/page.html") == page.replace(b"<p>", b"<div>B</div><p>")
    assert get_page("/data.json") == b"{}"


def test_open_pages_are_those_whose_reload_script_asks() -> None:
    now = [0.0]
    pages = OpenPages(clock=lambda: now[0])
    pages.saw("http://127.0.0.1:8000/non-negotiables/preisregel.html")
    pages.saw("/")
    pages.saw("/assets/x.js")
    assert pages.now() == {"non-negotiables/preisregel.md", "index.md"}
    now[0] = 1000.0
    assert pages.now() == set()


# --- reloading browsers over HTTP ---------------------------------------------------------


def build_shown(page: str) -> int:
    """The build a served page shows (its reload script's `data-build`)."""
    found = re.search(r'<script src="/\.playbook/reload\.js" data-build="(\d+)"></script>', page)
    assert found is not None, "no reload script in the page"
    return int(found[1])


class Question:
    """A browser's reload question, waiting in a thread for its answer."""

    def __init__(self, base: str, since: int, page: str) -> None:
        query = urllib.parse.urlencode({"since": since, "page": page})
        self.url, self.answer = f"{base}.playbook/reload?{query}", ""
        self.thread = threading.Thread(target=self._ask, daemon=True)
        self.thread.start()

    def _ask(self) -> None:
        with urllib.request.urlopen(self.url, timeout=60) as response:  # loopback only
            self.answer = response.read().decode()


def test_an_edit_is_a_new_build_the_waiting_browser_hears_of(
    base_playbook: Path, tmp_path: Path
) -> None:
    rule = base_playbook / "non-negotiables" / "preisregel.yml"
    text = rule.read_text("utf-8")
    with serving(base_playbook, tmp_path) as base:
        page = f"{base}non-negotiables/preisregel.html"
        shown = build_shown(get(page)[1])
        assert get(f"{base}.playbook/reload.js")[1].startswith("/*")
        waiting = Question(base, shown, "/non-negotiables/preisregel.html")
        time.sleep(0.5)
        assert waiting.thread.is_alive()  # nothing new: the question waits

        rule.write_text(text.replace("title: Preisregel", "title: Preisregel neu"), "utf-8")
        waiting.thread.join(timeout=60)
        assert int(waiting.answer) > shown  # a later build: the browser reloads
        served = get(page)[1]
        assert "Preisregel neu" in served and build_shown(served) >= int(waiting.answer)

        # a broken edit is a build too: the page shows the banner, and the last good page
        again = Question(base, build_shown(served), "/non-negotiables/preisregel.html")
        rule.write_text(text.replace("owner:", "unbekannt: x\nowner:"), "utf-8")
        again.thread.join(timeout=60)
        assert int(again.answer) > build_shown(served)
        broken = get(page)[1]
        assert "pb-preview-problems" in broken and "unknown-key" in broken
        assert "Preisregel neu" in broken
        assert broken.index("pb-preview-problems") < broken.index("/.playbook/reload.js")


def test_the_browser_shows_the_banner_and_the_fix_by_itself(
    browser: Any, base_playbook: Path, tmp_path: Path
) -> None:
    """An open page reloads on its own: with the banner while the sources are broken, with
    the fix and without it after; no request leaves the machine."""
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    rule = base_playbook / "non-negotiables" / "preisregel.yml"
    text = rule.read_text("utf-8")
    try:
        with serving(base_playbook, tmp_path) as base:
            page.goto(f"{base}non-negotiables/preisregel.html")
            time.sleep(0.5)  # its reload question is waiting: the page is open
            rule.write_text(text.replace("owner:", f"'{HOSTILE}': x\nowner:"), "utf-8")
            banner_box = page.locator("#pb-preview-problems")
            banner_box.wait_for(timeout=30_000)
            assert "preisregel.yml:5:1" in banner_box.inner_text()
            assert HOSTILE in banner_box.inner_text()  # shown as text, not run
            assert page.locator("h1").inner_text().rstrip("¶") == "Preisregel"  # the last good

            rule.write_text(text.replace("title: Preisregel", "title: Preisregel gut"), "utf-8")
            page.locator("h1", has_text="Preisregel gut").wait_for(timeout=30_000)
            assert page.locator("#pb-preview-problems").count() == 0
    finally:
        context.close()
    assert requests and all(url.startswith(base) for url in requests)
