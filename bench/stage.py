"""One benchmark stage in its own process, so peak memory belongs to that stage alone.

Usage: python -m bench.stage STAGE PLAYBOOK WORKDIR  -> one line of JSON on stdout.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import resource
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import yaml

TODAY = dt.date(2026, 11, 23)
GENERATED = "mkdocs.generated.yml"


def run(stage: str, playbook: Path, work: Path) -> dict[str, float]:
    from sales_playbook.cards import deck, poster
    from sales_playbook.commands import build as commands_build
    from sales_playbook.runtime import output
    from sales_playbook.site import config as site_config
    from sales_playbook.site import engine as site
    from sales_playbook.site import render
    from sales_playbook.source import check as pipeline

    started = time.perf_counter()
    extra: dict[str, float] = {}
    if stage == "validate":
        checked = pipeline.check(playbook, TODAY)
        extra["entries"] = len(checked.model.entries)
    elif stage == "render":
        model = pipeline.check(playbook, TODAY).model
        checked = time.perf_counter()
        docs: dict[str, str | bytes] = {**render.render_docs(model)}
        rendered = time.perf_counter()
        # the pages link to the cards; placeholders keep MkDocs' link check quiet
        docs.update({name: b"" for name in (*deck.SITE_FILE_NAMES, poster.SITE_FILE)})
        # the site at `work`: Zensical builds only into its project's folder
        config = site_config.mkdocs_config(model, work / "docs", work / "site")
        output.write_tree(docs, work / "docs")
        # not mkdocs.yml: beside the playbook, that is the organisation's own settings file
        (work / GENERATED).write_text(site_config.dump_config(config), "utf-8")
        extra["pages"] = sum(1 for p in docs if p.endswith(".md"))
        extra["check_s"] = round(checked - started, 3)
        extra["markdown_s"] = round(rendered - checked, 3)
        extra["write_s"] = round(time.perf_counter() - rendered, 3)
    elif stage in ("mkdocs", "zensical"):
        # the engine's own build of the same generated docs, nothing of ours around it
        config = yaml.safe_load((work / GENERATED).read_text("utf-8"))
        with output.building(work / f"site-{stage}") as new_site:
            config["site_dir"] = str(new_site)
            site.build(config, work / GENERATED, stage)
    elif stage == "cards":
        # every card, both of the site's decks (A6 with bleed and crop marks, A4 4-up),
        # laid out from scratch: no build cache
        model = pipeline.check(playbook, TODAY).model
        started = time.perf_counter()
        files = deck.site_files(model, 1_795_000_000)
        extra["cards"] = len(model.in_force)
        extra["deck_mb"] = round(len(files["cards/decision-cards.pdf"]) / 1e6, 1)
    elif stage in ("build", "build-zensical"):
        # from scratch: no build cache left by an earlier run
        engine = "zensical" if stage == "build-zensical" else "mkdocs"
        site_folder, build_folder = work / f"full-site-{engine}", work / f"full-build-{engine}"
        for folder in (site_folder, build_folder):
            shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        commands_build.build(playbook, site_folder, build_folder, TODAY, engine=engine)
    elif stage == "rebuild":
        extra.update(rebuilds(playbook, work))
    else:
        raise SystemExit(f"unknown stage {stage}")
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": round(seconds, 3), "peak_mb": round(peak_mb, 1), **extra}


def rebuilds(playbook: Path, work: Path) -> dict[str, float]:
    """`commands_build.build` three times into one build folder: cold (no cache), nothing changed,
    and one entry's title changed; each with whether the engine started early took its
    site (site/ahead.py: then the engine ran beside the checks, in a forked process) and
    else the time the engine (MkDocs) took inside it."""
    from sales_playbook.commands import build as commands_build
    from sales_playbook.site import ahead
    from sales_playbook.site import engine as site

    inside: list[float] = []
    early: list[bool] = []
    build, site_into = site.build, ahead.EarlyEngine.site_into

    def timed(*args: Any, **kwargs: Any) -> None:
        started = time.perf_counter()
        try:
            build(*args, **kwargs)
        finally:
            inside.append(time.perf_counter() - started)

    def taken(self: ahead.EarlyEngine, into: Path) -> bool:
        given = site_into(self, into)
        early.append(given)
        return given

    site.build = timed
    ahead.EarlyEngine.site_into = taken  # type: ignore[method-assign]
    out = work / "rebuild"
    shutil.rmtree(out, ignore_errors=True)
    entry = sorted((playbook / "flexible-zones").glob("*.yml"))[0]
    text = entry.read_text("utf-8")
    figures: dict[str, float] = {}
    try:
        for run in ("cold", "unchanged", "one_changed"):
            if run == "one_changed":
                entry.write_text(re.sub(r"(?m)^title: .*$", 'title: "Neu"', text, count=1))
            inside.clear()
            early.clear()
            started = time.perf_counter()
            built = commands_build.build(playbook, out / "site", out / "build", TODAY)
            figures[f"{run}_s"] = round(time.perf_counter() - started, 3)
            figures[f"{run}_early_engine"] = any(early)  # its site taken
            if inside:  # in this process (after the checks)
                figures[f"{run}_mkdocs_s"] = round(inside[-1], 3)
            figures[f"{run}_rendered"] = len(built.rendered)
    finally:
        entry.write_text(text, "utf-8")
        site.build = build
        ahead.EarlyEngine.site_into = site_into  # type: ignore[method-assign]
    return figures


if __name__ == "__main__":
    stage, playbook, work = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    work.mkdir(parents=True, exist_ok=True)
    print(json.dumps(run(stage, playbook, work)))
