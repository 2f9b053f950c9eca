"""Every message the command line prints, listed once, and each in English.

The list is read from the code itself (each status line, usage error, failure and
problem a command can print: their literal text, a placeholder for each value), so a
new message is held to the rules the moment it is written. The playbook's own words
(titles, role names, quoted text) are values, not messages: they stay as written.
"""

from __future__ import annotations

import ast
import os
import re
from collections import Counter
from pathlib import Path

import yaml

from sales_playbook import errors

from .conftest import strings_in

PACKAGE = Path(errors.__file__).parent
# what prints a message: the CLI's own output, and the errors it turns into lines
PRINTERS = {
    "say", "detail", "note", "warn", "shout", "_error", "error", "ArgumentTypeError",
    "PlaybookError",
}  # fmt: skip
FAILURES = {
    name for name, value in vars(errors).items()
    if isinstance(value, type) and issubclass(value, Exception)
}  # fmt: skip
# the message's position among the arguments of a problem: Problem(file, line, column,
# rule, message, hint) and Source.problem(path, rule, message, hint)
PROBLEM_MESSAGE = {"Problem": (4, 5), "problem": (2, 3)}
GERMAN = re.compile(
    r"[äöüßÄÖÜ]|\b(der|die|das|und|nicht|ist|ein|eine|oder|mit|für|jetzt|vorher|bitte|"
    r"Datei|Fehler|Eintrag|Freigabe|Prüfung|Stufe)\b"
)


def text_of(node: ast.expr) -> str | None:
    """The literal text of a message, `{}` for each value; None if it has none."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = [
            v.value if isinstance(v, ast.Constant) else "{}" for v in node.values
        ]  # fmt: skip
        return "".join(str(p) for p in parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = text_of(node.left), text_of(node.right)
        return None if left is None and right is None else f"{left or '{}'}{right or '{}'}"
    return None


def messages() -> list[tuple[str, str]]:
    """(where, text) of every message in the package."""
    found = []
    files = [
        Path(folder, name)
        for folder, _, names in os.walk(PACKAGE, followlinks=True)
        for name in names
        if name.endswith(".py")
    ]
    for path in sorted(files):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            args = list(node.args)
            if name in PROBLEM_MESSAGE:
                picked = [args[i] for i in PROBLEM_MESSAGE[name] if i < len(args)]
            elif name in PRINTERS or name in FAILURES:
                picked = args[:1]
            else:
                continue
            for arg in picked:
                text = text_of(arg)
                if text and text.strip("{} "):
                    found.append((f"{path.relative_to(PACKAGE)}:{node.lineno}", text))
    return found


def test_the_list_holds_the_messages_people_meet() -> None:
    """The reading finds the messages a user sees every day, in each kind of call."""
    texts = {text for _, text in messages()}
    for known in (
        "nothing was written.",  # say
        "interrupted",  # _error
        "{} is now {}: the old name goes in the next release",  # note
        "name the base once: a revision (--base) or a folder (--base-dir)",  # UsageError
        "must not be empty (leave the option out instead)",  # ArgumentTypeError
    ):
        assert known in texts, known


def test_every_message_is_english() -> None:
    # a hint may quote the playbook's own words („über“): quoted, they are not the message's
    german = [
        (where, text) for where, text in messages()
        if GERMAN.search(re.sub(r"„[^“]*“", "", text))
    ]  # fmt: skip
    assert german == []


def test_each_message_is_written_once() -> None:
    """A message said in two places is one message: written once, used twice."""
    counted = Counter(text for _, text in messages() if len(text) > 30)
    assert [text for text, n in counted.items() if n > 1] == []


def test_the_command_lines_labels_are_english() -> None:
    """What `diff` and `review` print comes from the English labels: none of them German."""
    labels = yaml.safe_load((PACKAGE / "site_templates" / "i18n" / "en.yml").read_text("utf-8"))

    used = [*strings_in(labels["diff"]), *strings_in(labels["review_issue"])]
    assert used and [s for s in used if GERMAN.search(s)] == []
