"""Forms from the models: a model and its data become a tree of fields; a posted form becomes data again.

Nothing here describes a field by hand: the label and help are the model's French description, a choice of
names comes from the cross-reference table (`crossrefs.ID_FIELDS`), an enumeration is a list of choices, a
date a date field. Lists are edited with buttons the server answers (add, remove, up, down), so every form
works without JavaScript.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal

from pydantic import AfterValidator, BaseModel, HttpUrl
from pydantic.fields import FieldInfo

from .. import schema
from ..crossrefs import id_target
from ..dated import timing_on
from ..load import field_label
from ..text import french_date, render_markdown

Path_ = tuple[str | int, ...]
GENERIC = ("Texte en français", "Identifiant court")
MAX_SELECT_OPTIONS = 150  # beyond, an id is typed with its name suggested, so a page stays light


# ------------------------------------------------------------------ what a field holds


@dataclass(frozen=True)
class Shape:
    """What one field holds, read from its annotation."""

    kind: str  # text, markdown, number, decimal, date, url, bool, choice, id, areas, group, list, mapping, either
    optional: bool = False
    choices: tuple[str, ...] = ()
    model: type[BaseModel] | None = None
    item: Shape | None = None  # for a list
    variants: tuple[Shape, ...] = ()  # for a text or a group (« que faire »: a step, or its two wordings)
    target: str | None = None  # for an id: organisation, scheme…


def _is_markdown(metadata: list[Any]) -> bool:
    return any(isinstance(m, AfterValidator) and m.func is schema._links_are_safe for m in metadata)


def _unwrapped(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = annotation.__origin__
    return annotation


def shape_of(annotation: Any, metadata: list[Any] | None = None, target: str | None = None) -> Shape:
    """The shape of a field from its annotation (Annotated, unions with None, lists, models, enums). `target`:
    what the field names by id (crossrefs.ID_FIELDS); it carries to list items and to a dated field's periods."""
    metadata = list(metadata or [])
    while typing.get_origin(annotation) is typing.Annotated:
        metadata += list(annotation.__metadata__)
        annotation = annotation.__origin__
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(args) < len(typing.get_args(annotation))
        if len(args) == 1:
            inner = shape_of(args[0], metadata, target)
            return Shape(**{**inner.__dict__, "optional": optional or inner.optional})
        literals = [a for a in args if typing.get_origin(_unwrapped(a)) is Literal]
        if literals and target == "area":
            choices = tuple(v for a in literals for v in typing.get_args(_unwrapped(a)))
            return Shape("areas", optional, choices=choices, target=target)
        variants = tuple(shape_of(a, metadata, target) for a in args)
        return Shape("either", optional, variants=variants, target=target)
    if origin is list:
        (item,) = typing.get_args(annotation)
        return Shape("list", item=shape_of(item, None, target), target=target)
    if origin is dict:
        _key, value = typing.get_args(annotation)
        return Shape("mapping", item=shape_of(value))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return Shape("group", model=annotation, target=target)
    if target == "area":
        return Shape("id", target="area")
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return Shape("choice", choices=tuple(m.value for m in annotation))
    if origin is Literal:
        return Shape("choice", choices=tuple(str(v) for v in typing.get_args(annotation)))
    if annotation is dt.date:
        return Shape("date")
    if annotation is bool:
        return Shape("bool")
    if annotation is int:
        return Shape("number")
    if annotation is float:
        return Shape("decimal")
    if annotation is HttpUrl:
        return Shape("url")
    if target:
        return Shape("id", target=target)
    return Shape("markdown" if _is_markdown(metadata) else "text")


def field_shape(model: type[BaseModel], name: str, inherited: str | None = None) -> Shape:
    """The shape of one field; `inherited`: the target of the dated field whose period `model` is."""
    info: FieldInfo = model.model_fields[name]
    target = id_target(model, name)
    if target is None and inherited and issubclass(model, schema.Period) and name == "value":
        target = inherited
    shape = shape_of(info.annotation, info.metadata, target)
    if not info.is_required() and shape.kind not in ("list",):
        return Shape(**{**shape.__dict__, "optional": True})
    return shape


