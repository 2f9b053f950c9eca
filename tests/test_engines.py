"""The site step outlives its engine (issue 28): the generated configuration holds no hook
and no plugin of ours, and the sample built by MkDocs and by Zensical passes the same
checks: its pages, its links, the decision helper and offline use from file://. (The
search from file:// on both: test_our_search_works_from_disk below and tests/test_browser.py;
hostile text: tests/test_xss.py.)"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from sales_playbook.commands import build as commands_build
from sales_playbook.errors import PlaybookError
from sales_playbook.site import engine
from sales_playbook.source.check import check

from .conftest import (
    ENGINES,
    ROOT,
    SAMPLE,
    TODAY,
    SampleBuild,
    run_build,
    run_cli,
    run_playbook,
    strings_in,
    tree_digest,
)
from .test_browser import HELPER_VECTORS, run_table


def test_the_generated_configuration_has_no_hook_and_no_plugin_of_ours(
    sample: SampleBuild,
) -> None:
    text = (sample.build / "mkdocs.yml").read_text("utf-8")
    config = json.loads(text.split("\n", 1)[1])  # after the comment: JSON, which YAML reads
    assert "hooks" not in config
    # none at all: search, tags and the sitemap's date are ours (empty, not left out:
    # MkDocs would add its search plugin)
    assert config["plugins"] == []

    assert [s for s in strings_in(config) if s.endswith(".py")] == []  # no module of ours named


def test_no_module_of_ours_plugs_into_mkdocs() -> None:
    """Nothing in the package subclasses or registers into MkDocs' plugin system, but
    the live preview's dirty builds (`preview/livebuild.py`, MkDocs' public plugin API);
    nothing uses MkDocs' live-reload server (the preview serves itself)."""
    plugging = re.compile(r"mkdocs\.plugins|BasePlugin|event_priority")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "generator").rglob("*.py"))
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if plugging.search(line) and not line.lstrip().startswith("#")
    ]
    assert found and all(place.startswith("generator/preview/livebuild.py:") for place in found)
    served = [
        path
        for path in (ROOT / "generator").rglob("*.py")
        if "livereload" in path.read_text("utf-8")
    ]
    assert served == []


def test_the_engines_are_the_ones_the_command_offers() -> None:
    assert commands_build.ENGINES == engine.ENGINES


def html_pages(site: Path) -> set[str]:
    return {str(p.relative_to(site)) for p in site.rglob("*.html")}


def test_both_engines_build_the_same_pages(engine_sample: SampleBuild, sample: SampleBuild) -> None:
    pages = html_pages(engine_sample.site)
    assert len(pages) > 60
    assert pages == html_pages(sample.site)
    assert engine_sample.result.pages == sample.result.pages

    def ours(site: Path) -> set[str]:  # every file but the theme's assets
        files = {str(p.relative_to(site)) for p in site.rglob("*") if p.is_file()}
        return {f for f in files if not f.startswith("assets/")}

    assert ours(engine_sample.site) == ours(sample.site)
    # no search of the engine's own: not Zensical's index, not Material's worker
    for site in (engine_sample.site, sample.site):
        assert not (site / "search.json").exists()
        assert not (site / "assets" / "javascripts" / "workers").exists()


