"""The seam to the site engine: the generated project built by MkDocs (the default) or by
Zensical, each the way its own `build` command builds one, strict about warnings.

Nothing of ours runs inside the engine: no hook, no plugin. What makes the site ours
happens before (the generated Markdown) and after it (`site/finish.py`). MkDocs runs in
this process, as `mkdocs build` runs it, with a logging handler on its logger collecting
its warnings; Zensical runs as its command (`python -m zensical build --strict`), whose
warnings are read from its output. Either way a warning fails the build and travels
back as text for the pipeline to place (`source/links.py`).
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from ..errors import Failure, UsageError
from ..runtime.output import temp_sibling

ENGINES = ("mkdocs", "zensical")
DEFAULT = "mkdocs"
ZENSICAL_INSTALL = "pip install 'sales-playbook[zensical]'"


class BuildFailed(Failure):
    """Raised when the engine stops; `messages` holds its warnings and errors, in order."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("\n".join(messages))


def build(config: Mapping[str, Any], config_file: Path, engine: str = DEFAULT) -> None:
    """Build the site `config` describes (its `docs_dir` into its `site_dir`, both
    absolute); `config_file` is where the configuration is written afterwards, which
    relative paths in it are taken from. Any warning of the engine fails the build."""
    if engine == "zensical":
        zensical_build(config, config_file)
    else:
        mkdocs_build(config, config_file)


# --- MkDocs ---------------------------------------------------------------------------


