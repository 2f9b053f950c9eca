"""The structure trees of the card parts joined into one: a tagged, accessible deck.

Typst writes each part tagged (PDF/UA-1): a structure tree under one Document element,
a parent tree that maps each page's marked content to its elements, table cells whose
headers are named by ID. Joined, the deck gets one structure tree root and one Document
element holding every part's elements in order; each part's parent-tree keys are moved
past the previous parts' (its pages' `StructParents` with them) and its IDs are prefixed
with the part's number, so nothing collides.

On sheets (n-up) a card's content is a form XObject: its marked content is referenced
from the structure by marked-content references naming the form (`/Stm`), and the form
carries the card page's `StructParents`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Protocol
from xml.sax.saxutils import escape

from .pdf_parts import Part, PartError, Ref, Value, dump

ELEMENT = re.compile(rb"/Type\s*/StructElem(?![^\s()<>\[\]{}/%])")
ELEMENT_FIRST = re.compile(rb"<<\s*" + ELEMENT.pattern)
ID = re.compile(rb"\((U\d+x\d+y\d+)\)")  # Typst's table cell IDs: (U<table>x<col>y<row>)


class Writer(Protocol):
    def reserve(self) -> int: ...

    def write(self, number: int, body: bytes) -> None: ...

    def add(self, body: bytes) -> int: ...


class Copier(Protocol):
    part: Part
    numbers: dict[int, int]

    def number(self, old: int) -> int: ...

    def value(self, value: Value) -> bytes: ...


@dataclass
class Tags:
    """The joined structure tree, filled part by part (`take`), written at the end."""

    writer: Writer
    root: int = 0
    document: int = 0
    kids: list[bytes] = field(default_factory=list)
    nums: list[bytes] = field(default_factory=list)
    ids: list[tuple[bytes, bytes]] = field(default_factory=list)
    role_map: dict[bytes, Value] = field(default_factory=dict)
    lang: Value = b"(und)"
    next_key: int = 0
    parts: int = 0
    # on sheets: the current part's card pages' content streams (old numbers) by page
    sheets: bool = False
    streams: dict[int, int] = field(default_factory=dict)
    # whether every part claims PDF/UA-1 (a part with a character no font shows cannot)
    accessible: bool = True

    def __post_init__(self) -> None:
        self.root, self.document = self.writer.reserve(), self.writer.reserve()

    def take(self, copier: Copier) -> int:
        """The part's structure, copied; the offset of its parent-tree keys."""
        part = copier.part
        catalog = part.dictionary(part.dictionary(part.trailer).get(b"/Root"))
        tree_ref = catalog.get(b"/StructTreeRoot")
        if not isinstance(tree_ref, Ref):
            raise PartError("a part without a structure tree (not tagged)")
        self.lang = catalog.get(b"/Lang", self.lang)
        self.accessible = self.accessible and _claims_ua(part, catalog.get(b"/Metadata"))
        tree = part.dictionary(tree_ref)
        copier.numbers[tree_ref.number] = self.root  # the elements' parent, now ours
        self.parts += 1
        base = self.next_key
        for top in _items(tree.get(b"/K")):
            element = part.dictionary(top) if isinstance(top, Ref) else {}
            if element.get(b"/S") == b"/Document" and isinstance(top, Ref):
                copier.numbers[top.number] = self.document
                self.kids += [copier.value(kid) for kid in _items(element.get(b"/K"))]
            else:
                self.kids.append(copier.value(top))
        for key, value in _number_tree(part, tree.get(b"/ParentTree")):
            self.nums.append(b"%d %s" % (key + base, copier.value(value)))
        for name, value in _name_tree(part, tree.get(b"/IDTree")):
            self.ids.append((self.renamed(name), copier.value(value)))
        roles = tree.get(b"/RoleMap")
        if isinstance(roles, dict):
            self.role_map.update(roles)
        next_key = tree.get(b"/ParentTreeNextKey", b"0")
        if not isinstance(next_key, bytes) or not next_key.isdigit():
            raise PartError("a structure tree without a next key")
        self.next_key = base + int(next_key)
        return base

    def renamed(self, text: bytes) -> bytes:
        """`text` with the IDs in it prefixed by the part's number."""
        return ID.sub(rb"(P%05d\1)" % self.parts, text)

    def element(self, copier: Copier, old: int) -> bytes | None:
        """A structure element's copy (its IDs renamed; on sheets its marked content
        named by form), or None if object `old` is no structure element."""
        part = copier.part
        data, start, end = part.body(old)
        # a cheap look first: most objects are streams, or name no structure element
        if data[max(start, end - 24) : end].rstrip().endswith(b"endstream"):
            return None
        # certain if /Type comes first (as Typst writes it), else parsed to be sure
        first = ELEMENT_FIRST.match(data, start, end) is not None
        if not first and not ELEMENT.search(data, start, end):
            return None
        if not self.sheets and first:
            return self.renamed(part.copied(old, copier.number))
        element = part.dictionary(Ref(old))
        if element.get(b"/Type") != b"/StructElem":
            return None
        if not self.sheets:
            return self.renamed(part.copied(old, copier.number))
        page = element.get(b"/Pg")
        if b"/K" in element:
            element[b"/K"] = self._marked(element[b"/K"], page)
        return self.renamed(dump(element, copier.number))

    def _marked(self, kids: Value, page: Value | None) -> Value:
        """Marked content on a card page, as references to its form (`/Stm`)."""
        if isinstance(kids, list):
            return [self._marked(kid, page) for kid in kids]
        if isinstance(kids, bytes) and kids.isdigit() and isinstance(page, Ref):
            stream = Ref(self.streams[page.number])
            return {b"/Type": b"/MCR", b"/Pg": page, b"/Stm": stream, b"/MCID": kids}
        if isinstance(kids, dict) and kids.get(b"/Type") == b"/MCR":
            on = kids.get(b"/Pg", page)
            if isinstance(on, Ref):
                return {**kids, b"/Pg": on, b"/Stm": Ref(self.streams[on.number])}
        return kids

    def close(self, title: str, epoch: int) -> bytes:
        """The catalog's entries for a tagged deck (after writing the tree and metadata)."""
        kids = b" ".join(self.kids)
        self.writer.write(
            self.document,
            b"<</Type/StructElem/S/Document/P %d 0 R/K[%s]>>" % (self.root, kids),
        )
        ids = b" ".join(name + b" " + ref for name, ref in sorted(self.ids))
        self.writer.write(
            self.root,
            b"<</Type/StructTreeRoot/K[%d 0 R]/ParentTree<</Nums[%s]>>/ParentTreeNextKey %d"
            b"/IDTree<</Names[%s]>>/RoleMap%s>>"
            % (self.document, b" ".join(self.nums), self.next_key, ids,
               dump(self.role_map, _unchanged)),
        )  # fmt: skip
        metadata = self.writer.add(_metadata(title, self.lang, epoch, self.accessible))
        return (
            b"/StructTreeRoot %d 0 R/MarkInfo<</Marked true>>/Lang%s"
            b"/ViewerPreferences<</DisplayDocTitle true>>/Metadata %d 0 R"
            % (self.root, dump(self.lang, _unchanged), metadata)
        )


