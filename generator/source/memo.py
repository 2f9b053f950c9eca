"""What each source file gave when a build last validated it, kept in the build cache.

A file whose bytes (and place, and the tool) are unchanged is not parsed and checked on
its own again: its parsed data with every position, and its own problems (schema, links),
come back from `build/cache/sources`. The checks across files always run. Only data that
JSON carries exactly is kept (text, numbers, true/false, null, lists, mappings with text
keys); anything else is simply parsed again. A damaged blob is a miss (see `runtime/cache.py`).
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..parse import Source, Span
from ..runtime.cache import Cache, key
from .load import FileKey, FileMemo, display_path
from .validate import Memo, problems_of_file


def exact(value: Any) -> bool:
    """Whether JSON gives `value` back as it is."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and exact(v) for k, v in value.items())
    if isinstance(value, list):
        return all(exact(v) for v in value)
    if isinstance(value, float):
        return math.isfinite(value)
    return value is None or isinstance(value, str | int | bool)


def encode(source: Source) -> bytes:
    return json.dumps(
        {
            "file": source.file,
            "kind": source.kind,
            "data": source.data,
            "values": [[list(p), list(s)] for p, s in source.values.items()],
            "keys": [[list(p), list(s)] for p, s in source.keys.items()],
            "yaml11_words": [list(p) for p in source.yaml11_words],
            "warnings": [asdict(p) for p in source.warnings],
            "relative": source.relative,
        },
        ensure_ascii=False,
    ).encode("utf-8")


def decode(blob: bytes) -> Source | None:
    try:
        d = json.loads(blob)
        return Source(
            str(d["file"]),
            str(d["kind"]),
            d["data"],
            {tuple(p): Span(*s) for p, s in d["values"]},
            {tuple(p): Span(*s) for p, s in d["keys"]},
            tuple(tuple(p) for p in d["yaml11_words"]),
            tuple(Problem(**p) for p in d["warnings"]),
            str(d["relative"]),
        )
    except (ValueError, TypeError, KeyError):
        return None


def encode_problems(problems: list[Problem]) -> bytes:
    return json.dumps([asdict(p) for p in problems], ensure_ascii=False).encode("utf-8")


def decode_problems(blob: bytes) -> list[Problem] | None:
    try:
        return [Problem(**p) for p in json.loads(blob)]
    except (ValueError, TypeError):
        return None


class StoredFiles(FileMemo):
    """A FileMemo that also looks in, and adds to, the build cache."""

    def __init__(self, store: Cache) -> None:
        super().__init__()
        self.store = store
        self.blob_keys: dict[int, str] = {}  # id(source) -> its blob's key
        self.read_anew = 0  # files not in the cache: new, changed, or unreadable as kept

    def _key(self, file: FileKey, raw: bytes) -> str:
        path, kind, relative = file
        return key("source", path, display_path_of(path), kind, relative, raw)

    def recall(self, file: FileKey, raw: bytes) -> Source | list[Problem] | None:
        found = super().recall(file, raw)
        if found is not None:
            return found
        blob_key = self._key(file, raw)
        blob = self.store.get(blob_key)
        source = decode(blob) if blob is not None else None
        if source is None:
            return None
        super().keep(file, raw, source)
        self.blob_keys[id(source)] = blob_key
        return source

    def keep(self, file: FileKey, raw: bytes, result: Source | list[Problem]) -> None:
        super().keep(file, raw, result)
        self.read_anew += 1
        if isinstance(result, Source) and exact(result.data):
            blob_key = self._key(file, raw)
            self.store.put(blob_key, encode(result))
            self.blob_keys[id(result)] = blob_key


def display_path_of(path: str) -> str:
    return display_path(Path(path))


@dataclass
class StoredMemo(Memo):
    """Validation that reuses what the last build found for each unchanged file."""

    store: Cache | None = None

    def __post_init__(self) -> None:
        if self.store is not None:
            self.files = StoredFiles(self.store)

    def own_problems(self, source: Source, fast: bool) -> list[Problem]:
        files = self.files
        blob_key = files.blob_keys.get(id(source)) if isinstance(files, StoredFiles) else None
        if self.store is None or blob_key is None:
            return problems_of_file(source, fast)
        problems_key = key("problems", blob_key, str(fast))
        blob = self.store.get(problems_key)
        found = decode_problems(blob) if blob is not None else None
        if found is None:
            found = problems_of_file(source, fast)
            self.store.put(problems_key, encode_problems(found))
        return found
