"""Did-you-mean suggestions."""

from collections.abc import Iterable


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


def closest(word: str, candidates: Iterable[str], max_distance: int = 2) -> str | None:
    """The candidate nearest to `word`, if it is at most `max_distance` edits away."""
    scored = sorted((edit_distance(word.lower(), c.lower()), c) for c in candidates)
    if scored and scored[0][0] <= max_distance:
        return scored[0][1]
    return None


def choices(candidates: Iterable[str], limit: int = 12) -> str:
    names = sorted(candidates)
    shown = ", ".join(f"`{n}`" for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")