def _claims_ua(part: Part, metadata: Value | None) -> bool:
    """Whether the part's XMP metadata identifies it as PDF/UA-1."""
    return isinstance(metadata, Ref) and b"pdfuaid:part" in part.stream(metadata.number)


def _unchanged(number: int) -> int:
    return number


def _items(value: Value | None) -> list[Value]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _tree(
    part: Part, node: Value | None, leaves: bytes, what: str, depth: int = 0
) -> list[tuple[Value, Value]]:
    """The (key, value) pairs of a number tree (`leaves` /Nums) or a name tree (/Names),
    in order."""
    if node is None:
        return []
    entries = part.dictionary(node)
    if depth > 32:
        raise PartError(f"a broken {what} tree")
    pairs: list[tuple[Value, Value]] = []
    for kid in _items(entries.get(b"/Kids")):
        pairs += _tree(part, kid, leaves, what, depth + 1)
    found = _items(entries.get(leaves))
    pairs += zip(found[::2], found[1::2], strict=True)
    return pairs


def _number_tree(part: Part, node: Value | None) -> list[tuple[int, Value]]:
    """The (key, value) pairs of a number tree, in order."""
    pairs = []
    for key, value in _tree(part, node, b"/Nums", "number"):
        if not isinstance(key, bytes) or not key.isdigit():
            raise PartError("a number tree's key is not a number")
        pairs.append((int(key), value))
    return pairs


def _name_tree(part: Part, node: Value | None) -> list[tuple[bytes, Value]]:
    """The (name, value) pairs of a name tree (names as written: literal strings)."""
    pairs = []
    for name, value in _tree(part, node, b"/Names", "name"):
        if not isinstance(name, bytes):
            raise PartError("a name tree's key is not a string")
        pairs.append((name, value))
    return pairs


def _metadata(title: str, lang: Value, epoch: int, accessible: bool) -> bytes:
    """XMP: the title, the language, the dates and, if every part claims it, the PDF/UA-1
    identification."""
    stamp = dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    language = lang.decode("latin-1").strip("()") if isinstance(lang, bytes) else "und"
    xml = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/"'
        ' xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li>'
        "</rdf:Alt></dc:title>"
        f"<dc:language><rdf:Bag><rdf:li>{escape(language)}</rdf:li></rdf:Bag></dc:language>"
        f"<xmp:CreatorTool>playbook</xmp:CreatorTool><xmp:CreateDate>{stamp}</xmp:CreateDate>"
        f"<xmp:ModifyDate>{stamp}</xmp:ModifyDate>"
        f"{'<pdfuaid:part>1</pdfuaid:part>' if accessible else ''}"
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="r"?>'
    ).encode()
    return b"<</Type/Metadata/Subtype/XML/Length %d>>\nstream\n%s\nendstream" % (len(xml), xml)
