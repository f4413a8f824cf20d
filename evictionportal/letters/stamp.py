"""Letters assembled from laid-out templates: each variant is laid out once, each letter fills in its fields.

WeasyPrint lays out a front side per variant (the same words and boxes for every letter of that kind,
with a placeholder « §NN§ » where a personal field goes: a line of the address, the reference, a date)
and a back side per arrondissement, as tagged PDF/UA-1. Each template is compiled once into its PDF
objects, as bytes with holes for the object numbers. A letter is then written by joining those bytes:
its own pages, structure elements and parent tree under fresh numbers, the shared fonts and drawings
once, and in each placeholder's place the letter's text in the letter font (glyphs.py). The text keeps
the placeholder's marked content, so it sits in the structure tree where the template put it.

The same assembly writes the batch of a run: one print-ready file, sorted as the letters come, its
structure a section per letter; fonts and drawings written once for the whole batch.
"""

from __future__ import annotations

import hashlib
import io
import re
import zlib
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from struct import pack
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NumberObject, StreamObject

from .glyphs import EmbeddedFont, Face, embedded_font, face_for, glyph_runs, text_of_glyphs

PLACEHOLDER = "§{:02d}§"
PLACEHOLDER_TEXT = re.compile(r"^§(\d\d)§$")
TITLE_MARK = "§TITRE§"
TEXT_RUN = re.compile(rb"/([A-Za-z0-9_.+-]+) ([0-9.]+) Tf\n\[([^\]]*)\] TJ\n")
GLYPHS = re.compile(rb"<([0-9a-fA-F]*)>")
OWN_KEYS = (b"/StructParents", b"/StructParent")
OBJECTS_PER_STREAM = 200

# A hole in compiled bytes: ("s", i) shared object i, ("o", i) the letter's own object i, ("p", i) page i,
# ("doc",) the structure element the template's top elements now hang from, ("pages",) the page tree,
# ("key", k) a parent-tree key, ("slot", n) the stream that prints placeholder n, ("font", name) a letter font.
Hole = tuple
Piece = bytes | Hole


class TemplateError(ValueError):
    """The laid-out template is not what the assembly expects (a bug of the templates, not of the register)."""


@dataclass
class Compiled:
    """One PDF object with holes for numbers; `stream` is its raw (still encoded) data."""

    pieces: list[Piece]
    stream: bytes | None = None


# Where each kind of hole takes its number from, in a letter: the number of the first object of its kind
# plus the hole's index (a template's objects of one kind are numbered one after the other).
BASE_OF = {"o": 0, "s": 1, "p": 2, "key": 3, "doc": 4, "pages": 5, "slot": 6, "root": 7}


@dataclass(frozen=True)
class Formatted:
    """A letter's own object ready for `%`: its bytes with %d holes, and (base, offset) for each hole."""

    text: bytes
    holes: tuple[tuple[int, int], ...]
    stream: bytes | None = None

    def fill(self, bases: tuple[int, ...]) -> bytes:
        return self.text % tuple([bases[base] + offset for base, offset in self.holes])


def formatted(pieces: list[Piece], slot_index: dict[int, int], stream: bytes | None = None) -> Formatted:
    parts: list[bytes] = []
    holes: list[tuple[int, int]] = []
    for piece in pieces:
        if isinstance(piece, bytes):
            parts.append(piece.replace(b"%", b"%%"))
            continue
        kind = piece[0]
        if kind not in BASE_OF:
            raise TemplateError(f"trou inattendu dans un objet propre à un courrier : {piece!r}")
        offset = slot_index[piece[1]] if kind == "slot" else (piece[1] if len(piece) > 1 else 0)
        holes.append((BASE_OF[kind], offset))
        parts.append(b"%d" if kind == "key" else b"%d 0 R")
    return Formatted(b"".join(parts), tuple(holes), stream)


@dataclass(frozen=True)
class Slot:
    number: int
    size: str  # the type size, as the template wrote it
    bold: bool