def fits(shape: Shape, value: Any) -> bool:
    """Whether `value` is written as `shape` says (a scalar, a group, a list of groups or of values)."""
    if shape.kind == "either":
        return any(fits(v, value) for v in shape.variants)
    if shape.kind in ("group", "mapping"):
        return isinstance(value, dict)
    if shape.kind == "list":
        items_are_groups = shape.item is not None and shape.item.kind in ("group", "mapping")
        return isinstance(value, list) and (not value or isinstance(value[0], dict) == items_are_groups)
    if shape.kind == "areas":
        return not isinstance(value, dict) and not (isinstance(value, list) and value and isinstance(value[0], dict))
    return not isinstance(value, (dict, list))


def variant(shape: Shape, value: Any) -> Shape:
    """The variant of an « either » field that a value is written as (the first when none fits)."""
    return next((v for v in shape.variants if fits(v, value)), shape.variants[0])


def yaml_key(model: type[BaseModel], name: str) -> str:
    """The key written in the file (`from`, not `from_`)."""
    return model.model_fields[name].alias or name


def label_and_help(model: type[BaseModel], name: str) -> tuple[str, str]:
    """The field's French description: its first words as the label, the whole as the help."""
    info = model.model_fields[name]
    description = info.description or ""
    if info.title:
        return info.title, description
    if not description or description.startswith(GENERIC):
        return ("Identifiant" if description.startswith(GENERIC[1]) else yaml_key(model, name)), description
    label = re.split(r" ; |, ex\. ?:| \(ex\.| : |\. ", description, maxsplit=1)[0].rstrip(".")
    if len(label) > 90:
        label = label[:90].rsplit(" ", 1)[0] + " …"
    return label, ("" if label == description.rstrip(".") else description)


# ------------------------------------------------------------------ the form's data


class Seq(list):
    """A list of the form, with where each item came from in the file (None: added in this form)."""

    def __init__(self, items: typing.Iterable[Any] = (), origins: list[int | None] | None = None) -> None:
        super().__init__(items)
        self.origins: list[int | None] = origins if origins is not None else list(range(len(self)))


