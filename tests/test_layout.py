"""The package's seams (CONTRIBUTING.md): the import contracts in pyproject.toml fail when a
rule is broken, no private name crosses a module, and only `history/git.py` runs git."""

from __future__ import annotations

import ast
import importlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import sales_playbook
from sales_playbook.cards.pdf_parts import PartError
from sales_playbook.cli import main
from sales_playbook.commands import validate as validate_command
from sales_playbook.errors import Failure
from sales_playbook.history.git import GitError

PACKAGE = Path(sales_playbook.__file__).parent
ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def modules() -> Iterator[tuple[str, ast.Module]]:
    for folder, _, files in sorted(os.walk(PACKAGE, followlinks=True)):
        for file in sorted(f for f in files if f.endswith(".py")):
            path = Path(folder, file)
            yield path.relative_to(PACKAGE).as_posix(), ast.parse(path.read_text("utf-8"))


def lint_imports(package_parent: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(package_parent), "PATH": "/usr/bin:/bin"},
        cwd=package_parent,
        check=False,
    )


def copy_of_the_package(tmp_path: Path) -> Path:
    copy = tmp_path / "sales_playbook"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return copy


def test_the_import_contracts_hold() -> None:
    result = lint_imports(PACKAGE.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("site/render.py", "from ..cards import deck", "The site never imports the cards"),
        ("model/kinds.py", "from ..source import load", "The model imports nothing of ours"),
        ("runtime/cache.py", "from ..model import playbook", "The runtime knows no playbook"),
        ("site/search.py", "from ..source import assemble", "Only source.check turns"),
        ("source/links.py", "from ..commands import build", "No import cycles"),
    ],
)
def test_a_broken_seam_fails_the_contracts(
    tmp_path: Path, module: str, line: str, contract: str
) -> None:
    copy = copy_of_the_package(tmp_path)
    path = copy / module
    text = path.read_text("utf-8")
    head, _, rest = text.partition("\nfrom __future__ import annotations\n")
    path.write_text(f"{head}\nfrom __future__ import annotations\n\n{line}  # noqa\n{rest}")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    broken = result.stdout.partition("Broken contracts")[2]
    assert contract in broken, result.stdout


def test_no_private_name_crosses_a_module() -> None:
    """`from .x import _name` and `module._name` on one of our modules are both refused:
    what another module needs gets a public name in its home."""
    crossings = []
    for name, tree in modules():
        ours: set[str] = set()  # names bound to our modules in this file
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level:
                for alias in node.names:
                    if alias.name.startswith("_") and alias.name != "__version__":
                        crossings.append(f"{name}: imports {alias.name}")
                    ours.add(alias.asname or alias.name)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in ours
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                crossings.append(f"{name}:{node.lineno}: {node.value.id}.{node.attr}")
    assert crossings == []


def test_only_history_git_runs_git() -> None:
    """A command list starting with "git" appears in `history/git.py` alone."""
    callers = []
    for name, tree in modules():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.List | ast.Tuple)
                and node.elts
                and isinstance(node.elts[0], ast.Constant)
                and node.elts[0].value == "git"
            ):
                callers.append(f"{name}:{node.lineno}")
    assert callers
    assert {caller.partition(":")[0] for caller in callers} == {"history/git.py"}


def failures() -> list[type[Failure]]:
    """Every exception class of the package, imported from its module."""
    found: list[type[Failure]] = []
    for name, tree in modules():
        module = "sales_playbook." + name.removesuffix(".py").replace("/", ".")
        module = module.removesuffix(".__init__")
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                cls = getattr(importlib.import_module(module), node.name)
                if isinstance(cls, type) and issubclass(cls, BaseException):
                    found.append(cls)
    return found


def test_every_exception_is_a_failure_that_says_when_it_is_raised() -> None:
    classes = failures()
    assert len(classes) >= 10
    for cls in classes:
        assert issubclass(cls, Failure), cls
        if cls is not Failure:
            assert (cls.__doc__ or "").startswith("Raised when"), cls
            assert cls.exit_code in (1, 2), cls


def test_the_cli_maps_each_failure_to_its_exit_code_and_a_bug_keeps_its_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def failing(error: BaseException) -> None:
        def run(args: object) -> int:
            raise error

        monkeypatch.setattr(validate_command, "run", run)

    failing(GitError("`nope` is not a revision"))
    assert main(["validate", str(ROOT / "playbook")]) == 2
    assert "playbook: error: `nope` is not a revision" in capsys.readouterr().err
    failing(PartError("not a PDF of Typst's shape"))
    assert main(["validate", str(ROOT / "playbook")]) == 1
    failing(RuntimeError("a bug"))
    with pytest.raises(RuntimeError, match="a bug"):
        main(["validate", str(ROOT / "playbook")])