@dataclass
class Template:
    """A laid-out template, compiled: what every letter made from it shares, and what each has of its own."""

    shared: list[Compiled] = field(default_factory=list)
    own: list[Compiled] = field(default_factory=list)
    pages: list[Compiled] = field(default_factory=list)
    top: list[Piece] = field(default_factory=list)  # the template's top structure elements, in order
    parent_tree: list[tuple[int, list[Piece]]] = field(default_factory=list)
    keys: int = 0  # how many parent-tree keys a letter made from it uses
    slots: list[Slot] = field(default_factory=list)
    catalog: list[Piece] = field(default_factory=list)  # /Lang, /MarkInfo, /ViewerPreferences
    role_map: list[Piece] = field(default_factory=list)
    xmp: bytes = b""
    fast_own: list[Formatted] = field(default_factory=list)
    fast_pages: list[Formatted] = field(default_factory=list)
    fast_parent_tree: list[tuple[int, Formatted]] = field(default_factory=list)
    fast_top: Formatted | None = None

    def prepare(self) -> None:
        """The letter's own objects as `%` templates: a letter is then a few C-level formattings per object."""
        slot_index = {slot.number: index for index, slot in enumerate(self.slots)}
        self.fast_own = [formatted(c.pieces, slot_index, c.stream) for c in self.own]
        self.fast_pages = [formatted(c.pieces, slot_index) for c in self.pages]
        self.fast_parent_tree = [(key, formatted(value, slot_index)) for key, value in self.parent_tree]
        self.fast_top = formatted(self.top, slot_index)


# ------------------------------------------------------------------ compiling a template


def compile_template(pdf: bytes) -> Template:
    """Compile WeasyPrint's tagged PDF of a template; its placeholders become slots."""
    template = _Compiler(PdfReader(io.BytesIO(pdf))).template
    template.prepare()
    return template


