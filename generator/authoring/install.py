"""Where the running tool came from, and how a new repository installs the same one.

`playbook init` writes `requirements.txt` (what CI and editors install) and the
pre-commit hooks so that they get the tool the way the person running `init` got it. The
installed distribution says how in `direct_url.json` (PEP 610, written by pip):

- none: from a package index; the version is pinned (`sales-playbook[site]==1.2.3`);
- `vcs_info`: from a repository; that URL at that commit
  (`sales-playbook[site] @ git+https://…@<commit>`), and for git the hooks come from
  that repository at that commit (its `.pre-commit-hooks.yaml`);
- `archive_info` with a remote URL: that URL, with its hash;
- `archive_info` with a local wheel, or `dir_info` (a local folder): the wheel goes into
  the new repository as `tools/<wheel>` and is installed from there. A wheel that is
  still where it was installed from is copied byte for byte; otherwise (a folder
  install, a local sdist, a wheel since deleted) the wheel is made again from the
  installed files that the distribution's RECORD lists (`repacked`): the very code that
  runs, offline, without the folder or a build backend.

A copy that is not an installed distribution (a source folder on PYTHONPATH, an editable
install) cannot be reproduced: the version is pinned as for an index, with a warning
that says how to install the tool so that `init` can.

The hooks of a local wheel run the `playbook` that `pip install -r requirements.txt`
installed (`language: system`): pre-commit installs a hook's own environment inside its
cache, where a path into the repository does not resolve.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from .. import DISTRIBUTION, SOURCE_VERSION, installed_distribution
from ..errors import Failure

EXTRA = "site"  # what CI and editors need: the site engine and the cards
TOOLS = PurePosixPath("tools")  # where a local wheel goes in the new repository
# the hooks as the tool's own .pre-commit-hooks.yaml defines them (tests hold the two in
# step): id, name, what runs, which changes run it
HOOKS = (
    ("playbook-validate", "playbook validate", "playbook validate", r"^(playbook/|mkdocs\.yml$)"),
    (
        "playbook-codeowners",
        "playbook codeowners --check",
        "playbook codeowners --check --out .github/CODEOWNERS",
        r"^(playbook/|\.github/CODEOWNERS$)",
    ),
)


class InstallError(Failure):
    """Raised when `init` cannot tell how the tool was installed (a damaged
    `direct_url.json`) or cannot repack the installed files into a wheel (one is missing
    or unreadable). Nothing has been written then."""

    exit_code = 2


@dataclass(frozen=True)
class Origin:
    """How the running tool was installed (plain data, from `direct_url.json`)."""

    kind: str  # index | vcs | url | wheel | local (a folder or sdist) | source
    version: str
    url: str = ""  # vcs: the repository (without `git+`); url: the archive; wheel: the file
    vcs: str = ""
    commit: str = ""
    subdirectory: str = ""
    sha256: str = ""


@dataclass(frozen=True)
class Install:
    """What a new repository writes to install the tool as `origin` was installed."""

    requirement: str  # requirements.txt's line (with the site extra)
    # the pre-commit hooks: a remote repository at a commit, or local hooks
    hook_repo: str = ""  # remote: the repository
    hook_rev: str = ""
    hook_language: str = "python"  # local: python (with hook_dependency) or system
    hook_dependency: str = ""  # local python: the core tool, as pip installs it
    wheel: str = ""  # the wheel's path in the new repository (tools/…), if any
    files: dict[str, bytes] = field(default_factory=dict)  # relative path -> content
    warning: str = ""  # for the person running init, when this is a fallback
    hooks: tuple[tuple[str, str, str, str], ...] = HOOKS


def origin_of(direct_url: str | None, version: str) -> Origin:
    """Parse `direct_url.json` (None: installed from an index). Pure."""
    if direct_url is None:
        return Origin("index", version)
    try:
        data = json.loads(direct_url)
        url = str(data["url"])
    except (ValueError, KeyError, TypeError) as error:
        raise InstallError(f"direct_url.json of {DISTRIBUTION} cannot be read: {error}") from None
    subdirectory = str(data.get("subdirectory", "") or "")
    if isinstance(data.get("vcs_info"), dict) and urlsplit(url).scheme == "file":
        # a repository on this machine, which CI cannot reach: its files, as a folder's
        return Origin("local", version, url=local_path(url))
    if isinstance(data.get("vcs_info"), dict):
        info = data["vcs_info"]
        return Origin(
            "vcs",
            version,
            url=url,
            vcs=str(info.get("vcs", "git")),
            commit=str(info.get("commit_id", "")),
            subdirectory=subdirectory,
        )
    if isinstance(data.get("archive_info"), dict):
        hashes = data["archive_info"].get("hashes") or {}
        digest = str(hashes.get("sha256", ""))
        legacy = str(data["archive_info"].get("hash", ""))
        if not digest and legacy.startswith("sha256="):
            digest = legacy.removeprefix("sha256=")
        if urlsplit(url).scheme != "file":
            return Origin("url", version, url=url, sha256=digest, subdirectory=subdirectory)
        path = local_path(url)
        kind = "wheel" if path.endswith(".whl") else "local"
        return Origin(kind, version, url=path, sha256=digest)
    return Origin("local", version, url=local_path(url))  # dir_info


def local_path(url: str) -> str:
    """The path of a `file:` URL."""
    return url2pathname(unquote(urlsplit(url).path))


def running_origin() -> Origin:
    """How the running copy of the tool was installed (`source`: it was not)."""
    found = installed_distribution()
    if found is None:
        return Origin("source", SOURCE_VERSION)
    return origin_of(found.read_text("direct_url.json"), found.version)


def install_for(origin: Origin, wheel: tuple[str, bytes] | None = None) -> Install:
    """The files' contents for `origin`. `wheel`: (file name, bytes) for a local origin
    (`local_wheel` reads or makes it). Pure."""
    name = DISTRIBUTION
    if origin.kind == "vcs":
        at = f"{origin.vcs}+{origin.url}@{origin.commit}"
        if origin.subdirectory:
            at += f"#subdirectory={origin.subdirectory}"
        if origin.vcs == "git" and not origin.subdirectory:
            return Install(f"{name}[{EXTRA}] @ {at}", hook_repo=origin.url, hook_rev=origin.commit)
        return Install(f"{name}[{EXTRA}] @ {at}", hook_dependency=f"{name} @ {at}")
    if origin.kind == "url":
        at = origin.url + (f"#sha256={origin.sha256}" if origin.sha256 else "")
        return Install(f"{name}[{EXTRA}] @ {at}", hook_dependency=f"{name} @ {at}")
    if origin.kind in ("wheel", "local"):
        if wheel is None:
            raise InstallError("a local install needs its wheel")
        path = (TOOLS / wheel[0]).as_posix()
        return Install(
            f"./{path}[{EXTRA}]",
            hook_language="system",
            wheel=path,
            files={path: wheel[1]},
        )
    pinned = Install(
        f"{name}[{EXTRA}]=={origin.version}", hook_dependency=f"{name}=={origin.version}"
    )
    if origin.kind == "index":
        return pinned
    return Install(
        pinned.requirement,
        hook_dependency=pinned.hook_dependency,
        warning=(
            f"this playbook runs from a source folder, not from an installed package, so "
            f"requirements.txt and .pre-commit-config.yaml pin {name}=={origin.version}, "
            "which no package index has. To fix: install the tool into a virtual "
            "environment from a wheel (`pip install sales_playbook-….whl`) or from its "
            "git repository (`pip install 'sales-playbook[site] @ git+https://…'`), run "
            "`playbook init` from there into a new folder, or replace those two lines "
            "by hand"
        ),
    )


def local_wheel(origin: Origin) -> tuple[str, bytes]:
    """The wheel of a local install: the file it came from if it is still there, else
    the installed files repacked (`repacked`)."""
    if origin.kind == "wheel":
        path = Path(origin.url)
        try:
            content = path.read_bytes()
        except OSError:
            content = b""
        if content and (not origin.sha256 or hashlib.sha256(content).hexdigest() == origin.sha256):
            return path.name, content
    found = installed_distribution()
    if found is None:  # pragma: no cover - running_origin said it was installed
        raise InstallError(f"{DISTRIBUTION} is not installed")
    files = [(str(f), Path(str(found.locate_file(f)))) for f in (found.files or ())]
    return repacked(found.metadata["Name"], found.version, files, Path(str(found.locate_file(""))))


# files pip adds when it installs, and the record that repacking writes anew
INSTALLER_FILES = {"INSTALLER", "REQUESTED", "direct_url.json", "RECORD"}


def repacked(
    name: str, version: str, files: Iterable[tuple[str, Path]], root: Path
) -> tuple[str, bytes]:
    """A wheel of the installed files (RECORD's paths, relative to site-packages `root`)
    with a new RECORD; scripts (`../bin/…`) and byte code are left out: pip makes them
    again. So is whatever a RECORD names outside `root` (an absolute path, a `..`, a link
    leading out): the wheel is committed to the organisation's repository. Its bytes
    depend on the files only (fixed dates, sorted)."""
    base = root.resolve()
    stem = f"{name.replace('-', '_')}-{version}"
    info = f"{stem}.dist-info"
    kept: dict[str, bytes] = {}
    tag = "py3-none-any"
    for relative, path in files:
        posix = PurePosixPath(relative)
        parts = posix.parts
        outside = posix.is_absolute() or ".." in parts or "\\" in relative or ":" in relative
        if not parts or outside or "__pycache__" in parts or relative.endswith(".pyc"):
            continue
        if parts[0] == info and len(parts) == 2 and parts[1] in INSTALLER_FILES:
            continue
        if not path.resolve().is_relative_to(base):  # a link leading out of site-packages
            continue
        try:
            if not path.is_file():
                raise OSError(0, "not a regular file")
            kept[relative] = path.read_bytes()
        except OSError as error:
            raise InstallError(
                f"cannot read the installed file {path}: {error.strerror or error}; "
                f"reinstall {DISTRIBUTION}"
            ) from None
    wheel_file = kept.get(f"{info}/WHEEL")
    if wheel_file is None:
        raise InstallError(f"the installed {DISTRIBUTION} has no {info}/WHEEL; reinstall it")
    for line in wheel_file.decode("utf-8", "replace").splitlines():
        if line.startswith("Tag:"):
            tag = line.partition(":")[2].strip()
    record = "".join(f"{n},sha256={_digest(c)},{len(c)}\n" for n, c in sorted(kept.items()))
    record += f"{info}/RECORD,,\n"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in [*sorted(kept.items()), (f"{info}/RECORD", record.encode())]:
            entry = zipfile.ZipInfo(member, date_time=(1980, 1, 1, 0, 0, 0))
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, content)
    return f"{stem}-{tag}.whl", buffer.getvalue()


def _digest(content: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b"=").decode()


def current_install() -> Install:
    """How a new repository installs the running tool (reads the installation)."""
    origin = running_origin()
    wheel = local_wheel(origin) if origin.kind in ("wheel", "local") else None
    return install_for(origin, wheel)
