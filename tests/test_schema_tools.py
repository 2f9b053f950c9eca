"""The schemas serve other tools too: every source file names its schema in a modeline
relative to itself, and `check-jsonschema` validates against it fully offline (the
schemas declare no `$id`, so `defs.schema.json` resolves next to the referring file)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from sales_playbook.model.kinds import BY_FOLDER, KINDS
from sales_playbook.resources import schema_dir

from .conftest import CASES, SAMPLE, run_main

MODELINE = re.compile(r"# yaml-language-server: \$schema=(\S+)")
SOURCES = sorted([*SAMPLE.rglob("*.yml"), *(CASES / "base").rglob("*.yml")])

# check-jsonschema as `python -m check_jsonschema`, with every way out to the network
# closed: a schema that needed a download would fail here instead of fetching it (and
# `--no-cache`: nor would it be read from, or written to, a cache in the home folder)
OFFLINE = """
import runpy, socket, sys

def refuse(*args, **kwargs):
    raise OSError("check-jsonschema tried to use the network")

socket.getaddrinfo = socket.create_connection = socket.socket.connect = refuse
sys.argv[0] = "check-jsonschema"
runpy.run_module("check_jsonschema", run_name="__main__")
"""


def schema_named_by(path: Path) -> Path:
    """The schema the file's first line names, resolved relative to the file."""
    first = path.read_text("utf-8").split("\n", 1)[0]
    found = MODELINE.fullmatch(first)
    assert found, f"{path}: the first line is not `# yaml-language-server: $schema=...`"
    assert "://" not in found[1] and not found[1].startswith("/"), f"{path}: not relative"
    return (path.parent / found[1]).resolve()


def expected_schema(path: Path, root: Path) -> str:
    relative = path.relative_to(root)
    if len(relative.parts) == 1:  # playbook.yml, glossary.yml, onboarding.yml
        return f"{relative.stem}.schema.json"
    if relative.parts[0] == "teams":
        return "team.schema.json"
    return f"{BY_FOLDER[relative.parts[0]].schema}.schema.json"


def start(schemafile: str, files: list[Path]) -> subprocess.Popen[str]:
    command = [sys.executable, "-c", OFFLINE, "--no-cache", "--color", "never"]
    return subprocess.Popen(
        [*command, "--schemafile", schemafile, *map(str, files)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def check_jsonschema(by_schema: dict[Path, list[Path]]) -> dict[Path, tuple[int, str]]:
    """One check-jsonschema run per schema over all its files, the runs side by side."""
    runs = {schema: start(str(schema), files) for schema, files in by_schema.items()}
    outputs = {schema: run.communicate(timeout=60)[0] for schema, run in runs.items()}
    return {schema: (run.returncode, outputs[schema]) for schema, run in runs.items()}


def test_every_source_file_names_its_own_schema_relative_to_itself() -> None:
    assert len(SOURCES) > 20
    for root in (SAMPLE, CASES / "base"):
        for path in root.rglob("*.yml"):
            schema = schema_named_by(path)
            assert schema.is_file(), f"{path}: {schema} does not exist"
            assert schema.name == expected_schema(path, root), path


def test_check_jsonschema_accepts_every_source_file_offline() -> None:
    by_schema: dict[Path, list[Path]] = defaultdict(list)
    for path in SOURCES:
        by_schema[schema_named_by(path)].append(path)
    # playbook, glossary, onboarding, team overlays and each kind
    assert len(by_schema) == 4 + len(KINDS)
    for schema, (code, output) in check_jsonschema(by_schema).items():
        assert (code, output.strip()) == (0, "ok -- validation done"), schema


def test_in_an_organisation_repository_new_entries_validate_and_a_typo_is_named(
    base_playbook: Path,
) -> None:
    """`schemas/` copied next to `playbook/` (what `playbook init` does): the skeletons
    of `playbook new` name their schema there; a typo'd key fails and is named."""
    shutil.copytree(schema_dir(), base_playbook.parent / "schemas")
    created = []
    for kind in KINDS:
        entry_id = f"neu-{kind.prefix.lower()}"  # ids are unique across kinds
        code, _, err = run_main("new", kind.folder, entry_id, str(base_playbook))
        assert code == 0, err
        created.append(base_playbook / kind.folder / f"{entry_id}.yml")
    sample = SAMPLE / "non-negotiables" / "rabatt-obergrenze.yml"
    typo = base_playbook / "non-negotiables" / "tippfehler.yml"
    text = sample.read_text("utf-8")
    assert "\nowner: " in text
    typo.write_text(text.replace("\nowner: ", "\nownr: ", 1), "utf-8")

    by_schema: dict[Path, list[Path]] = defaultdict(list)
    for path in [*created, typo]:
        schema = schema_named_by(path)
        assert schema.parent == base_playbook.parent / "schemas", path
        by_schema[schema].append(path)
    results = check_jsonschema(by_schema)

    for schema, (code, output) in results.items():
        if typo not in by_schema[schema]:
            assert (code, output.strip()) == (0, "ok -- validation done"), schema
    code, output = results[schema_named_by(typo)]
    assert code == 1
    problems = [line.strip() for line in output.splitlines() if "::" in line]
    assert problems == [
        f"{typo}::$: Additional properties are not allowed ('ownr' was unexpected)",
        f"{typo}::$: 'owner' is a required property",
    ]


def test_the_network_guard_holds(tmp_path: Path) -> None:
    instance = tmp_path / "x.yml"
    instance.write_text("a: 1\n", "utf-8")
    run = start("https://playbook.invalid/x.schema.json", [instance])
    output = run.communicate(timeout=60)[0]
    assert run.returncode == 1
    assert "OSError: check-jsonschema tried to use the network" in output