class _Compiler:
    def __init__(self, reader: PdfReader) -> None:
        self.template = Template()
        catalog = reader.trailer["/Root"]
        tree = catalog["/StructTreeRoot"]
        tops = _as_list(tree["/K"])
        if len(tops) != 1:
            raise TemplateError("l'arbre de structure du modèle n'a pas un seul élément racine")
        document = tops[0]
        self.pages = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
        self.special = {tree.indirect_reference.idnum: ("root",), document.idnum: ("doc",)}
        self.shared_ids = _reachable([p.get("/Resources") for p in reader.pages] + self._page_contents(reader))
        self.numbers: dict[tuple[str, int], int] = {}
        self.queue: list[tuple[str, int, Any]] = []
        for n, page in enumerate(reader.pages):
            self.template.pages.append(self._page(page, n))
        self.template.top = self._value(document.get_object()["/K"])
        self.template.top = self.template.top[1:-1] if self.template.top[:1] == [b"["] else [*self.template.top]
        nums = _number_tree(tree["/ParentTree"].get_object())
        self.template.parent_tree = [(key, self._value(value)) for key, value in nums]
        self.template.keys = max((key for key, _ in nums), default=-1) + 1
        self._drain()
        self.template.catalog = [
            piece
            for key in ("/Lang", "/MarkInfo", "/ViewerPreferences")
            if key in catalog
            for piece in (key.encode() + b" ", *self._value(catalog[key]), b" ")
        ]
        if "/RoleMap" in tree:
            self.template.role_map = [b"/RoleMap ", *self._value(tree["/RoleMap"])]
        self.template.xmp = catalog["/Metadata"].get_object().get_data() if "/Metadata" in catalog else b""

    @staticmethod
    def _page_contents(reader: PdfReader) -> list[Any]:
        return [p.get("/Contents") for p in reader.pages] + [
            annot.get_object().get("/AP") for p in reader.pages for annot in _as_list(p.get("/Annots"))
        ]

    def _page(self, page: DictionaryObject, index: int) -> Compiled:
        pieces: list[Piece] = [b"<<"]
        slots = self._slots(page) if index == 0 else None
        for key, value in page.items():
            if key == "/Parent":
                pieces += [b"/Parent ", ("pages",), b" "]
            elif key == "/Contents" and slots is not None:
                pieces += [b"/Contents [", *slots, b"] "]
            elif key == "/Resources" and slots is not None:  # shared by every letter, with the letter fonts
                self.template.shared.append(Compiled(_merge(self._resources(page["/Resources"].get_object()))))
                pieces += [b"/Resources ", ("s", len(self.template.shared) - 1), b" "]
            else:
                pieces += [key.encode() + b" ", *self._value(value, key=key.encode()), b" "]
        return Compiled(_merge(pieces + [b">>"]))

    def _resources(self, resources: DictionaryObject) -> list[Piece]:
        """The page's resources with the letter fonts added (their numbers are the writer's)."""
        pieces: list[Piece] = [b"<<"]
        for key, value in resources.items():
            if key == "/Font":
                pieces.append(b"/Font <<")
                for name, font in value.get_object().items():
                    pieces += [name.encode() + b" ", *self._value(font), b" "]
                pieces += [("fonts",), b">> "]
            else:
                pieces += [key.encode() + b" ", *self._value(value), b" "]
        if "/Font" not in resources:
            pieces += [b"/Font <<", ("fonts",), b">>"]
        return pieces + [b">>"]

    def _slots(self, page: DictionaryObject) -> list[Piece] | None:
        """The page's drawing cut around each placeholder: shared parts, and a hole for each slot's text."""
        contents = page.get_contents()
        data = contents.get_data() if contents is not None else b""
        fonts = page["/Resources"].get_object().get("/Font", DictionaryObject()).get_object()
        parts: list[Piece] = []
        start = 0
        for match in TEXT_RUN.finditer(data):
            font = fonts.get("/" + match.group(1).decode())
            if font is None:
                continue
            bold = "Bold" in str(font.get_object().get("/BaseFont", ""))
            glyphs = [int(h[i : i + 4], 16) for h in GLYPHS.findall(match.group(3)) for i in range(0, len(h), 4)]
            found = PLACEHOLDER_TEXT.match(text_of_glyphs(glyphs, bold))
            if not found:
                continue
            parts += [self._static(data[start : match.start()]), b" ", ("slot", int(found.group(1))), b" "]
            self.template.slots.append(Slot(int(found.group(1)), match.group(2).decode(), bold))
            start = match.end()
        if not self.template.slots:
            return None
        return parts + [self._static(data[start:])]

    def _static(self, data: bytes) -> Hole:
        """A stretch of the template's drawing, one shared stream."""
        packed = zlib.compress(data, 6)
        self.template.shared.append(
            Compiled([f"<</Length {len(packed)} /Filter /FlateDecode>>".encode()], stream=packed)
        )
        return ("s", len(self.template.shared) - 1)

    def _number(self, kind: str, idnum: int, obj: Any) -> Hole:
        if (kind, idnum) not in self.numbers:
            target = self.template.shared if kind == "s" else self.template.own
            target.append(Compiled([]))
            self.numbers[(kind, idnum)] = len(target) - 1
            self.queue.append((kind, idnum, obj))
        return (kind, self.numbers[(kind, idnum)])

    def _drain(self) -> None:
        while self.queue:
            kind, idnum, obj = self.queue.pop()
            target = self.template.shared if kind == "s" else self.template.own
            resolved = obj.get_object()
            compiled = target[self.numbers[(kind, idnum)]]
            if isinstance(resolved, StreamObject):
                entries = {k: v for k, v in resolved.items() if k != "/Length"}
                compiled.pieces = _merge(
                    [f"<</Length {len(resolved._data)} ".encode(), *self._dict_body(entries), b">>"]
                )
                compiled.stream = resolved._data
            else:
                compiled.pieces = _merge(self._value(resolved))

    def _dict_body(self, items: dict) -> list[Piece]:
        pieces: list[Piece] = []
        for key, value in items.items():
            name = key.encode()
            pieces += [name + b" ", *self._value(value, key=name), b" "]
        return pieces

    def _value(self, value: Any, key: bytes = b"") -> list[Piece]:
        """The pieces of one value; references become holes, parent-tree keys too."""
        if isinstance(value, IndirectObject):
            idnum = value.idnum
            if idnum in self.pages:
                return [("p", self.pages[idnum])]
            if idnum in self.special:
                return [self.special[idnum]]
            kind = "s" if idnum in self.shared_ids else "o"
            return [self._number(kind, idnum, value)]
        if isinstance(value, DictionaryObject):
            return [b"<<", *self._dict_body(value), b">>"]
        if isinstance(value, ArrayObject):
            pieces: list[Piece] = [b"["]
            for item in value:
                pieces += [*self._value(item), b" "]
            return pieces + [b"]"]
        if key in OWN_KEYS and isinstance(value, NumberObject):
            return [("key", int(value))]
        buffer = io.BytesIO()
        value.write_to_stream(buffer)
        return [buffer.getvalue()]


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    resolved = value.get_object() if isinstance(value, IndirectObject) else value
    return list(resolved) if isinstance(resolved, ArrayObject) else [value]


