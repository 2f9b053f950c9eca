"""playbook: a sales organisation's operating principles as a site and a deck of cards."""

from importlib import metadata as _metadata
from pathlib import Path as _Path

DISTRIBUTION = "sales-playbook"
# the version of a copy that was not installed as a distribution (run from a source
# folder through PYTHONPATH): as pyproject.toml's fallback-version, no release
SOURCE_VERSION = "0.1.0.dev0"


def installed_distribution() -> _metadata.Distribution | None:
    """The installed distribution this very copy of the package belongs to, or None.

    None when no `sales-playbook` is installed, and when the one installed is another copy
    than the one running (e.g. a source folder put first on PYTHONPATH): its metadata
    (version, how it was installed) would not describe this code.
    """
    try:
        found = _metadata.distribution(DISTRIBUTION)
    except _metadata.PackageNotFoundError:
        return None
    try:
        installed = _Path(str(found.locate_file("sales_playbook/__init__.py"))).resolve()
    except (OSError, NotImplementedError):  # pragma: no cover - a finder without files
        return None
    return found if installed == _Path(__file__).resolve() else None


def _version() -> str:
    found = installed_distribution()
    return found.version if found is not None else SOURCE_VERSION


# from the installed metadata, which hatch-vcs took from the git tag at build time
__version__ = _version()
