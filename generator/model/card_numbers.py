"""Stable card numbers, derived from an entry's kind and id."""

import base64
import hashlib

from .kinds import BY_NAME


def card_number(kind: str, entry_id: str) -> str:
    """E.g. `EP-LCFLYA`: the same id always gets the same number, whatever else changes.

    Pass an entry's first id (`Entry.first_id`, the oldest of its `previous_ids`), so a
    renamed entry keeps the number printed on its cards.

    Six base-32 characters: a clash between two ids of one kind is unlikely even with
    thousands of entries (about 0.2 % at 2,000), and validation reports it if it happens.
    """
    digest = hashlib.sha256(entry_id.encode("utf-8")).digest()
    return f"{BY_NAME[kind].prefix}-{base64.b32encode(digest).decode('ascii')[:6]}"