def _reachable(roots: Iterable[Any]) -> set[int]:
    """Every object number reachable from `roots`: what pages draw with, shared by all letters."""
    seen: set[int] = set()
    stack = [r for r in roots if r is not None]
    while stack:
        value = stack.pop()
        if isinstance(value, IndirectObject):
            if value.idnum in seen:
                continue
            seen.add(value.idnum)
            value = value.get_object()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return seen


def _number_tree(node: DictionaryObject) -> list[tuple[int, Any]]:
    pairs: list[tuple[int, Any]] = []
    nums = node.get("/Nums", [])
    pairs += [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2)]
    for kid in node.get("/Kids", []):
        pairs += _number_tree(kid.get_object())
    return pairs


def _merge(pieces: list[Piece]) -> list[Piece]:
    """Adjacent bytes joined: a letter then joins a few pieces per object, not hundreds."""
    merged: list[Piece] = []
    for piece in pieces:
        if isinstance(piece, bytes) and merged and isinstance(merged[-1], bytes):
            merged[-1] += piece
        else:
            merged.append(piece)
    return merged


# ------------------------------------------------------------------ writing


class PdfFile:
    """A PDF written object by object, small objects packed into compressed object streams."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        # The cross-reference entry of each object number (type, field 2, field 3), in typed arrays: a batch
        # of 10,000 letters has three million objects, a few bytes each here.
        self.kinds = array("B", [0])
        self.seconds = array("L", [0])
        self.thirds = array("H", [0])
        self.count = 0
        self.packed: list[tuple[int, bytes]] = []
        out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def reserve(self, count: int = 1) -> int:
        """The first of `count` new object numbers."""
        first = self.count + 1
        self.count += count
        for entries in (self.kinds, self.seconds, self.thirds):
            entries.extend(bytes(count) if entries.typecode == "B" else array(entries.typecode, [0]) * count)
        return first

    def locate(self, number: int, kind: int, second: int, third: int) -> None:
        self.kinds[number], self.seconds[number], self.thirds[number] = kind, second, third

    def put(self, number: int, body: bytes) -> None:
        self.locate(number, 1, self.out.tell(), 0)
        self.out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))

    def put_small(self, number: int, body: bytes) -> None:
        """An object with no stream of its own: written later, packed with others."""
        self.packed.append((number, body))
        if len(self.packed) >= OBJECTS_PER_STREAM:
            self.flush()

    def put_many(self, objects: list[tuple[int, bytes]]) -> None:
        self.packed.extend(objects)
        if len(self.packed) >= OBJECTS_PER_STREAM:
            self.flush()

    def flush(self) -> None:
        if not self.packed:
            return
        stream_number = self.reserve()
        heads, bodies, offset = [], [], 0
        for index, (number, body) in enumerate(self.packed):
            heads.append(b"%d %d" % (number, offset))
            bodies.append(body)
            offset += len(body) + 1
            self.locate(number, 2, stream_number, index)
        head = b" ".join(heads) + b"\n"
        data = zlib.compress(head + b"\n".join(bodies) + b"\n", 1)
        self.put(
            stream_number,
            b"<</Type /ObjStm /N %d /First %d /Length %d /Filter /FlateDecode>>\nstream\n%s\nendstream"
            % (len(self.packed), len(head), len(data), data),
        )
        self.packed = []

    def finish(self, root: int, info: int, file_id: bytes) -> None:
        """The cross-reference stream and the trailer."""
        self.flush()
        xref = self.reserve()
        start = self.out.tell()
        self.locate(xref, 1, start, 0)
        self.thirds[0] = 0xFFFF  # object 0: the head of the free list
        packer = zlib.compressobj(6)
        packed = [
            packer.compress(
                b"".join(
                    pack(">BLH", self.kinds[number], self.seconds[number], self.thirds[number])
                    for number in range(first, min(first + 65536, self.count + 1))
                )
            )
            for first in range(0, self.count + 1, 65536)
        ]
        data = b"".join(packed) + packer.flush()
        ident = file_id.hex().encode()
        self.out.write(
            b"%d 0 obj\n<</Type /XRef /Size %d /W [1 4 2] /Root %d 0 R /Info %d 0 R /ID [<%s> <%s>] "
            b"/Length %d /Filter /FlateDecode>>\nstream\n%s\nendstream\nendobj\n"
            % (xref, self.count + 1, root, info, ident, ident, len(data), data)
        )
        self.out.write(b"startxref\n%d\n%%%%EOF\n" % start)


@dataclass
class Part:
    """One template in a letter, with the text of each of its slots."""

    template: Template
    fills: dict[int, str] = field(default_factory=dict)


class Assembly:
    """Letters into one PDF file: a letter on its own, or a batch of letters (one section each)."""

    def __init__(self, out: BinaryIO, fonts: list[EmbeddedFont], title: str, author: str, sections: bool) -> None:
        self.pdf = PdfFile(out)
        self.title, self.author, self.sections = title, author, sections
        first = self.pdf.reserve(6)
        self.catalog, self.page_tree, self.tree, self.document, self.info, self.metadata = range(first, first + 6)
        self.shared: dict[int, int] = {}  # id(template) -> number of its first shared object in this file
        self.page_numbers: list[int] = []
        self.tops: list[bytes] = []  # the document element's children, as references
        self.parent_tree: list[bytes] = []
        self.keys = 0
        self.first: Template | None = None
        self.font_refs = self._write_fonts(fonts)

    def _write_fonts(self, fonts: list[EmbeddedFont]) -> bytes:
        refs = []
        for font in fonts:
            first = self.pdf.reserve(len(font.objects))
            for index, body in enumerate(font.objects):
                if index < 3:
                    for other in range(len(font.objects)):
                        body = body.replace(b"{%d}" % other, b"%d" % (first + other))
                    self.pdf.put_small(first + index, body)
                else:
                    self.pdf.put(first + index, body)
            refs.append(b"/%s %d 0 R" % (font.resource.encode(), first))
        return b" ".join(refs)

    def add_letter(self, parts: list[Part], label: str | None = None) -> None:
        """One letter: its templates' pages one after the other, its structure as one section (batch)."""
        self.first = self.first or parts[0].template
        holder = self.pdf.reserve() if self.sections else self.document
        kids = [self._add_part(part, holder) for part in parts]
        if self.sections:
            label_entry = b" /T " + _pdf_string(label) if label else b""
            self.pdf.put_small(
                holder,
                b"<</Type /StructElem /S /Sect /P %d 0 R%s /K [%s]>>" % (self.document, label_entry, b" ".join(kids)),
            )
            self.tops.append(b"%d 0 R" % holder)
        else:
            self.tops += kids

    def _add_part(self, part: Part, holder: int) -> bytes:
        """Write one template's objects for this letter; the references to its top structure elements."""
        template = part.template
        shared_first = self._shared_first(template)
        own_first = self.pdf.reserve(len(template.own))
        pages_first = self.pdf.reserve(len(template.pages))
        slot_first = self.pdf.reserve(len(template.slots))
        key_base = self.keys
        self.keys += template.keys
        bases = (own_first, shared_first, pages_first, key_base, holder, self.page_tree, slot_first, self.tree)
        small = []
        for index, own in enumerate(template.fast_own):
            if own.stream is None:
                small.append((own_first + index, own.fill(bases)))
            else:
                self.pdf.put(own_first + index, own.fill(bases) + b"\nstream\n" + own.stream + b"\nendstream")
        for index, page in enumerate(template.fast_pages):
            small.append((pages_first + index, page.fill(bases)))
            self.page_numbers.append(pages_first + index)
        for index, slot in enumerate(template.slots):
            drawing = slot_drawing(part.fills.get(slot.number, ""), slot)
            self.pdf.put(slot_first + index, b"<</Length %d>>\nstream\n%s\nendstream" % (len(drawing), drawing))
        for key, value in template.fast_parent_tree:
            entry = value.fill(bases)
            if entry.startswith(b"["):  # a page's array of elements: an object of its own, not kept in memory
                number = self.pdf.reserve()
                small.append((number, entry))
                entry = b"%d 0 R" % number
            self.parent_tree.append(b"%d %s" % (key_base + key, entry))
        self.pdf.put_many(small)
        assert template.fast_top is not None
        return template.fast_top.fill(bases)

    def _shared_first(self, template: Template) -> int:
        """A template's fonts and drawings, written the first time a letter of this file uses it; the number
        of the first (they are numbered one after the other)."""
        if id(template) not in self.shared:
            first = self.pdf.reserve(len(template.shared))
            self.shared[id(template)] = first

            def resolve(piece: Piece) -> bytes:
                if isinstance(piece, bytes):
                    return piece
                if piece[0] == "s":
                    return b"%d 0 R" % (first + piece[1])
                if piece[0] == "fonts":
                    return b" " + self.font_refs + b" "
                raise TemplateError(f"trou inattendu dans un objet partagé : {piece!r}")

            for index, compiled in enumerate(template.shared):
                body = b"".join(resolve(piece) for piece in compiled.pieces)
                if compiled.stream is None:
                    self.pdf.put_small(first + index, body)
                else:
                    self.pdf.put(first + index, body + b"\nstream\n" + compiled.stream + b"\nendstream")
        return self.shared[id(template)]

    def finish(self) -> None:
        """The page tree, the structure tree, the catalog, the metadata."""
        if self.first is None:
            raise TemplateError("aucun courrier à écrire")
        pdf = self.pdf
        kids = b" ".join(b"%d 0 R" % n for n in self.page_numbers)
        pdf.put_small(self.page_tree, b"<</Type /Pages /Count %d /Kids [%s]>>" % (len(self.page_numbers), kids))
        parent_tree = pdf.reserve()
        pdf.put_small(parent_tree, b"<</Nums [%s]>>" % b" ".join(self.parent_tree))
        role_map = b"".join(p for p in self.first.role_map if isinstance(p, bytes))
        pdf.put_small(
            self.tree,
            b"<</Type /StructTreeRoot /K [%d 0 R] /ParentTree %d 0 R /ParentTreeNextKey %d %s>>"
            % (self.document, parent_tree, self.keys, role_map),
        )
        tops = b" ".join(self.tops)
        pdf.put_small(self.document, b"<</Type /StructElem /S /Document /P %d 0 R /K [%s]>>" % (self.tree, tops))
        catalog = b"".join(p for p in self.first.catalog if isinstance(p, bytes))
        pdf.put_small(
            self.catalog,
            b"<</Type /Catalog /Pages %d 0 R /StructTreeRoot %d 0 R /Metadata %d 0 R %s>>"
            % (self.page_tree, self.tree, self.metadata, catalog),
        )
        pdf.put_small(
            self.info,
            b"<</Title %s /Author %s /Producer (evictionportal)>>"
            % (_pdf_string(self.title), _pdf_string(self.author)),
        )
        xmp = self.first.xmp.replace(TITLE_MARK.encode(), escape(self.title).encode("utf-8"))
        pdf.put(self.metadata, b"<</Type /Metadata /Subtype /XML /Length %d>>\nstream\n%s\nendstream" % (len(xmp), xmp))
        pdf.finish(self.catalog, self.info, hashlib.md5(self.title.encode(), usedforsecurity=False).digest())


