"""Which changes need the owner's approval: one table per kind, in one place.

`changes/compare.py` describes every change as (field, event), e.g. ("dont", "removed"); this table
says what that change means. A loosening gives people more room than before; a change of
wording may change the meaning, so the owner reads it too. Everything not listed here is
shown but needs no approval: tightening is the mirror image of each loosening and is
listed where the mirror is not obvious. `tests/test_policy.py` has one case per row.

Levels: a path's bands are compared level by level, so raising one level's limit is a
`lower_role` move (a loosening) at that level. A freedom granted from a lower level (or
to everyone) is a loosening. A step towards `delegate` on the seven-step delegation
scale gives more room. Cases from practice are shown (added, removed, reworded) but need
no approval: they explain the rules, they do not set them.

Teams: a team's file (`teams/<team>.yml`) is one change, judged by the same rows: its
overlay over the organisation's playbook before and after, entry by entry with each
entry's kind's table, plus the rows of `team` for the file itself. `model/overlay.py` calls
anything this table calls a loosening in an overlay an `overlay-loosens` error.
"""

from __future__ import annotations

from enum import StrEnum


class Verdict(StrEnum):
    NONE = ""
    WORDING = "wording"  # "Freigabe durch <owner> nötig (Wortlaut)"
    LOOSENING = "loosening"  # "Freigabe durch <owner> nötig"

    @property
    def weight(self) -> int:
        return {"": 0, "wording": 1, "loosening": 2}[self.value]


N, W, L = Verdict.NONE, Verdict.WORDING, Verdict.LOOSENING

Table = dict[tuple[str, str], Verdict]

# Rows that hold for entries of every kind unless the kind's own table says otherwise.
ENTRY: Table = {
    ("owner", "changed"): L,  # another role approves from now on
    ("entry", "renamed"): N,  # a rename, with its references updated, is only a rename
}