class _Collect(logging.Handler):
    """MkDocs' warnings from one thread only (the preview builds in a background thread too)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []
        self.thread = threading.get_ident()

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.messages.append(record.getMessage())


@contextmanager
def collected_warnings() -> Iterator[list[str]]:
    """MkDocs' warnings and errors while the block runs in this thread (they still reach
    other handlers)."""
    logger = logging.getLogger("mkdocs")
    collect = _Collect()
    logger.addHandler(collect)
    try:
        yield collect.messages
    finally:
        logger.removeHandler(collect)


def configure(config: Mapping[str, Any], config_file: Path, **overrides: Any) -> Any:
    """Our generated configuration, loaded by MkDocs (validated, plugins instantiated).

    `config_file` is where it is (or will be) written: MkDocs resolves relative paths
    against it.
    """
    from mkdocs.config import load_config

    text = io.StringIO(json.dumps(config, ensure_ascii=False))
    return load_config(text, config_file_path=str(config_file), **overrides)


def mkdocs_build(config: Mapping[str, Any], config_file: Path) -> None:
    """What `mkdocs build --strict` does: load the configuration, the plugins'
    `on_startup`, the build, and their `on_shutdown` whatever happens."""
    from mkdocs.commands.build import build as run_build
    from mkdocs.exceptions import MkDocsException

    with collected_warnings() as messages:
        try:
            loaded = configure(config, config_file, strict=True)
            loaded.plugins.on_startup(command="build", dirty=False)
            try:
                run_build(loaded)
            finally:
                loaded.plugins.on_shutdown()
        except (MkDocsException, SystemExit) as error:
            raise BuildFailed(list(messages) or [str(error)]) from error


# --- Zensical -------------------------------------------------------------------------

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# "Warning: page does not exist", then where: "╭─[ broken.md:3:5 ]"
ZENSICAL_PROBLEM = re.compile(r"^(?:Warning|Error):\s*(?P<message>.+)$")
ZENSICAL_WHERE = re.compile(r"\[\s*(?P<file>[^\]\s]+?):(?P<line>\d+):(?P<column>\d+)\s*\]")
LINK_TARGET = re.compile(r"\]\(\s*<?(?P<target>[^)\s>]*)")


def zensical_build(config: Mapping[str, Any], config_file: Path) -> None:
    """`zensical build --strict` on `config`, from a copy of it in the build folder (the
    folder of `config_file`: Zensical builds only inside its configuration's folder), into
    a fresh folder of ours there, then moved to `config["site_dir"]`.

    A build folder may come from anywhere: nothing is imported from it (`-P`), Zensical's
    cache (`.cache`) is cleaned before (`--clean`) and removed after, a link in its place
    is removed unfollowed, and copies of the configuration a killed build left are
    removed."""
    if find_spec("zensical") is None:
        raise UsageError(f"`--engine zensical` needs Zensical: {ZENSICAL_INSTALL}")
    project = config_file.parent
    docs, site = Path(config["docs_dir"]), Path(config["site_dir"])
    for left in project.glob(".zensical-*.yml"):
        left.unlink(missing_ok=True)  # a file or a link, never followed
    _remove_cache(project)
    built = temp_sibling(project / "zensical-site")  # `.zensical-site-new-…`, marked ours
    handle, name = tempfile.mkstemp(prefix=".zensical-", suffix=".yml", dir=project)
    try:
        own = {
            **config,
            "docs_dir": os.path.relpath(docs, project),
            "site_dir": os.path.relpath(built, project),
            # Zensical adds its own search unless told not to; the site's search is ours
            "plugins": [*config.get("plugins", []), {"search": {"enabled": False}}],
        }
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(own, out, ensure_ascii=False)
        # -P: nothing is imported from the folder it runs in (the build folder)
        command = [sys.executable, "-P", "-m", "zensical", "build", "--strict", "--clean"]
        environment = {**os.environ, "NO_COLOR": "1", "PYTHONDONTWRITEBYTECODE": "1"}
        ran = subprocess.run(
            [*command, "-f", name], cwd=project, env=environment, capture_output=True,
            text=True, check=False,
        )  # fmt: skip
        messages = zensical_messages(ran.stdout + "\n" + ran.stderr, docs)
        if ran.returncode != 0 or messages:
            raise BuildFailed(messages or [f"Zensical: {_last_line(ran.stderr) or 'it failed'}"])
        if not (built / "index.html").is_file():
            raise BuildFailed(["Zensical: it wrote no site (no index.html)"])
        _move_into(built, site)
    finally:
        Path(name).unlink(missing_ok=True)
        shutil.rmtree(built, ignore_errors=True)
        _remove_cache(project)


def _remove_cache(project: Path) -> None:
    """Zensical's cache in `project`: a folder removed, anything else (a link) unlinked."""
    cache = project / ".cache"
    if cache.is_symlink() or (cache.exists() and not cache.is_dir()):
        cache.unlink()
    elif cache.is_dir():
        shutil.rmtree(cache, ignore_errors=True)


def zensical_messages(output: str, docs: Path) -> list[str]:
    """Zensical's warnings as MkDocs words them where they are about a link
    ("Doc file 'x.md' contains a link 'y': …", what `links.explain` places), else as
    its own words with their place."""
    lines = [ANSI.sub("", line).strip(" │") for line in output.splitlines()]
    messages = []
    for i, line in enumerate(lines):
        found = ZENSICAL_PROBLEM.match(line)
        if not found:
            continue
        what = found["message"].strip()
        where = next((ZENSICAL_WHERE.search(x) for x in lines[i + 1 : i + 3] if "[" in x), None)
        if where is None:
            messages.append(f"Zensical: {what}")
            continue
        doc, line_no, column = where["file"], int(where["line"]), int(where["column"])
        target = _link_at(docs / doc, line_no, column)
        if target is not None:
            messages.append(f"Doc file '{doc}' contains a link '{target}': {what}")
        else:
            messages.append(f"Doc file '{doc}' ({line_no}:{column}): {what}")
    return messages


def _link_at(page: Path, line: int, column: int) -> str | None:
    """The link target of a Markdown link around `line`:`column` of `page`, if any."""
    try:
        text = page.read_text("utf-8").splitlines()[line - 1]
    except (OSError, UnicodeDecodeError, IndexError):
        return None
    start = text.rfind("](", 0, column)
    found = LINK_TARGET.match(text, start) if start >= 0 else None
    return found["target"] if found else None


def _last_line(text: str) -> str:
    lines = [ANSI.sub("", x).strip() for x in text.splitlines() if x.strip()]
    return lines[-1] if lines else ""


def _move_into(built: Path, site: Path) -> None:
    """`built`'s files into the (empty, fresh) folder `site`."""
    for item in built.iterdir():
        shutil.move(str(item), str(site / item.name))
