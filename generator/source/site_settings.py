"""The organisation's own site settings: `mkdocs.yml` beside the playbook folder.

An organisation's repository holds `playbook/` and beside it a `mkdocs.yml` with only
its presentation: `theme.palette`, `theme.logo` and `theme.favicon`. Everything else
the tool sets (title, address and language come from `playbook.yml`). The file is read
with the playbook's own loader, so every problem has its line and column; the logo and
favicon are files beside it, copied into the generated site.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from ..errors import Problem
from ..parse import JsonPath, Source
from .load import MAX_BYTES, display_path, load_file
from .suggest import choices, closest

FILE_NAME = "mkdocs.yml"
THEME_KEYS = ("palette", "logo", "favicon")
IMAGES = {"logo": "assets/logo", "favicon": "assets/favicon"}  # docs path, without suffix
IMAGE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico")
PALETTE_KEYS = ("scheme", "primary", "accent", "media", "toggle")
SCHEMES = ("default", "slate")
ACCENTS = (
    "red", "pink", "purple", "deep purple", "indigo", "blue", "light blue", "cyan", "teal",
    "green", "light green", "lime", "yellow", "amber", "orange", "deep orange",
)  # fmt: skip
PRIMARIES = (*ACCENTS, "brown", "grey", "blue grey", "black", "white")

# keys of a full mkdocs.yml, and where their value comes from instead
FROM_PLAYBOOK = {
    "site_name": "`title`",
    "site_url": "`site_url`",
    "site_description": "`description`",
    "site_author": "`organisation`",
    "copyright": "`organisation` and `version`",
}
MKDOCS_KEYS = {
    *FROM_PLAYBOOK, "repo_url", "repo_name", "edit_uri", "edit_uri_template", "docs_dir",
    "site_dir", "nav", "plugins", "hooks", "markdown_extensions", "extra", "extra_css",
    "extra_javascript", "extra_templates", "use_directory_urls", "strict", "dev_addr",
    "validation", "watch", "exclude_docs", "draft_docs", "not_in_nav", "remote_branch",
    "remote_name", "INHERIT", "google_analytics",
}  # fmt: skip
THEME_FROM_PLAYBOOK = {"language": "`language`", "locale": "`language`"}
THEME_MKDOCS_KEYS = {
    "name", "custom_dir", "features", "font", "icon", "static_templates", "direction",
}  # fmt: skip
ONLY = "an organisation's mkdocs.yml holds only `theme.palette`, `theme.logo` and `theme.favicon`"
TOOL_HINT = f"the tool sets this; {ONLY}"


@dataclass(frozen=True)
class SiteSettings:
    """What the organisation's mkdocs.yml changes in the site (nothing when there is none)."""

    file: str = ""
    palette: Any = None
    images: tuple[tuple[str, Path], ...] = ()  # (theme key, the file beside mkdocs.yml)

    def theme(self) -> dict[str, Any]:
        """Theme settings to merge into the base configuration (paths inside docs/)."""
        theme: dict[str, Any] = {} if self.palette is None else {"palette": self.palette}
        theme.update({key: _docs_path(key, path) for key, path in self.images})
        return theme

    def docs_files(self) -> dict[str, bytes]:
        """The logo and favicon, to copy into the generated docs."""
        return {_docs_path(key, path): path.read_bytes() for key, path in self.images}

    def watched(self) -> list[Path]:
        """Files whose change changes the site (for the live preview)."""
        return [Path(self.file), *(path for _, path in self.images)] if self.file else []


NO_SETTINGS = SiteSettings()


def _docs_path(key: str, path: Path) -> str:
    return IMAGES[key] + path.suffix.lower()


def beside(root: Path) -> Path:
    """Where an organisation keeps its mkdocs.yml: beside the playbook folder."""
    return root.absolute().parent / FILE_NAME


def load(path: Path | None, root: Path) -> tuple[SiteSettings, list[Problem]]:
    """Read the organisation's settings from `path` (default: beside `root`, if there)."""
    if path is None:
        path = beside(root)
        if not path.is_file():
            return NO_SETTINGS, []
    file = display_path(path)
    if not path.is_file():
        return NO_SETTINGS, [
            Problem(
                file,
                1,
                1,
                "missing-file",
                f"no {FILE_NAME} at {file}",
                "name the organisation's mkdocs.yml (it sits beside the playbook folder)",
            )
        ]
    result = load_file(path, "site-settings")
    if isinstance(result, list):
        if [p.rule for p in result] == ["empty-file"]:
            return SiteSettings(file), []  # an empty file changes nothing
        return NO_SETTINGS, result
    settings = Path(os.path.relpath(root.absolute() / "playbook.yml", path.absolute().parent))
    if settings.parts[0] == "..":
        settings = Path(display_path(root / "playbook.yml"))
    return _settings(result, path.parent, settings.as_posix())


def _settings(source: Source, folder: Path, settings: str) -> tuple[SiteSettings, list[Problem]]:
    data = source.data
    if not isinstance(data, dict):
        return NO_SETTINGS, [
            source.problem(
                (),
                "wrong-type",
                f"{FILE_NAME} must be a mapping of settings",
                "write `theme:` with `palette`, `logo` or `favicon` below it",
            )
        ]
    problems = [_unknown(source, (key,), settings) for key in data if key != "theme"]
    theme = data.get("theme")
    if theme is None:
        return SiteSettings(source.file), problems
    if not isinstance(theme, dict):
        problems.append(
            source.problem(
                ("theme",),
                "wrong-type",
                "`theme` must be a mapping",
                "write `palette`, `logo` or `favicon` indented below `theme:`",
            )
        )
        return NO_SETTINGS, problems
    problems += [
        _unknown(source, ("theme", key), settings) for key in theme if key not in THEME_KEYS
    ]
    problems += _palette(source, theme.get("palette"))
    images = []
    for key in IMAGES:
        if key in theme:
            path, problem = _image(source, ("theme", key), theme[key], folder)
            if problem:
                problems.append(problem)
            elif path:
                images.append((key, path))
    if problems:
        return NO_SETTINGS, problems
    return SiteSettings(source.file, theme.get("palette"), tuple(images)), []