POLICY: dict[str, Table] = {
    "non_negotiable": {
        ("entry", "added"): N,
        ("entry", "removed"): L,
        ("status", "retired"): L,
        ("status", "reactivated"): N,
        ("rule", "reworded"): W,
        ("on_breach", "reworded"): W,
        ("dont", "removed"): L,
        ("dont", "added"): N,
        ("dont", "reworded"): W,
        ("do", "removed"): L,
        ("do", "added"): N,
        ("do", "reworded"): W,
        ("applies_to", "removed"): L,
        ("applies_to", "added"): N,
    },
    "flexible_zone": {
        ("entry", "added"): L,  # a new flexible zone
        ("entry", "removed"): N,
        ("status", "retired"): N,
        ("status", "reactivated"): L,
        ("freedoms", "added"): L,
        ("freedoms", "removed"): N,
        ("freedoms", "reworded"): W,
        ("bounded_by", "removed"): L,
        ("bounded_by", "added"): N,
        ("experiments", "removed"): L,
        ("freedom_levels", "lowered"): L,  # granted from a lower level, or to everyone
        ("freedom_levels", "raised"): N,
        ("delegation", "raised"): L,  # a step towards `delegate`
        ("delegation", "lowered"): N,
        ("time_box", "reworded"): W,
        ("stop_condition", "reworded"): W,
    },
    "escalation_path": {
        ("entry", "added"): L,  # hands a decision to a role
        ("entry", "removed"): N,
        ("status", "retired"): N,
        # A value now decided by a role lower in the `escalates_to` chain ...
        ("bands", "lower_role"): L,
        # ... by a higher one (a split band that sends values upwards, for one) ...
        ("bands", "higher_role"): N,
        # ... or by a role outside the old decider's chain.
        ("bands", "other_role"): L,
        ("quantity", "widened"): L,  # values outside every band before now have a decider
        ("quantity", "narrowed"): N,
        ("consult", "removed"): L,
        ("consult", "added"): N,
        ("inform", "removed"): L,  # a decision made without telling those who oversee it
        ("inform", "added"): N,
        ("note", "reworded"): W,
        ("delegation", "raised"): L,
        ("delegation", "lowered"): N,
    },
    "qualification_rule": {
        ("entry", "added"): N,
        ("entry", "removed"): L,
        ("status", "retired"): L,
        ("criteria", "removed_required"): L,
        ("criteria", "removed_optional"): N,
        ("criteria", "added"): N,
        ("criteria", "made_optional"): L,
        ("criteria", "made_required"): N,
        ("question", "reworded"): W,
        ("optional_min", "lowered"): L,
        ("optional_min", "raised"): N,
        ("disqualifiers", "removed"): L,
        ("disqualifiers", "added"): N,
        ("disqualifiers", "reworded"): W,
    },
    "underperformance": {
        ("entry", "added"): N,
        ("entry", "removed"): N,
        ("triggers", "removed"): L,
        ("triggers", "added"): N,
        # `threshold` events are `<comparison>_raised` or `<comparison>_lowered`.
        ("threshold", "below_lowered"): L,
        ("threshold", "below_raised"): N,
        ("threshold", "above_raised"): L,
        ("threshold", "above_lowered"): N,
        ("threshold", "drops_by_raised"): L,
        ("threshold", "drops_by_lowered"): N,
        ("threshold", "rises_by_raised"): L,
        ("threshold", "rises_by_lowered"): N,
        ("threshold", "changed"): L,  # another unit: not comparable, so not presumed safe
        ("comparison", "reworded"): L,  # fires on something else (`below` -> `above`)
        ("metric", "reworded"): L,  # watches another metric
        ("period", "longer"): L,  # periods x period, e.g. 2 weeks -> 3 months
        ("period", "shorter"): N,
        ("time_frame_weeks", "raised"): L,  # a step lasts longer
        ("time_frame_weeks", "lowered"): N,
        ("steps", "removed"): L,
    },
    "playbook": {
        ("handles", "added"): L,  # who reviews (CODEOWNERS) changes
        ("handles", "removed"): L,
        ("handles", "reworded"): L,
        ("owners", "changed"): L,  # another role owns a file from now on
        ("levels", "added"): N,  # what a new level may decide shows in the paths and zones
        ("levels", "removed"): L,
        ("levels", "reordered"): L,  # a level now ranks higher: it gets what those below get
        ("reached_by", "reworded"): W,  # what it takes to reach a level
        ("confirmed_by", "changed"): L,  # another role confirms a level
        ("confirmed_by", "removed"): L,  # nobody confirms it any more
        ("confirmed_by", "added"): N,
    },
    "team": {
        ("team", "added"): N,  # its overlay may only tighten (`overlay-loosens`)
        ("team", "removed"): L,  # its tightenings no longer hold
        ("tightenings", "added"): N,
        ("tightenings", "removed"): L,
    },
    "glossary": {},
    "onboarding": {
        ("onboarding", "removed"): L,  # a shorter onboarding
        ("weeks", "removed"): L,
        ("weeks", "added"): N,
        ("steps", "removed"): L,
        ("steps", "added"): N,
    },
}

NOT_ENTRIES = ("playbook", "glossary", "onboarding")


def verdict(kind: str, field: str, event: str) -> Verdict:
    """What a change of `field` (`event`: added, removed, raised, …) in a `kind` means."""
    own = POLICY.get(kind, {})
    if (field, event) in own:
        return own[(field, event)]
    if kind in NOT_ENTRIES:
        return N
    return ENTRY.get((field, event), N)


def rows() -> list[tuple[str, str, str, Verdict]]:
    """Every row of the policy as (kind, field, event, verdict); `entry` for all kinds."""
    result = [("entry", f, e, v) for (f, e), v in ENTRY.items()]
    for kind, table in POLICY.items():
        result += [(kind, f, e, v) for (f, e), v in table.items()]
    return result
