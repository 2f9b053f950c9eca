"""What a change means, and whether the owner approves it: one table per kind, in one place.

`changes/compare.py` describes every change as (field, event), e.g. ("dont", "removed"); this
table says what that change means, one of five verdicts (`Verdict`):

- **loosening**: people get more room than before (a higher limit, a freedom, a rule
  gone). The owner approves it; `playbook diff --fail-on loosening` fails on it.
- **review** ("Prüfen"): text reps act on (a summary, a self-check's answer, a criterion's
  evidence, what to do `instead`), a prose text that contradicts the bands, a role's
  `escalates_to` moved sideways, or a longer review interval. Not more room by the
  numbers, but the owner checks it.
- **wording** ("Umformulierung"): a rule's text reworded; the owner reads it.
- **tightening**: less room than before, the mirror of a loosening. Shown, no approval.
- **neutral**: nothing to approve (a rename, a case from practice, a title).

Everything not listed is neutral.

Bands are compared by value range (`changes/paths.py`): a range now decided by a role lower
in the `escalates_to` chain, in the old chain or the new one, is a loosening, so a
loosening split across `playbook.yml` and a path is still one; a range that moves up both
chains tightens. A path's bands are compared level by level, a level one version lacks
with the nearest level below it: raising one level's limit loosens at that level,
removing the top level tightens, a new level is judged against the one below it.
Removing the lowest level loosens (everyone starts one step higher). A freedom granted
from a lower level (or to everyone) is a loosening. A step towards `delegate` on the
seven-step delegation scale gives more room. Cases from practice are shown but need no
approval: they explain the rules, they do not set them.

Teams: a team's file (`teams/<team>.yml`) is one change, judged by the same rows: its
overlay over the organisation's playbook before and after, entry by entry with each
entry's kind's table, plus the rows of `team` for the file itself; renamed entries are
followed, so a rename stays neutral there too. `model/overlay.py` calls anything this
table calls a loosening in an overlay an `overlay-loosens` error.

`tests/test_policy.py` has one case per row.
"""

from __future__ import annotations

from enum import StrEnum


class Verdict(StrEnum):
    """What a change means, from the least to the most to approve."""

    NONE = ""  # neutral: nothing to approve (a rename, a reorder, a case from practice)
    TIGHTENING = "tightening"  # less room than before: shown, no approval needed
    WORDING = "wording"  # the same rule in other words: the owner reads it
    REVIEW = "review"  # text reps act on, or what keeps the playbook current: the owner checks it
    LOOSENING = "loosening"  # more room than before: the owner approves it

    @property
    def weight(self) -> int:
        return ORDER.index(self)

    @property
    def needs_approval(self) -> bool:
        return self.weight >= ORDER.index(Verdict.WORDING)


ORDER = (Verdict.NONE, Verdict.TIGHTENING, Verdict.WORDING, Verdict.REVIEW, Verdict.LOOSENING)
N, T, W, R, L = ORDER

Table = dict[tuple[str, str], Verdict]

# Rows that hold for entries of every kind unless the kind's own table says otherwise.
ENTRY: Table = {
    ("owner", "changed"): L,  # another role approves from now on
    ("entry", "renamed"): N,  # a rename, with its references updated, is only a rename
    ("summary", "reworded"): R,  # what reps read first, on the page, the card and the helper
    ("review_due", "raised"): R,  # its own review interval, longer
    ("review_due", "lowered"): T,
}

