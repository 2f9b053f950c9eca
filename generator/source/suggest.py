"""Did-you-mean suggestions."""

from collections.abc import Iterable


def edit_distance(a: str, b: str) -> int:
    """Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`."""
    rows = [list(range(len(b) + 1))] + [[i] + [0] * len(b) for i in range(1, len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[-1][-1]


def closest(word: str, candidates: Iterable[str], max_distance: int = 2) -> str | None:
    """The candidate nearest to `word`, if it is close: at most `max_distance` edits, and
    fewer for short words (`fr` is not a typo of `de`)."""
    limit = min(max_distance, max(1, len(word) // 3))
    scored = sorted((edit_distance(word.lower(), c.lower()), c) for c in candidates)
    if scored and scored[0][0] <= limit:
        return scored[0][1]
    return None


def choices(candidates: Iterable[str], limit: int = 12) -> str:
    names = sorted(candidates)
    shown = ", ".join(f"`{n}`" for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")
