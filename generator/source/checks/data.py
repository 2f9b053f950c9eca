"""The raw source data as the checks read it: defensively, and numbers as YAML writes them.

Any part of a source may have the wrong shape (the schema check reports it); the checks
read through these so that one wrong shape never hides the other problems of a run.
"""

from __future__ import annotations

from typing import Any


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def as_number(value: Any) -> float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def plain_number(value: float) -> str:
    """A number as YAML takes it, never in exponent notation: 1000000, 12.5."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


def with_unit(value: float, unit: str) -> str:
    number = f"{int(value):,}" if float(value).is_integer() else plain_number(value)
    return {"percent": f"{number} %", "eur": f"{number} EUR", "days": f"{number} days"}.get(
        unit, f"{number} {unit}"
    )