def _unknown(source: Source, path: JsonPath, settings: str) -> Problem:
    key = str(path[-1])
    dotted = ".".join(str(p) for p in path)
    in_theme = len(path) == 2
    from_playbook = (THEME_FROM_PLAYBOOK if in_theme else FROM_PLAYBOOK).get(key)
    near = closest(key, THEME_KEYS if in_theme else ["theme"])
    if from_playbook:
        hint = f"set {from_playbook} in {settings}"
    elif key in (THEME_MKDOCS_KEYS if in_theme else MKDOCS_KEYS):
        hint = TOOL_HINT
    elif near:
        hint = f"did you mean `{near}`?"
    else:
        hint = ONLY
    return source.problem(
        path,
        "unknown-key",
        f"`{dotted}` cannot be set in the organisation's {FILE_NAME}",
        hint,
        at_key=True,
    )


def _palette(source: Source, palette: Any) -> list[Problem]:
    """One palette (a mapping) or several to switch between (a list of mappings)."""
    if palette is None:
        return []
    base: JsonPath = ("theme", "palette")
    if isinstance(palette, dict):
        return _palette_entry(source, base, palette)
    if isinstance(palette, list) and palette:
        problems = []
        for i, item in enumerate(palette):
            if isinstance(item, dict):
                problems += _palette_entry(source, (*base, i), item)
            else:
                problems.append(_wrong(source, (*base, i), "a mapping (scheme, primary, accent)"))
        return problems
    return [_wrong(source, base, "a mapping (scheme, primary, accent) or a list of them")]


def _palette_entry(source: Source, path: JsonPath, entry: dict[str, Any]) -> list[Problem]:
    problems = []
    for key, value in entry.items():
        where = (*path, key)
        if key not in PALETTE_KEYS:
            near = closest(key, PALETTE_KEYS)
            problems.append(
                source.problem(
                    where,
                    "unknown-key",
                    f"unknown palette key `{key}`",
                    f"did you mean `{near}`?" if near else f"palette keys: {choices(PALETTE_KEYS)}",
                    at_key=True,
                )
            )
        elif key == "toggle":
            if not (isinstance(value, dict) and all(isinstance(v, str) for v in value.values())):
                problems.append(_wrong(source, where, "a mapping with `icon` and `name`"))
        elif not isinstance(value, str):
            problems.append(_wrong(source, where, "text"))
        else:
            allowed = {"scheme": SCHEMES, "primary": PRIMARIES, "accent": ACCENTS}.get(key)
            if allowed and value not in allowed:
                near = closest(value, allowed)
                problems.append(
                    source.problem(
                        where,
                        "bad-value",
                        f"`{value}` is not a {key} colour of the theme"
                        if key != "scheme"
                        else f"`{value}` is not a colour scheme of the theme",
                        f"did you mean `{near}`?" if near else f"one of: {choices(allowed, 30)}",
                    )
                )
    return problems


def _wrong(source: Source, path: JsonPath, wanted: str) -> Problem:
    return source.problem(
        path, "wrong-type", f"`{'.'.join(map(str, path))}` must be {wanted}", f"write {wanted}"
    )


def _image(
    source: Source, path: JsonPath, value: Any, folder: Path
) -> tuple[Path | None, Problem | None]:
    """The logo or favicon file: a path inside the folder of mkdocs.yml, to an image."""
    key = str(path[-1])
    inside = f"put the {key} in the folder of {FILE_NAME} (or below it) and name it relative to it"
    if not isinstance(value, str) or not value.strip():
        return None, _wrong(source, path, f"the path of the {key} file, relative to {FILE_NAME}")
    if "://" in value or value.startswith("data:"):
        return None, source.problem(
            path, "bad-value", f"the {key} must be a file, not an address", inside
        )
    posix, windows = PurePosixPath(value), PureWindowsPath(value)
    if posix.is_absolute() or windows.is_absolute() or windows.drive or value.startswith("\\"):
        return None, source.problem(path, "bad-value", f"`{value}` is an absolute path", inside)
    if ".." in posix.parts or ".." in windows.parts:
        return None, source.problem(
            path, "bad-value", f"`{value}` leads out of the folder of {FILE_NAME}", inside
        )
    if posix.suffix.lower() not in IMAGE_SUFFIXES:
        return None, source.problem(
            path,
            "bad-value",
            f"`{value}` is not an image file",
            f"use one of: {', '.join(IMAGE_SUFFIXES)}",
        )
    target = folder / posix
    if not target.is_file():
        return None, source.problem(
            path, "missing-file", f"`{value}` does not exist beside {FILE_NAME}", inside
        )
    resolved = target.resolve()
    if not resolved.is_relative_to(folder.resolve()):
        return None, source.problem(
            path, "bad-value", f"`{value}` is a link that leads out of the folder", inside
        )
    size = resolved.stat().st_size
    if size > MAX_BYTES:
        return None, source.problem(
            path,
            "file-too-large",
            f"`{value}` is {size:,} bytes, more than the {MAX_BYTES:,} allowed",
            f"use a smaller {key} image",
        )
    return resolved, None