POLICY: dict[str, Table] = {
    "non_negotiable": {
        ("entry", "added"): T,
        ("entry", "removed"): L,
        ("status", "retired"): L,
        ("status", "reactivated"): T,
        ("rule", "reworded"): W,
        ("on_breach", "reworded"): W,
        ("instead", "reworded"): R,  # what reps do instead: they act on it
        ("instead", "added"): T,
        ("instead", "removed"): R,
        ("dont", "removed"): L,
        ("dont", "added"): T,
        ("dont", "reworded"): W,
        ("do", "removed"): L,
        ("do", "added"): T,
        ("do", "reworded"): W,
        ("applies_to", "removed"): L,
        ("applies_to", "added"): T,
    },
    "flexible_zone": {
        ("entry", "added"): L,  # a new flexible zone
        ("entry", "removed"): T,
        ("status", "retired"): T,
        ("status", "reactivated"): L,
        ("freedoms", "added"): L,
        ("freedoms", "removed"): T,
        ("freedoms", "reworded"): W,
        ("bounded_by", "removed"): L,
        ("bounded_by", "added"): T,
        ("experiments", "removed"): L,
        ("freedom_levels", "lowered"): L,  # granted from a lower level, or to everyone
        ("freedom_levels", "raised"): T,
        ("delegation", "raised"): L,  # a step towards `delegate`
        ("delegation", "lowered"): T,
        ("time_box", "reworded"): W,
        ("stop_condition", "reworded"): W,
    },
    "escalation_path": {
        ("entry", "added"): L,  # hands a decision to a role
        ("entry", "removed"): T,
        ("status", "retired"): T,
        # A range of values now decided by a role lower in the `escalates_to` chain ...
        ("bands", "lower_role"): L,
        # ... by a higher one in both chains (a split band that sends values upwards) ...
        ("bands", "higher_role"): T,
        # ... or by a role outside the old decider's chain.
        ("bands", "other_role"): L,
        ("quantity", "widened"): L,  # values outside every band before now have a decider
        ("quantity", "narrowed"): T,
        ("consult", "removed"): L,
        ("consult", "added"): T,
        ("inform", "removed"): L,  # a decision made without telling those who oversee it
        ("inform", "added"): T,
        ("note", "reworded"): W,
        ("delegation", "raised"): L,
        ("delegation", "lowered"): T,
        # what the values are: days read as months, percent as euros, is not comparable
        ("unit", "reworded"): L,
        ("name", "reworded"): W,  # what is counted ("über die gesamte Laufzeit")
    },
    "qualification_rule": {
        ("entry", "added"): T,
        ("entry", "removed"): L,
        ("status", "retired"): L,
        ("criteria", "removed_required"): L,
        ("criteria", "removed_optional"): N,
        ("criteria", "added"): T,
        ("criteria", "made_optional"): L,
        ("criteria", "made_required"): T,
        ("question", "reworded"): W,
        ("evidence", "reworded"): R,  # what counts as proof: "a verbal yes will do"
        ("optional_min", "lowered"): L,
        ("optional_min", "raised"): T,
        ("disqualifiers", "removed"): L,
        ("disqualifiers", "added"): T,
        ("disqualifiers", "reworded"): W,
    },
    "underperformance": {
        ("entry", "added"): N,
        ("entry", "removed"): N,
        ("triggers", "removed"): L,
        ("triggers", "added"): T,
        # `threshold` events are `<comparison>_raised` or `<comparison>_lowered`.
        ("threshold", "below_lowered"): L,
        ("threshold", "below_raised"): T,
        ("threshold", "above_raised"): L,
        ("threshold", "above_lowered"): T,
        ("threshold", "drops_by_raised"): L,
        ("threshold", "drops_by_lowered"): T,
        ("threshold", "rises_by_raised"): L,
        ("threshold", "rises_by_lowered"): T,
        ("threshold", "changed"): L,  # another unit: not comparable, so not presumed safe
        ("comparison", "reworded"): L,  # fires on something else (`below` -> `above`)
        ("metric", "reworded"): L,  # watches another metric
        ("period", "longer"): L,  # periods x period, e.g. 2 weeks -> 3 months
        ("period", "shorter"): T,
        ("time_frame_weeks", "raised"): L,  # a step lasts longer
        ("time_frame_weeks", "lowered"): T,
        ("steps", "removed"): L,
        # who runs a step, judged in the chain
        ("owner", "raised"): T,
        ("owner", "lowered"): L,
        ("owner", "changed"): L,
    },
    "playbook": {
        ("handles", "added"): L,  # who reviews (CODEOWNERS) changes
        ("handles", "removed"): L,
        ("handles", "reworded"): L,
        ("owners", "changed"): L,  # another role owns a file from now on
        ("levels", "added"): N,  # what a new level may decide shows in the paths and zones
        ("levels", "removed"): T,  # its holders stand one level lower
        ("levels", "removed_lowest"): L,  # everyone starts one level higher
        ("levels", "reordered"): L,  # a level now ranks higher: it gets what those below get
        ("reached_by", "reworded"): W,  # what it takes to reach a level
        # who confirms a level, and where a role escalates to: judged in the chain
        ("confirmed_by", "raised"): T,
        ("confirmed_by", "lowered"): L,
        ("confirmed_by", "changed"): L,  # outside the old confirmer's chain
        ("confirmed_by", "removed"): L,  # nobody confirms it any more
        ("confirmed_by", "added"): T,
        ("escalates_to", "raised"): T,
        ("escalates_to", "lowered"): L,  # what its role cannot decide goes to a lower role
        ("escalates_to", "changed"): R,
        ("escalates_to", "removed"): R,
        ("escalates_to", "added"): L,  # a role that decided last now hands decisions on
        ("roles", "added"): R,  # a new role: who it is, whom it answers to
        ("roles", "removed"): R,
        ("public", "on"): L,  # internal limits published for search engines
        ("public", "off"): T,
        ("onboarding", "off"): L,  # a level reached without completing the onboarding
        ("onboarding", "on"): T,
        ("review_interval_months", "raised"): R,  # every overdue review waits longer
        ("review_interval_months", "lowered"): T,
    },
    "team": {
        ("team", "added"): T,  # its overlay may only tighten (`overlay-loosens`)
        ("team", "removed"): L,  # its tightenings no longer hold
        ("tightenings", "added"): T,
        ("tightenings", "removed"): L,
        ("owner", "raised"): L,  # another role approves the team's file from now on
        ("owner", "lowered"): L,
        ("owner", "changed"): L,
    },
    "glossary": {},
    "onboarding": {
        ("onboarding", "removed"): L,  # a shorter onboarding
        ("weeks", "removed"): L,
        ("weeks", "added"): T,
        ("steps", "removed"): L,
        ("steps", "added"): T,
        ("answer", "reworded"): R,  # a self-check's answer teaches the limit
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
