"""Stage 1 of the pipeline: read every YAML source and validate it.

Every problem in every file is collected before anything is reported, each
with its file, line and field, so that one run shows the whole list.
"""

from __future__ import annotations

import datetime as dt
import difflib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from . import schema
from .errors import SourceErrors, SourceProblem

Path_ = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so pydantic reports bad ones with their field."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


@dataclass
class Located:
    """A validated source and where each of its fields came from."""

    model: Any
    file: str
    lines: dict[Path_, int]

    def line_of(self, path: Path_) -> int:
        return line_for(self.lines, path)


@dataclass
class Sources:
    """Everything the build needs, validated, indexed by id."""

    root: Path
    territory: schema.Territory
    organisations: dict[str, schema.Organisation]
    references: dict[str, schema.LegalReference]
    stages: list[schema.Stage]
    grounds: list[schema.Ground]
    schemes: dict[str, schema.Scheme]
    actions: list[schema.CharterAction]
    indicators: schema.Indicators
    pages: dict[str, schema.GuidePage]
    landlord_guide: list[schema.GuidePage]
    flyers: list[schema.Flyer] = field(default_factory=list)
    campaigns: list[schema.Campaign] = field(default_factory=list)  # directory/campagnes/, by year
    figures: list[schema.YearFigures] = field(default_factory=list)  # referentiel/chiffres/, by year
    as_of: dt.date = field(default_factory=dt.date.today)  # the day the build shows the law and the directory as of
    origins: dict[int, Located] = field(default_factory=dict, repr=False)

    def origin(self, model: BaseModel) -> Located:
        return self.origins[id(model)]


# ------------------------------------------------------------------ YAML


def line_for(lines: dict[Path_, int], path: Path_) -> int:
    """The line of the deepest part of `path` that exists in the file."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return 1


def _node_to_data(
    loader: _Loader, node: yaml.Node, path: Path_, lines: dict[Path_, int], duplicates: list[tuple[int, str]]
) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        data: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node)
            if key in data:
                duplicates.append((key_node.start_mark.line + 1, str(key)))
            data[key] = _node_to_data(loader, value_node, (*path, key), lines, duplicates)
        return data
    if isinstance(node, yaml.SequenceNode):
        return [_node_to_data(loader, item, (*path, index), lines, duplicates) for index, item in enumerate(node.value)]
    return loader.construct_object(node)


YAML_HINTS = {
    "mapping values are not allowed": "un « : » inattendu ; si le texte contient « : », mettez-le entre guillemets",
    "found character '\\t'": "une tabulation ; indentez avec des espaces",
    "could not find expected ':'": "il manque « : » après le nom d'un champ",
    "expected <block end>": "l'indentation n'est pas régulière ; alignez les champs d'un même niveau",
    "found unexpected end of stream": "des guillemets ne sont pas refermés",
    "did not find expected key": "l'indentation n'est pas régulière ; alignez les champs d'un même niveau",
    "did not find expected '-' indicator": "l'indentation d'une liste n'est pas régulière",
    "found undefined alias": "un « * » en début de texte ; mettez le texte entre guillemets",
}


def read_yaml(path: Path, root: Path) -> tuple[Any, dict[Path_, int], list[SourceProblem]]:
    """Parse one file into plain data plus a map from field path to line."""
    rel = path.relative_to(root).as_posix()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, {}, [SourceProblem(rel, 1, "", "le fichier n'est pas en UTF-8 ; enregistrez-le en UTF-8")]
    loader = _Loader(text)
    lines: dict[Path_, int] = {}
    duplicates: list[tuple[int, str]] = []
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}, [SourceProblem(rel, 1, "", "le fichier est vide")]
        data = _node_to_data(loader, node, (), lines, duplicates)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raw = f"{error.context or ''} {error.problem or ''}".strip()
        hint = next((h for k, h in YAML_HINTS.items() if k in raw), None)
        message = "erreur de syntaxe YAML : " + (hint or f"la structure est incorrecte ({raw})")
        return None, {}, [SourceProblem(rel, (mark.line + 1) if mark else 1, "", message)]
    finally:
        loader.dispose()
    problems = [
        SourceProblem(rel, line, key, f"le champ « {key} » apparaît deux fois ; gardez-en un seul")
        for line, key in duplicates
    ]
    return data, lines, problems


# ------------------------------------------------------------------ pydantic errors in French


def _unwrap_model(annotation: Any) -> type[BaseModel] | None:
    """The model class inside list[...] / X | None annotations, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _unwrap_model(arg)
        if found:
            return found
    return None


