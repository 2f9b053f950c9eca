"""Which band a value falls in. The decision helper's script mirrors this exactly."""

from __future__ import annotations

from collections.abc import Sequence


def find_band(
    value: float,
    minimum: float,
    maximum: float | None,
    bounds: Sequence[tuple[float | None, float | None]],
) -> int | None:
    """Index of the band holding `value`, or None outside the quantity's range.

    `bounds` are (above, up_to) per band: the first band includes the minimum, every
    other band starts just above `above`; `up_to` is inclusive, None is open-ended.
    """
    if value < minimum or (maximum is not None and value > maximum):
        return None
    for index, (above, up_to) in enumerate(bounds):
        lower_ok = value >= minimum if index == 0 else above is not None and value > above
        if lower_ok and (up_to is None or value <= up_to):
            return index
    return None
