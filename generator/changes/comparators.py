"""Each kind's comparator, listed once: the table the walk (`changes/compare.py`) looks up.

A comparator says in its own sentences what its kind's important fields mean and returns
the names of the fields it has covered; every other field is compared by the generic
comparison (`changes/fields.py`). Adding a kind means one line here;
`tests/test_kinds.py` checks that every kind of `model/kinds.py` has exactly one.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model.playbook import Entry
from . import entries, paths
from .fields import Comparison
from .notes import Notes

# (the comparison, old entry, new entry, where to write) -> the fields it has covered
Comparator = Callable[[Comparison, Entry, Entry, Notes], set[str]]

COMPARATORS: dict[str, Comparator] = {
    "non_negotiable": entries.non_negotiable,
    "flexible_zone": entries.flexible_zone,
    "escalation_path": paths.escalation_path,
    "qualification_rule": entries.qualification_rule,
    "underperformance": entries.underperformance,
}