def _model_at(model: type[BaseModel], loc: Path_) -> type[BaseModel] | None:
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        info = current.model_fields.get(part)
        if info is None:
            return current
        current = _unwrap_model(info.annotation)
    return current


def field_label(loc: Path_) -> str:
    """A field path as editors read it: contacts[0].value."""
    label = ""
    for part in loc:
        label += f"[{part}]" if isinstance(part, int) else (f".{part}" if label else str(part))
    return label


def _describe(model: type[BaseModel], loc: Path_) -> str:
    parent = _model_at(model, loc[:-1]) if loc else None
    if parent and loc and isinstance(loc[-1], str) and loc[-1] in parent.model_fields:
        return parent.model_fields[loc[-1]].description or ""
    return ""


def french_message(model: type[BaseModel], error: Any) -> str:
    """One pydantic error, said for someone who edits YAML, not Python."""
    kind = error["type"]
    loc = tuple(error["loc"])
    value = error.get("input")
    expected = _describe(model, loc)
    shown = f"« {value} »" if isinstance(value, (str, int, float)) else ""
    if kind == "missing":
        return "champ obligatoire manquant" + (f" ; attendu : {expected}" if expected else "")
    if kind == "extra_forbidden":
        parent = _model_at(model, loc[:-1])
        known = list(parent.model_fields) if parent else []
        guess = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f" ; vouliez-vous dire « {guess[0]} » ?" if guess else f" ; champs possibles : {', '.join(known)}"
        return f"champ inconnu « {loc[-1]} »{hint}"
    if kind.startswith("date"):
        return f"date invalide {shown} ; attendu : une date AAAA-MM-JJ, par exemple 2026-11-26"
    if kind.startswith("url"):
        return f"lien invalide {shown} ; attendu : une adresse complète, comme https://www.legifrance.gouv.fr/…"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"nombre entier attendu, trouvé {shown or 'autre chose'}"
    if kind in ("enum", "literal_error"):
        allowed = str(error.get("ctx", {}).get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"valeur {shown} non prévue ; attendu : une de ces valeurs : {allowed}"
    if kind == "string_pattern_mismatch":
        return f"forme incorrecte {shown} ; attendu : {expected or error['msg']}"
    if kind == "string_type":
        return "texte attendu" + (f" ; attendu : {expected}" if expected else "")
    if kind == "string_too_short":
        return "texte vide" + (f" ; attendu : {expected}" if expected else "")
    if kind == "too_short":
        minimum = error.get("ctx", {}).get("min_length", 1)
        return f"liste trop courte ; attendu : au moins {minimum} élément(s)" + (f" ({expected})" if expected else "")
    if kind == "list_type":
        return "liste attendue (une ligne par élément, commençant par « - »)"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "groupe de champs attendu (des lignes « nom: valeur » indentées)"
    if kind in ("greater_than", "greater_than_equal"):
        bound = error["ctx"].get("gt", error["ctx"].get("ge"))
        word = "plus de" if kind == "greater_than" else "au moins"
        return f"nombre trop petit {shown} ; attendu : {word} {bound}"
    if kind in ("bool_parsing", "bool_type"):
        return f"valeur {shown} non prévue ; attendu : true (oui) ou false (non)"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    return f"{error['msg']} {shown}".strip()


def validate_file(
    model: type[BaseModel], data: Any, file: str, lines: dict[Path_, int]
) -> tuple[BaseModel | None, list[SourceProblem]]:
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        problems = [
            SourceProblem(
                file,
                line_for(lines, tuple(e["loc"])),
                field_label(tuple(e["loc"])),
                french_message(model, e),
            )
            for e in error.errors(include_url=False)
        ]
        return None, problems


# ------------------------------------------------------------------ all sources


def load_kind(
    root: Path, pattern: str, model: type[BaseModel], required: bool = True
) -> tuple[list[Located], list[SourceProblem]]:
    files = sorted(root.glob(pattern))
    located: list[Located] = []
    problems: list[SourceProblem] = []
    if not files and required:
        problems.append(SourceProblem(pattern, 0, "", "aucun fichier trouvé ; au moins un est attendu"))
    for path in files:
        data, lines, found = read_yaml(path, root)
        problems += found
        if data is None:
            continue
        rel = path.relative_to(root).as_posix()
        item, found = validate_file(model, data, rel, lines)
        problems += found
        if item is not None:
            located.append(Located(item, rel, lines))
    return located, problems


def load_sources(root: Path, as_of: dt.date | None = None) -> Sources:
    """Load and validate every source as of one day (default: today); raise SourceErrors listing all problems."""
    from .crossrefs import check_cross_references

    problems: list[SourceProblem] = []
    loaded: dict[str, list[Located]] = {}
    for kind, (pattern, model) in schema.SOURCE_KINDS.items():
        loaded[kind], found = load_kind(root, pattern, model)
        problems += found
    for kind, (pattern, model) in schema.OPTIONAL_SOURCE_KINDS.items():
        loaded[kind], found = load_kind(root, pattern, model, required=False)
        problems += found
    problems += _duplicate_ids(loaded)
    if problems:
        raise SourceErrors(problems)

    def models(kind: str) -> list[Any]:
        return [item.model for item in loaded[kind]]

    sources = Sources(
        root=root,
        territory=models("territory")[0],
        organisations={o.id: o for o in sorted(models("organisations"), key=lambda o: o.name.casefold())},
        references={r.id: r for r in models("references")[0].references},
        stages=sorted(models("stages"), key=lambda s: s.order),
        grounds=sorted(models("grounds"), key=lambda g: g.order),
        schemes={s.id: s for s in sorted(models("schemes"), key=lambda s: s.name.casefold())},
        actions=sorted(models("actions"), key=lambda a: a.number),
        indicators=models("indicators")[0],
        pages={p.id: p for p in models("pages")},
        landlord_guide=sorted(models("landlord_guide"), key=lambda p: p.order),
        flyers=sorted(models("flyers"), key=lambda f: f.id),
        campaigns=sorted(models("campaigns"), key=lambda c: c.year),
        figures=sorted(models("figures"), key=lambda f: f.year),
        as_of=as_of or dt.date.today(),
        origins={id(item.model): item for items in loaded.values() for item in items},
    )
    problems = check_cross_references(sources)
    if problems:
        raise SourceErrors(problems)
    return sources


KEY_WORDS = {"id": "id", "number": "numéro d'action (number)"}


def _duplicate_ids(loaded: dict[str, list[Located]]) -> list[SourceProblem]:
    """Ids must be unique within a kind (and charter action numbers too)."""
    problems = []
    for kind, items in loaded.items():
        seen: dict[Any, Located] = {}
        key_name = "number" if kind == "actions" else "id"
        for item in items:
            key = getattr(item.model, key_name, None)
            if key is None:
                continue
            if key in seen:
                first = seen[key]
                problems.append(
                    SourceProblem(
                        item.file,
                        item.line_of((key_name,)),
                        key_name,
                        f"« {key} » est déjà utilisé dans {first.file} ; chaque {KEY_WORDS[key_name]} doit être unique",
                    )
                )
            else:
                seen[key] = item
        if kind == "references":
            for item in items:
                problems += _duplicate_reference_ids(item)
    return problems


def _duplicate_reference_ids(item: Located) -> list[SourceProblem]:
    seen: set[str] = set()
    problems = []
    for index, reference in enumerate(item.model.references):
        if reference.id in seen:
            problems.append(
                SourceProblem(
                    item.file,
                    item.line_of(("references", index, "id")),
                    f"references[{index}].id",
                    f"« {reference.id} » est déjà utilisé ; chaque id doit être unique",
                )
            )
        seen.add(reference.id)
    return problems