def slot_drawing(text: str, slot: Slot) -> bytes:
    """The operators that print `text` where the placeholder was (same position, size and colour)."""
    operators = []
    for found, glyphs in glyph_runs(text, slot.bold):
        hexa = "".join(f"{g:04X}" for g in glyphs)
        operators.append(f"/{found.resource} {slot.size} Tf <{hexa}> Tj")
    return ("\n".join(operators) or "").encode("ascii")


def _pdf_string(text: str) -> bytes:
    """A PDF text string in UTF-16 (any character, nothing to escape)."""
    return b"<FEFF%s>" % text.encode("utf-16-be").hex().upper().encode()


def write_letter(parts: list[Part], fonts: list[EmbeddedFont], title: str, author: str) -> bytes:
    """One letter's own PDF, as bytes (the caller writes it owner-only)."""
    buffer = io.BytesIO()
    assembly = Assembly(buffer, fonts, title, author, sections=False)
    assembly.add_letter(parts)
    assembly.finish()
    return buffer.getvalue()


def letter_fonts(texts: Iterable[str]) -> list[EmbeddedFont]:
    """The letter fonts a set of personal fields needs: a subset of each face (regular, bold) that prints one."""
    chars = set().union(*map(set, texts))
    used: dict[tuple[bool, str], tuple[Face, set[str]]] = {}
    for char in chars:
        for bold in (False, True):
            found = face_for(char, bold)
            if found is not None:
                used.setdefault(found.key, (found, set()))[1].add(char)
    return [embedded_font(found, subset) for found, subset in used.values()]