def plain(value: Any) -> Any:
    """Data read by ruamel as the form's data: maps, Seq, strings; dates as AAAA-MM-JJ."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return Seq(plain(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, int, float)):
        return str(value.isoformat() if isinstance(value, dt.date) else value)
    return value


TOKEN = re.compile(r"([^\W\d][\w-]*)|\[(\d{1,4})\]|\.")  # a key of a mapping may be a French word


def parse_name(name: str) -> Path_ | None:
    """`contacts[0].value` → ("contacts", 0, "value"); None for anything else."""
    path: list[str | int] = []
    position = 0
    for match in TOKEN.finditer(name):
        if match.start() != position:
            return None
        position = match.end()
        if match.group(1):
            path.append(match.group(1))
        elif match.group(2):
            path.append(int(match.group(2)))
    return tuple(path) if position == len(name) and path else None


def form_data(fields: list[tuple[str, str]]) -> dict[str, Any]:
    """The posted fields as data. `@path` marks a group (`{}`) or a list (`[]`) that exists, or a list item
    (its value: the item's place in the file, empty if added); `path` is a value. Empty values are left out,
    except in lists of plain values, where an item keeps its place."""
    data: dict[str, Any] = {}
    parsed = [(name.startswith("@"), parse_name(name.lstrip("@")), value) for name, value in fields]
    # A value whose path holds other fields comes after them: « areas: all » replaces the ticked numbers.
    prefixes = {path[:end] for _m, path, _v in parsed if path for end in range(1, len(path))}
    parsed.sort(key=lambda item: (not item[0]) and item[1] in prefixes)
    for marker, path, value in parsed:
        if path is None:
            continue
        if not marker and value == "[]":  # a choice that means « a list » (areas: some arrondissements)
            marker = True
        if marker:
            last: Any = Seq() if value == "[]" else {}
            container = _ensure(data, path[:-1], path[-1])
            origin = int(value) if value.isdigit() else None
            _place(container, path[-1], last, origin, keep=True)
        elif value.strip() or isinstance(path[-1], int):
            container = _ensure(data, path[:-1], path[-1])
            _place(container, path[-1], value.replace("\r\n", "\n"), None, keep=False)
    return data


def _ensure(data: dict[str, Any], path: Path_, following: str | int) -> Any:
    """The container at `path`, created on the way (a list where the next part is a number)."""
    current: Any = data
    for depth, part in enumerate(path):
        after = path[depth + 1] if depth + 1 < len(path) else following
        fresh: Any = Seq() if isinstance(after, int) else {}
        existing = (
            current.get(part)
            if isinstance(current, dict)
            else (
                current[part] if part < len(current) else None  # type: ignore[operator]
            )
        )
        if isinstance(existing, (dict, list)):
            current = existing
            continue
        _place(current, part, fresh, None, keep=True)
        current = fresh
    return current


def _place(container: Any, key: str | int, value: Any, origin: int | None, keep: bool) -> None:
    """Put `value` at `key`; a container already there stays (keep), with its items."""
    if isinstance(container, dict):
        if not (keep and isinstance(container.get(key), (dict, list))):
            container[key] = value
        return
    assert isinstance(key, int)
    while len(container) <= key:
        container.append(None)
        container.origins.append(None)
    if not (keep and isinstance(container[key], (dict, list))):
        container[key] = value
    if keep and origin is not None:
        container.origins[key] = origin


def get(data: Any, path: Path_) -> Any:
    for part in path:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


# ------------------------------------------------------------------ typed values for the file


def typed(data: Any, model: type[BaseModel], inherited: str | None = None) -> Any:
    """The form's strings as the values the file holds: numbers, dates, true/false; the rest stays text."""
    result = {}
    for name in model.model_fields:
        key = yaml_key(model, name)
        if key in data and data[key] is not None:
            result[key] = _typed_value(data[key], field_shape(model, name, inherited))
    for key, value in data.items():  # a key the model does not know stays, for the loader to report
        result.setdefault(key, value)
    return result


def _typed_value(value: Any, shape: Shape) -> Any:
    kind = shape.kind
    if kind == "group" and isinstance(value, dict):
        return typed(value, shape.model, shape.target)  # type: ignore[arg-type]
    if kind == "list" and isinstance(value, list):
        items = [_typed_value(v, shape.item) for v in value]  # type: ignore[arg-type]
        return Seq(items, list(getattr(value, "origins", range(len(items)))))
    if kind == "mapping" and isinstance(value, dict):
        return {k: _typed_value(v, shape.item) for k, v in value.items()}  # type: ignore[arg-type]
    if kind == "either":
        return _typed_value(value, variant(shape, value))
    if kind == "areas":
        if isinstance(value, list):
            return Seq(_number(v) for v in value if v not in ("", None))
        return value
    if not isinstance(value, str):
        return value
    if kind == "number" or (kind == "id" and shape.target == "area"):
        return _number(value)
    if kind == "decimal":
        try:
            return float(value.replace(",", "."))
        except ValueError:
            return value
    if kind == "date":
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return value
    if kind == "bool":
        return {"true": True, "false": False}.get(value, value)
    return value


def _number(value: Any) -> Any:
    text = str(value).strip()
    return int(text) if re.fullmatch(r"-?\d{1,9}", text) else value


# ------------------------------------------------------------------ the tree of fields a template draws


@dataclass
class Option:
    value: str
    label: str


@dataclass
class Node:
    """One field, group or list of the form, with what the template needs to draw it."""

    kind: str
    name: str  # the field as the build names it: contacts[0].value
    label: str
    help: str = ""
    key: str = ""
    value: Any = None
    required: bool = False
    options: list[Option] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    marker: str | None = None  # the value of the hidden « @name » input: the item's place in the file
    present: bool = True  # an optional group that is absent shows only its « Ajouter » button
    item_of: str | None = None  # for a list item: the list's name (its buttons act on it)
    first: bool = False
    last: bool = False
    preview: str = ""  # a Markdown field's rendering (the site's safe path)
    period: str = ""  # a dated rule: « du … au … », and whether it is in force today
    timing: str = ""
    review: str | None = None  # the review group: the current step
    multiline: bool = False
    rows: int = 3
    keyed: bool = False  # an entry of a mapping: removed, never moved
    list_id: str = ""  # a choice among many: the page's list of names (datalist) it suggests from


@dataclass
class Context:
    """What the fields need from outside the file: the names of what an id may point at, today, errors."""

    choices: dict[str, list[Option]]
    today: dt.date
    errors: dict[str, list[str]] = field(default_factory=dict)
    shown: set[str] = field(default_factory=set)
    suggested: set[str] = field(default_factory=set)  # the targets whose names the page lists once

    def errors_at(self, name: str) -> list[str]:
        self.shown.add(name)
        return self.errors.get(name, [])


def build_form(model: type[BaseModel], data: dict[str, Any], context: Context) -> list[Node]:
    return _fields(model, data if isinstance(data, dict) else {}, (), context)


# Fields every page or dated rule shares come after the record's own: a stage opens on its title, not its review.
SHARED_LAST = (*schema.PublishedPage.model_fields, *schema.Dated.model_fields)


def form_order(model: type[BaseModel]) -> list[str]:
    names = list(model.model_fields)
    if issubclass(model, (schema.PublishedPage, schema.Dated)):
        return [n for n in names if n not in SHARED_LAST] + [n for n in names if n in SHARED_LAST]
    return names


def _fields(
    model: type[BaseModel], data: dict[str, Any], path: Path_, context: Context, inherited: str | None = None
) -> list[Node]:
    nodes = []
    for name in form_order(model):
        key = yaml_key(model, name)
        label, help_text = label_and_help(model, name)
        shape = field_shape(model, name, inherited)
        value = data.get(key)
        if value is None and model.model_fields[name].is_required() and shape.kind == "group":
            value = {}  # a required group is always drawn open
        node = _node(shape, value, (*path, key), label, help_text, context)
        node.key = key
        node.required = model.model_fields[name].is_required()
        nodes.append(node)
    return nodes


def _node(shape: Shape, value: Any, path: Path_, label: str, help_text: str, context: Context) -> Node:
    name = field_label(path)
    node = Node(shape.kind, name, label, help_text, errors=context.errors_at(name))
    kind = shape.kind
    if kind == "either":
        inner = _node(variant(shape, value), value, path, label, help_text, context)
        inner.errors = node.errors
        return inner
    if kind == "group":
        node.present = isinstance(value, dict)
        node.marker = "1"
        assert shape.model is not None
        if node.present:
            node.children = _fields(shape.model, value, path, context, shape.target)
            _describe_period(node, shape.model, value, context)
            if shape.model is schema.Review:
                node.review = str(value.get("status") or "draft")
        return node
    if kind == "mapping":
        assert shape.item is not None
        node.marker = "{}"
        for key, item in (value if isinstance(value, dict) else {}).items():
            child = _node(shape.item, item, (*path, key), key, "", context)
            child.item_of, child.keyed = name, True
            node.children.append(child)
        return node
    if kind == "list":
        assert shape.item is not None
        items = value if isinstance(value, list) else []
        node.present = isinstance(value, list)
        node.marker = "1"
        origins = getattr(items, "origins", list(range(len(items))))
        for index, item in enumerate(items):
            child = _node(shape.item, item, (*path, index), f"{label} n° {index + 1}", "", context)
            child.item_of = name
            origin = origins[index] if index < len(origins) else None
            child.marker = "" if origin is None else str(origin)
            child.first, child.last = index == 0, index == len(items) - 1
            node.children.append(child)
        return node
    node.value = "" if value is None else value
    if kind in ("choice",):
        node.options = [Option(c, c) for c in shape.choices]
    elif kind == "id":
        options = context.choices.get(shape.target or "", [])
        if len(options) > MAX_SELECT_OPTIONS:  # a thousand organisations: one list of names for the page
            node.kind, node.list_id = "suggest", f"choix-{shape.target}"
            context.suggested.add(shape.target or "")
            current = {o.value: o.label for o in options}.get(str(node.value))
            said = "Tapez une partie du nom, puis choisissez dans la liste."
            node.help = f"{node.help} {said}{f' Actuellement : {current}.' if current else ''}".strip()
            return node
        node.options = list(options)
        if node.value and str(node.value) not in {o.value for o in node.options}:
            node.options.insert(0, Option(str(node.value), f"{node.value} (inconnu)"))
    elif kind == "areas":
        node.options = [
            Option(c, {"all": "Tout le territoire", "national": "Ligne nationale"}.get(c, c)) for c in shape.choices
        ]
        node.children = [Node("area", name, o.label, value=o.value) for o in context.choices.get("area", [])]
        node.value = value if isinstance(value, (str, list)) else ""
    elif kind == "bool":
        node.options = [Option("true", "oui"), Option("false", "non")]
    elif kind == "markdown" and isinstance(value, str) and value.strip():
        node.preview = render_markdown(value)
    if isinstance(node.value, str):
        node.multiline = kind == "markdown" or "\n" in node.value or len(node.value) > 90
        node.rows = min(12, max(3, node.value.count("\n") + 2, len(node.value) // 80 + 1))
    return node


def _describe_period(node: Node, model: type[BaseModel], value: dict[str, Any], context: Context) -> None:
    """A dated rule says its period and how it shows today (in force, announced, kept, not shown)."""
    if not issubclass(model, schema.Dated):
        return
    try:
        block = schema.Dated.model_validate(
            {k: value[k] for k in ("from", "until", "shown_until", "notice_days") if value.get(k)}
        )
    except ValueError:
        node.period = "période incorrecte"
        return
    start = f"du {french_date(block.from_)}" if block.from_ else "depuis toujours"
    end = f"au {french_date(block.until)}" if block.until else "sans fin prévue"
    node.period = f"{start} {end}" if block.from_ or block.until else ""
    timing = timing_on(block, context.today)
    node.timing = {
        "current": "en vigueur aujourd'hui",
        "upcoming": "annoncée (encadré « À partir du … »)",
        "past": "terminée, encore affichée",
        None: "pas affichée aujourd'hui",
    }[timing]
    if not node.period and timing == "current":
        node.timing = ""


# ------------------------------------------------------------------ list and group buttons


def shape_at(model: type[BaseModel], path: Path_) -> Shape | None:
    """The shape of the field at `path` of a file of `model` (list indexes step into the items)."""
    shape: Shape | None = Shape("group", model=model)
    for part in path:
        if shape is None:
            return None
        if shape.kind == "either":
            shape = next((v for v in shape.variants if v.kind in ("group", "list")), None)
            if shape is None:
                return None
        if isinstance(part, int):
            shape = shape.item if shape.kind == "list" else None
            continue
        if shape.kind == "mapping":
            shape = shape.item
            continue
        if shape.kind != "group" or shape.model is None:
            return None
        names = {yaml_key(shape.model, n): n for n in shape.model.model_fields}
        shape = field_shape(shape.model, names[part]) if part in names else None
    return shape


def new_item(shape: Shape) -> Any:
    return {} if shape.kind == "group" else ""


def apply_operation(data: dict[str, Any], operation: str, model: type[BaseModel], new_key: str = "") -> bool:
    """`add|contacts`, `remove|contacts[1]`, `up|…`, `down|…`, `open|practical_box`, `close|…`; say if done."""
    verb, _, name = operation.partition("|")
    path = parse_name(name)
    if path is None:
        return False
    if verb == "addkey":  # a new entry of a mapping, under the key typed beside the button
        mapping, shape = get(data, path), shape_at(model, path)
        if not new_key or parse_name(new_key) != (new_key,) or shape is None or shape.item is None:
            return False
        if not isinstance(mapping, dict):
            mapping = _ensure(data, path[:-1], path[-1]).setdefault(path[-1], {})
        mapping.setdefault(new_key, new_item(shape.item))
        return True
    if verb in ("open", "close"):
        parent = get(data, path[:-1]) if len(path) > 1 else data
        if not isinstance(parent, dict):
            return False
        if verb == "open":
            parent.setdefault(path[-1], {})
        else:
            parent.pop(path[-1], None)
        return True
    if verb == "add":
        parent = get(data, path[:-1]) if len(path) > 1 else data
        if not isinstance(parent, dict):
            return False
        seq = parent.get(path[-1])
        if not isinstance(seq, Seq):
            seq = parent[path[-1]] = Seq(seq if isinstance(seq, list) else [])
        shape = shape_at(model, path)
        if shape is None or shape.kind != "list" or shape.item is None:
            return False
        seq.append(new_item(shape.item))
        seq.origins.append(None)
        return True
    seq, index = get(data, path[:-1]), path[-1]
    if verb == "remove" and isinstance(seq, dict) and isinstance(index, str):
        return seq.pop(index, None) is not None or True
    if not isinstance(seq, Seq) or not isinstance(index, int) or index >= len(seq):
        return False
    if verb == "remove":
        del seq[index]
        del seq.origins[index]
        return True
    other = index - 1 if verb == "up" else index + 1 if verb == "down" else -1
    if not 0 <= other < len(seq):
        return False
    seq[index], seq[other] = seq[other], seq[index]
    seq.origins[index], seq.origins[other] = seq.origins[other], seq.origins[index]
    return True