class Links(HTMLParser):
    """Every href and src of a page, and the ids it has."""

    def __init__(self) -> None:
        super().__init__()
        self.targets: list[tuple[str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        rel = dict(attrs).get("rel") or ""
        for name, value in attrs:
            if name in ("href", "src") and value:
                # a link a rep may follow, or one that names a page: nothing loads it
                follows = tag == "a" or rel in ("canonical", "alternate")
                self.targets.append(("a" if follows else tag, value))
            if name == "id" and value:
                self.ids.add(value)


def read_links(page: Path) -> Links:
    parser = Links()
    parser.feed(page.read_text("utf-8"))
    return parser


def test_every_link_of_every_page_resolves(engine_sample: SampleBuild) -> None:
    """Not one broken link, anchors included; nothing loaded from another host (a link
    to one is only ever a link a rep may follow)."""
    site = engine_sample.site
    parsed = {page: read_links(page) for page in sorted(site.rglob("*.html"))}
    broken, foreign, checked = [], [], 0
    for page, links in parsed.items():
        if page.name == "404.html":  # paths from the server's root (tests/test_site.py)
            continue
        for tag, target in links.targets:
            parts = urlsplit(target)
            if parts.scheme in ("mailto", "tel", "data") or target.startswith("#"):
                continue
            if parts.scheme or parts.netloc:
                if tag != "a":
                    foreign.append((str(page.relative_to(site)), target))
                continue
            resolved = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            checked += 1
            if not resolved.is_file() or (
                parts.fragment
                and resolved in parsed
                and unquote(parts.fragment) not in parsed[resolved].ids
            ):
                broken.append((str(page.relative_to(site)), target))
    assert broken == [] and foreign == []
    assert checked > 2000


@pytest.fixture
def page(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_the_helper_answers_alike_from_disk_and_offline(
    page: Any, engine_sample: SampleBuild
) -> None:
    """The helper's table of typed inputs, from file://, without a request to anywhere
    but the disk."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    rows = HELPER_VECTORS["de"]
    assert len(rows) >= 60
    assert run_table(page, engine_sample.site, engine_sample.result.model, rows) == []
    assert requests and [u for u in requests if not u.startswith(("file://", "data:"))] == []


def test_every_page_loads_from_disk_without_errors_or_requests_elsewhere(
    page: Any, engine_sample: SampleBuild
) -> None:
    site = engine_sample.site
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("requestfailed", lambda request: errors.append(f"failed: {request.url}"))
    shown = ["index.html", "escalation-paths/rabatt-freigabe.html", "board.html", "tags.html",
             "glossary.html", "onboarding.html", "roles/vertrieb.html"]  # fmt: skip
    for name in shown:
        page.goto((site / name).as_uri())
        page.wait_for_load_state("load")
        assert page.locator("article h1").count() == 1, name
    assert errors == []
    assert [u for u in requests if not u.startswith(("file://", "data:"))] == []


@pytest.mark.parametrize("engine_name", ENGINES)
def test_a_page_without_the_content_marks_fails_the_build(
    engine_name: str, base_playbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the engine (or a cache it kept) wrote from anything but our Markdown is not
    published unsanitised: the build stops and says so, and the old site stays."""
    site = tmp_path / "site"
    commands_build.build(base_playbook, site, tmp_path / "build", TODAY, engine=engine_name)
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    real = engine.build

    def forging(config: Any, config_file: Path, name: str = "mkdocs") -> None:
        real(config, config_file, name)
        forged = Path(config["site_dir"]) / "glossary.html"
        forged.write_text("<html><body><script>alert(1)</script></body></html>", "utf-8")

    monkeypatch.setattr(engine, "build", forging)
    with pytest.raises(PlaybookError) as failed:
        commands_build.build(base_playbook, site, tmp_path / "build", TODAY, engine=engine_name)
    assert "glossary.md" in str(failed.value)
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before


ZENSICAL_OUTPUT = """Build started
\x1b[33mWarning:\x1b[0m page does not exist
   \x1b[38;5;246m╭─[\x1b[0m escalation-paths/x.md:3:5 \x1b[38;5;246m]\x1b[0m
   │
 3 │ [k](../nowhere.md) and [y](../glossary.md#nope)
\x1b[33mWarning:\x1b[0m anchor does not exist
   ╭─[ escalation-paths/x.md:3:42 ]
\x1b[33mWarning:\x1b[0m something else entirely
2 issues found
"""


def test_zensicals_warnings_read_as_mkdocs_words_them(tmp_path: Path) -> None:
    """So `links.explain` traces them back to the source's link, as it does MkDocs'."""
    page = tmp_path / "escalation-paths" / "x.md"
    page.parent.mkdir()
    page.write_text("# X\n\n[k](../nowhere.md) and [y](../glossary.md#nope)\n", "utf-8")
    assert engine.zensical_messages(ZENSICAL_OUTPUT, tmp_path) == [
        "Doc file 'escalation-paths/x.md' contains a link '../nowhere.md': page does not exist",
        "Doc file 'escalation-paths/x.md' contains a link '../glossary.md#nope': "
        "anchor does not exist",
        "Zensical: something else entirely",
    ]


def test_a_link_zensical_cannot_resolve_is_placed_at_its_source(
    base_playbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sales_playbook.source import links

    rule = next(base_playbook.glob("non-negotiables/*.yml"))
    text = rule.read_text("utf-8")
    rule.write_text(
        text.replace("\nwhy: Marge.", "\nwhy: Marge, siehe [dort](nirgends.md).", 1), "utf-8"
    )
    monkeypatch.setattr(links, "check", lambda source: [])  # past validation, as if missed
    site = tmp_path / "site"
    with pytest.raises(PlaybookError) as failed:
        commands_build.build(base_playbook, site, tmp_path / "build", TODAY, engine="zensical")
    [problem] = failed.value.problems
    assert problem.file.endswith(rule.name) and problem.line > 1, problem
    assert "nirgends.md" in problem.message
    assert not site.exists()  # bad input writes nothing


def test_without_zensical_the_build_says_what_to_install(
    base_playbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "find_spec", lambda name: None)
    code, err = run_cli("build", str(base_playbook), "--out", str(tmp_path / "s"),
                        "--build-dir", str(tmp_path / "b"), "--engine", "zensical")  # fmt: skip
    assert code == 2 and "sales-playbook[zensical]" in err and "Traceback" not in err
    assert not (tmp_path / "s").exists()


def test_a_mkdocs_build_names_materials_end_of_life_once_unless_switched_off(
    base_playbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = ["--out", str(tmp_path / "s"), "--build-dir", str(tmp_path / "b")]
    monkeypatch.delenv("NO_MKDOCS_2_WARNING", raising=False)
    code, err = run_cli("build", str(base_playbook), *out)
    assert code == 0 and err.count("end of life on 5 May 2027") == 1, err
    monkeypatch.delenv("NO_MKDOCS_2_WARNING", raising=False)  # Material set it on import
    code, err = run_cli("build", str(base_playbook), *out, "--engine", "zensical")
    assert code == 0 and "end of life" not in err
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    code, err = run_cli("build", str(base_playbook), *out)
    assert code == 0 and "end of life" not in err


def test_the_decks_are_the_same_laid_out_beside_the_engine_or_before_it(
    base_playbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beside the engine (the decks joined after it) or, for a very large deck, before it:
    the same files; the docs carry the decks or empty stand-ins the site's files replace."""
    from sales_playbook.cards import deck

    built = {}
    for up_to in (10_000, 0):
        monkeypatch.setattr(deck, "BESIDE_ENGINE_UP_TO", up_to)
        out = tmp_path / str(up_to)
        commands_build.build(base_playbook, out / "site", out / "build", TODAY)
        built[up_to] = {name: (out / "site" / name).read_bytes() for name in deck.PDF_FILE_NAMES}
        docs = {
            name: (out / "build" / "docs" / name).stat().st_size for name in deck.PDF_FILE_NAMES
        }
        assert all(size == 0 for size in docs.values()) == (up_to > 0)
    assert built[10_000] == built[0]
    assert all(pdf.startswith(b"%PDF-") and len(pdf) > 10_000 for pdf in built[0].values())


def test_the_printables_made_in_a_forked_process_are_those_made_here(
    base_playbook: Path, tmp_path: Path
) -> None:
    """`playbook build` makes the print view, both decks and the poster in a forked
    process beside the engine (in a test worker, which runs threads, in a thread): the
    same files. What the fork laid out reaches the build cache: the next build starts no
    card worker and lays out no poster."""
    from sales_playbook.cards import printables

    here = tmp_path / "here"
    commands_build.build(base_playbook, here / "site", here / "build", TODAY)
    out, forks = tmp_path / "cli", tmp_path / "forks"
    args = (
        "build", str(base_playbook), "--out", str(out / "site"), "--build-dir",
        str(out / "build"), "--today", TODAY.isoformat(),
    )  # fmt: skip
    counting = (
        "import os\nfrom sales_playbook.runtime import parallel\nreal = parallel._background\n"
        "def counted(*a):\n"
        f"    open({str(forks)!r}, 'a').write(f'{{os.getpid()}}\\n')\n"
        "    return real(*a)\n"
        "parallel._background = counted\n"
    )
    done = run_playbook(*args, python=counting)
    assert done.returncode == 0, done.stderr
    assert len(forks.read_text().split()) == 1  # made in a child of the command's process
    names = printables.names(printables.with_poster(check(base_playbook, TODAY).model))
    assert printables.SITE_POSTER in names
    for name in names:
        assert (out / "site" / name).read_bytes() == (here / "site" / name).read_bytes(), name
    laying_out_nothing = (
        "from sales_playbook.cards import poster, worker\n"
        "def refused(*a, **k):\n    raise SystemExit('laid out again')\n"
        "worker._worker = poster.site_pdf = refused\n"
    )
    again = run_playbook(*args, python=laying_out_nothing)
    assert again.returncode == 0, again.stderr


def test_a_failed_engine_stops_the_printables_beside_it(
    base_playbook: Path, tmp_path: Path
) -> None:
    """The engine fails while the decks are being laid out beside it: the build reports
    the engine's problem without waiting for them, the forked process and its card
    workers are gone, and nothing of theirs is left in the temporary folder or the cache."""
    import os
    import subprocess
    import sys
    import time

    temp = tmp_path / "tmp"
    temp.mkdir()
    failing = (
        "import time\nfrom sales_playbook.site import engine\n"
        "def failed(*a, **k):\n"
        "    time.sleep(1)\n"  # the fork is laying out its cards by now
        "    raise engine.BuildFailed([\"WARNING -  Doc file 'index.md' contains a link "
        "'nirgends.md', but the target is not found among documentation files.\"])\n"
        "engine.build = failed\n"
        "from sales_playbook.cli import main; raise SystemExit(main())"
    )
    out = tmp_path / "out"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", failing, "build", str(base_playbook), "--out", str(out / "site"),
         "--build-dir", str(out / "build"), "--today", TODAY.isoformat()],
        capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "TMPDIR": str(temp), "NO_MKDOCS_2_WARNING": "1"},
    )  # fmt: skip
    took = time.monotonic() - started
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "nirgends.md" in done.stderr
    assert not (out / "site").exists() and not (out / "build" / "cache").exists()
    assert list(temp.iterdir()) == []  # no staged cache blobs, no card worker's files
    laying_out = subprocess.run(["pgrep", "-f", str(base_playbook)], capture_output=True)
    assert laying_out.stdout == b""  # no process of that build is left
    assert took < 60


def test_our_search_works_from_disk(page: Any, engine_sample: SampleBuild) -> None:
    """Our search box and index need nothing of the engine's search: on either build,
    opened from disk, the box finds the page a rep asks for and opens it, the engine's
    own box (Zensical has one) is hidden, and no request leaves the machine."""
    from .test_browser import search

    site = engine_sample.site
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto((site / "index.html").as_uri())
    assert page.locator(".md-search").count() == 0 or page.locator(".md-search").is_hidden()
    titles = search(page, "Zahlungsziel")
    assert titles[0] == "Zahlungsziel"
    page.keyboard.press("Enter")
    page.wait_for_url("**/escalation-paths/zahlungsziel-freigabe.html")
    assert [url for url in requests if not url.startswith("file://")] == []


def test_the_finishing_step_gives_the_same_site_over_several_cores(
    base_playbook: Path, tmp_path: Path
) -> None:
    """Sanitising and reading the pages for the search in forked workers, in workers
    started fresh (a very large site) or in this process (a small one): the same files.
    Run as the command runs, in a process of its own (a process with other threads, a
    test worker's, never forks)."""
    trees = []
    for parallel_from, fresh_from in ((1, 100_000), (1, 1), (100_000, 100_000)):
        out = tmp_path / f"{parallel_from}-{fresh_from}"
        out.mkdir()
        split = out / "split"
        code = (
            "from sales_playbook.runtime import parallel; from sales_playbook.site import finish\n"
            f"finish.PARALLEL_FROM = {parallel_from}\n"
            f"finish.FRESH_FROM = {fresh_from}\n"
            "chunks = parallel.chunks\n"
            "def counted(*a, **k):\n"
            "    done = chunks(*a, **k)\n"
            f"    open({str(split)!r}, 'a').write(f'{{len(done)}}\\n')\n"
            "    return done\n"
            "parallel.chunks = counted\n"
            "from sales_playbook.runtime import fresh\n"
            "class Counted(fresh.Started):\n"
            "    def __init__(self, *a, **k):\n"
            f"        open({str(split)!r} + '.fresh', 'a').write('1\\n')\n"
            "        super().__init__(*a, **k)\n"
            "fresh.Started = Counted\n"
        )
        done = run_build(base_playbook, out, python=code)
        assert done.returncode == 0, done.stderr
        trees.append(tree_digest(out / "site"))
        if parallel_from == 1:  # its pages were split over the cores
            assert max(int(n) for n in split.read_text().split()) >= 2
            assert Path(f"{split}.fresh").exists() == (fresh_from == 1)  # new interpreters
    assert trees[0] == trees[1] == trees[2]
    assert sum(name.endswith(".html") for name in trees[0]) > 20


def test_the_same_decks_whatever_the_groups_each_card_worker_lays_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A fresh Typst worker every few groups (it keeps what it laid out, and grows): the
    decks are the same bytes as from one worker."""
    from sales_playbook.cards import deck, worker

    started: list[int] = []
    real = worker._worker

    def counted(*args: Any) -> Any:
        started.append(1)
        return real(*args)

    monkeypatch.setattr(worker, "_worker", counted)
    model = check(SAMPLE, TODAY).model  # cards in more than one group
    one = deck.site_files(model, 1_790_000_000)
    assert len(started) == 1
    monkeypatch.setattr(worker, "JOBS_PER_WORKER", 1)
    many = deck.site_files(model, 1_790_000_000)
    assert len(started) >= 3  # a worker per group
    assert {k: v for k, v in one.items() if k.endswith(".pdf")} == {
        k: v for k, v in many.items() if k.endswith(".pdf")
    }


def test_a_build_folder_runs_no_code_of_its_own_with_zensical(
    base_playbook: Path, tmp_path: Path
) -> None:
    """The build folder is untrusted (a branch can commit it, a CI cache can be restored
    from elsewhere): modules planted there are not imported by the engine's process, and
    a link where Zensical keeps its cache is refused, not written through."""
    site, build = tmp_path / "site", tmp_path / "build"
    out = ["--out", str(site), "--build-dir", str(build), "--engine", "zensical"]
    assert run_cli("build", str(base_playbook), *out)[0] == 0
    ran = tmp_path / "ran"
    for module in ("zensical.py", "yaml.py", "json.py", "markdown.py"):
        (build / module).write_text(f"open({str(ran)!r}, 'a').write('{module}')\n", "utf-8")
    code, err = run_cli("build", str(base_playbook), *out)
    assert code == 0, err
    assert not ran.exists()
    assert not list(build.glob(".zensical-*"))  # its scratch copies are gone
    assert not (build / ".cache").exists()  # and its cache: the next build trusts none
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (build / ".cache").symlink_to(elsewhere, target_is_directory=True)
    code, err = run_cli("build", str(base_playbook), *out)
    assert code == 2 and "holds a link" in err and ".cache" in err
    assert list(elsewhere.iterdir()) == []


def test_the_preview_sanitises_each_page_before_it_is_served() -> None:
    from sales_playbook.preview.livebuild import UNMARKED, DirtyBuild
    from sales_playbook.site.marks import END, START

    page = f'<html><body>{START}<h1 onclick="alert(1)">T</h1>{END}</body></html>'
    cleaned = DirtyBuild().on_post_page(page)
    assert "onclick" not in cleaned and "<h1>T</h1>" in cleaned
    assert DirtyBuild().on_post_page("<p onclick=x()>unmarked</p>") == UNMARKED


def test_the_preview_never_redirects_to_another_host(tmp_path: Path) -> None:
    from sales_playbook.preview.sitefiles import Moved, locate

    (tmp_path / "assets").mkdir()
    for asked in ("//assets", "/%2Fassets", "/assets", "/%2F%2Fassets"):
        found = locate(tmp_path, asked)
        assert isinstance(found, Moved), asked
        assert found.location == "/assets/", (asked, found)
