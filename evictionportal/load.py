"""Stage 1 of the pipeline: read every YAML source and validate it.

Every problem in every file is collected before anything is reported, each
with its file, line and field, so that one run shows the whole list.
"""

from __future__ import annotations

import copy
import datetime as dt
import errno
import re
import typing
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from . import schema
from .errors import SourceErrors, SourceProblem, did_you_mean
from .text import parse_iso_date

Path_ = tuple[str | int, ...]


MAX_FILE_BYTES = 256 * 1024  # the largest source today is under 10 KB
MAX_DEPTH = 16  # the deepest source today nests 6 levels


class YamlRefused(yaml.MarkedYAMLError):
    """A construct the sources never need and an attacker would use: anchors, aliases, deep nesting."""

    def __init__(self, message: str, mark: yaml.Mark | None) -> None:
        super().__init__(problem=message, problem_mark=mark)
        self.message = message


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text (pydantic reports bad ones with their field) and is bounded:
    no anchor or alias (an alias bomb grows to gigabytes), no nesting deeper than MAX_DEPTH."""

    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise YamlRefused(
                f"« *{event.anchor} » (un alias YAML) n'est pas permis ; recopiez le texte, "
                "ou mettez-le entre guillemets s'il commence par « * »",
                event.start_mark,
            )
        if getattr(event, "anchor", None) is not None:
            raise YamlRefused(
                f"« &{event.anchor} » (une ancre YAML) n'est pas permise ; "
                "mettez le texte entre guillemets s'il commence par « & »",
                event.start_mark,
            )
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise YamlRefused(f"plus de {MAX_DEPTH} niveaux d'indentation ; la structure est trop profonde", None)
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


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
    legal_figures: schema.LegalFigures | None = None  # yearly figures of the law (referentiel/baremes.yml)
    glossary: schema.Glossary | None = None  # the words tenant pages explain (referentiel/glossaire.yml)
    search_words: schema.SearchWords | None = None  # the readers' words for the search (content/recherche.yml)
    warnings: list[str] = field(default_factory=list)  # said by the build without stopping it (a year's figure missing)
    as_of: dt.date = field(default_factory=dt.date.today)  # the day the build shows the law and the directory as of
    # Who publishes decides the look (State: DSFR; local authority: the portal's own): the territory's
    # `edition`, or the one a build asks for (`build --edition`).
    edition: schema.Edition = schema.Edition.collectivite
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
            key = loader.construct_object(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str) or key_node.tag != "tag:yaml.org,2002:str":
                raise YamlRefused(
                    f"« {str(key_node.value)[:40] if isinstance(key_node, yaml.ScalarNode) else '…'} » "
                    "n'est pas un nom de champ ; un nom de champ s'écrit en lettres, comme « title: »",
                    key_node.start_mark,
                )
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
    "while scanning an alias": "un « * » en début de texte ; mettez le texte entre guillemets",
    "while scanning an anchor": "un « & » en début de texte ; mettez le texte entre guillemets",
}


def read_source_text(path: Path, rel: str) -> tuple[str | None, list[SourceProblem]]:
    """A source file's text, or why it cannot be read, said for the editor."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            message = f"le fichier fait {size // 1024} Ko ; une source fait au plus {MAX_FILE_BYTES // 1024} Ko"
            return None, [SourceProblem(rel, 0, "", message)]
        return path.read_bytes().decode("utf-8").removeprefix("\ufeff"), []
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        return None, [SourceProblem(rel, line, "", "le fichier n'est pas en UTF-8 ; enregistrez-le en UTF-8")]
    except OSError as error:
        return None, [SourceProblem(rel, 0, "", f"fichier illisible : {os_reason(error)}")]


# The keys people write for a contact at the top of a record, and where it goes instead.
CONTACT_KEYS = {
    **dict.fromkeys(
        ("telephone", "telephon", "tel", "phone", "numero", "portable"), ("phone", "un numéro de téléphone")
    ),
    **dict.fromkeys(("email", "mail", "courriel", "e_mail", "mel"), ("email", "une adresse e-mail")),
    **dict.fromkeys(("adresse", "address", "adresse_postale"), ("address", "une adresse postale")),
    **dict.fromkeys(("site", "site_web", "site_internet", "website", "url", "web"), ("website", "un site internet")),
    **dict.fromkeys(("horaires", "hours", "ouverture"), ("hours", "des horaires d'accueil")),
}


def header_words(key: str) -> str:
    """A key without case, accents or dashes: « Téléphone » and « e-mail » as telephone and e_mail."""
    decomposed = unicodedata.normalize("NFKD", key)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return re.sub(r"[\W]+", "_", plain).strip("_")


def os_reason(error: OSError) -> str:
    """What a file-system error means, in French, with what to do."""
    reasons = {
        errno.ELOOP: "lien symbolique qui boucle sur lui-même ; supprimez-le ou faites-le pointer vers un vrai fichier",
        errno.ENOENT: "le fichier n'existe pas (lien symbolique cassé ?)",
        errno.EACCES: "accès refusé ; vérifiez les droits du fichier",
        errno.EPERM: "opération non permise ; vérifiez les droits du fichier",
        errno.EISDIR: "c'est un dossier, pas un fichier",
        errno.ENOSPC: "le disque est plein ; libérez de la place",
        errno.EROFS: "le disque est en lecture seule",
        errno.EXDEV: "les deux dossiers sont sur des disques différents",
        errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
        errno.ENAMETOOLONG: "nom de fichier trop long",
        errno.EBUSY: "dossier occupé (point de montage, ou ouvert par un autre programme) ; choisissez-en un autre",
        errno.EDQUOT: "quota du disque dépassé ; libérez de la place",
        errno.ENOTEMPTY: "le dossier n'est pas vide",
        errno.EEXIST: "un fichier de ce nom existe déjà",
        errno.EIO: "erreur de lecture ou d'écriture du disque ; vérifiez le disque",
        errno.EMFILE: "trop de fichiers ouverts ; relancez la commande",
        errno.ETXTBSY: "fichier occupé par un programme en cours",
        errno.EINVAL: "nom ou opération refusés par le système de fichiers",
    }
    code = errno.errorcode.get(error.errno or 0, "inconnue")
    return reasons.get(
        error.errno or 0, f"erreur du système de fichiers (code {code}) ; vérifiez le dossier et le disque"
    )


# Parsed files by name and content: a long-running process (the preview, the editor) that loads the sources
# again after one edit parses only the file that changed. Keyed by the text itself, never by a date.
_PARSED: dict[tuple[str, str], tuple[Any, dict[Path_, int], list[SourceProblem]]] = {}
MAX_PARSED = 8192


def read_yaml(path: Path, root: Path) -> tuple[Any, dict[Path_, int], list[SourceProblem]]:
    """Parse one file into plain data plus a map from field path to line."""
    rel = path.relative_to(root).as_posix()
    text, problems = read_source_text(path, rel)
    if text is None:
        return None, {}, problems
    key = (rel, text)
    if key not in _PARSED:
        if len(_PARSED) >= MAX_PARSED:
            _PARSED.clear()
        _PARSED[key] = _parse_yaml(text, rel)
    data, lines, found = _PARSED[key]
    return copy.deepcopy(data), dict(lines), list(found)


def _parse_yaml(text: str, rel: str) -> tuple[Any, dict[Path_, int], list[SourceProblem]]:
    lines: dict[Path_, int] = {}
    duplicates: list[tuple[int, str]] = []
    loader: _Loader | None = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            return None, {}, [SourceProblem(rel, 1, "", "le fichier est vide")]
        data = _node_to_data(loader, node, (), lines, duplicates)
    except YamlRefused as error:
        mark = error.problem_mark
        return None, {}, [SourceProblem(rel, (mark.line + 1) if mark else 1, "", error.message)]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raw = f"{error.context or ''} {error.problem or ''}".strip()
        hint = next((h for k, h in YAML_HINTS.items() if k in raw), None)
        message = "erreur de syntaxe YAML : " + (hint or f"la structure est incorrecte ({raw})")
        return None, {}, [SourceProblem(rel, (mark.line + 1) if mark else 1, "", message)]
    except yaml.reader.ReaderError as error:  # a character YAML does not allow (control characters…)
        line = text[: error.position].count("\n") + 1
        code = error.character if isinstance(error.character, int) else ord(str(error.character)[:1] or "?")
        message = f"caractère invisible non permis (U+{code:04X}) ; supprimez-le, ou recopiez le texte sans lui"
        return None, {}, [SourceProblem(rel, line, "", message)]
    finally:
        if loader is not None:
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
        contact = CONTACT_KEYS.get(header_words(str(loc[-1])))
        if contact and "contacts" in known:
            return (
                f"champ inconnu « {loc[-1]} » : {contact[1]} s'écrit dans contacts, avec kind: {contact[0]} "
                f'(contacts: [{{kind: {contact[0]}, value: "…", verified: {{date: …, by: …, source: …}}}}])'
            )
        hint = did_you_mean(str(loc[-1]), known, otherwise=f" ; champs possibles : {', '.join(known)}")
        return f"champ inconnu « {loc[-1]} »{hint}"
    if kind.startswith("date"):
        try:
            parse_iso_date(str(value))
        except ValueError as error:
            return str(error)
        return f"date invalide {shown} ; attendu : une date AAAA-MM-JJ, par exemple 2026-11-26"
    if kind.startswith("url"):
        return f"lien invalide {shown} ; attendu : une adresse complète, comme https://www.legifrance.gouv.fr/…"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"nombre entier attendu, trouvé {shown or 'autre chose'}"
    if kind in ("enum", "literal_error"):
        allowed = str(error.get("ctx", {}).get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"valeur {shown} non prévue ; attendu : une de ces valeurs : {allowed}"
    if kind == "string_pattern_mismatch":
        return pattern_message(str(value), error.get("ctx", {}).get("pattern", ""), expected)
    if kind == "string_too_long":
        maximum = error.get("ctx", {}).get("max_length")
        return f"texte trop long ({len(str(value))} caractères) ; attendu : au plus {maximum} caractères"
    if kind == "too_long":
        maximum = error.get("ctx", {}).get("max_length")
        return f"liste trop longue ; attendu : au plus {maximum} élément(s)"
    if kind in ("less_than", "less_than_equal"):
        bound = error["ctx"].get("lt", error["ctx"].get("le"))
        word = "moins de" if kind == "less_than" else "au plus"
        return f"nombre trop grand {shown} ; attendu : {word} {bound}"
    if kind in ("float_parsing", "float_type", "decimal_parsing"):
        return f"nombre attendu, trouvé {shown or 'autre chose'}"
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
    return f"valeur non acceptée {shown}".strip() + (f" ; attendu : {expected}" if expected else "")


# What each pattern of the schema expects, said for an editor, with an example.
PATTERN_WORDS = {
    r"^[a-z0-9]+(-[a-z0-9]+)*$": "un identifiant en minuscules sans accent, chiffres et tirets, comme adil-paris",
    r"^\d{5}$": "un code postal de 5 chiffres, comme 75018",
    r"^[^\W\d_]{2,}$": "un seul mot, sans espace ni chiffre, comme huissier",
    r"^/([a-z0-9-]+/)*$": "l'adresse d'une page du site, entre deux « / », comme /etapes/jugement/",
}


def pattern_message(value: str, pattern: str, expected: str) -> str:
    """A value of the wrong form: what was expected, and for an id the corrected spelling."""
    wanted = PATTERN_WORDS.get(pattern) or expected or "une autre forme"
    message = f"forme incorrecte « {value[:80]} » ; attendu : {wanted}"
    if pattern in PATTERN_WORDS and "identifiant" in wanted:
        plain = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
        guess = "-".join(re.findall(r"[a-z0-9]+", plain))
        if guess and guess != value:
            message += f" ; vouliez-vous dire « {guess} » ?"
    return message


def source_errors(error: ValidationError) -> list[Any]:
    """pydantic's errors, each path as the file reads: without the name of the form a dated field took
    (« role.periodes[1].value » is « role[1].value »)."""
    found = []
    for e in error.errors(include_url=False):
        e["loc"] = tuple(part for part in e["loc"] if part not in schema.DATEABLE_TAGS)
        found.append(e)
    return found


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
            for e in source_errors(error)
        ]
        return None, problems


# ------------------------------------------------------------------ all sources


def load_kind(
    root: Path, pattern: str, model: type[BaseModel], required: bool = True
) -> tuple[list[Located], list[SourceProblem], set[str]]:
    """Every file of one kind: the valid ones, every problem, and the ids of the files that failed."""
    located: list[Located] = []
    problems: list[SourceProblem] = []
    failed_ids: set[str] = set()
    files = source_files(root, pattern)
    if not files and required:
        problems.append(SourceProblem(pattern, 0, "", "aucun fichier trouvé ; au moins un est attendu"))
    for path in files:
        data, lines, found = read_yaml(path, root)
        problems += found
        item = None
        if data is not None:
            rel = path.relative_to(root).as_posix()
            item, found = validate_file(model, data, rel, lines)
            problems += found
        if item is not None:
            located.append(Located(item, rel, lines))
        else:
            failed_ids |= _probable_ids(path, data)
    return located, problems, failed_ids


def source_files(root: Path, pattern: str) -> list[Path]:
    """The files of one kind, symbolic links included (a broken or looping one is reported when read)."""
    return sorted(p for p in root.glob(pattern) if p.is_file() or p.is_symlink())


def _probable_ids(path: Path, data: Any) -> set[str]:
    """What a file that did not validate was probably called, so that naming it elsewhere is not an error too."""
    stem = path.stem
    ids = {stem, stem.split("-", 1)[-1] if stem[:2].isdigit() else stem}
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        ids.add(data["id"])
    return ids


SINGLE_FILE_KINDS = ("territory", "references", "indicators")


def load_sources(root: Path, as_of: dt.date | None = None) -> Sources:
    """Load and validate every source as of one day (default: today); raise SourceErrors listing all problems.

    Cross-references are checked over every file that did validate, in the same run as the problems of
    the others: a syntax error in one file never hides an unknown id in another. The sources returned
    hold the rules in force that day (dated.py): every output follows the same date.
    """
    from .crossrefs import check_cross_references, check_dated_references
    from .dated import sources_as_of

    problems: list[SourceProblem] = []
    loaded: dict[str, list[Located]] = {}
    failed: dict[str, set[str]] = {}
    for kind, (pattern, model) in schema.SOURCE_KINDS.items():
        loaded[kind], found, failed[kind] = load_kind(root, pattern, model)
        problems += found
    for kind, (pattern, model) in schema.OPTIONAL_SOURCE_KINDS.items():
        loaded[kind], found, failed[kind] = load_kind(root, pattern, model, required=False)
        problems += found
    problems += _duplicate_ids(loaded)
    sources = _assemble(root, loaded, as_of or dt.date.today())
    problems += check_cross_references(sources, failed)
    if problems:
        raise SourceErrors(problems)
    resolved = sources_as_of(sources)
    problems = check_dated_references(resolved)  # a section another file takes must be shown that day
    if problems:
        raise SourceErrors(problems)
    return resolved


def _assemble(root: Path, loaded: dict[str, list[Located]], as_of: dt.date) -> Sources:
    """The validated sources, indexed; a single-file kind that failed is None (only cross-references see it)."""

    def models(kind: str) -> list[Any]:
        return [item.model for item in loaded[kind]]

    def single(kind: str) -> Any:
        return models(kind)[0] if loaded[kind] and kind in SINGLE_FILE_KINDS else None

    references = single("references")
    territory = single("territory")
    return Sources(
        root=root,
        territory=territory,
        organisations={o.id: o for o in sorted(models("organisations"), key=_organisation_order)},
        references={r.id: r for r in references.references} if references else {},
        stages=sorted(models("stages"), key=lambda s: s.order),
        grounds=sorted(models("grounds"), key=lambda g: g.order),
        schemes={s.id: s for s in sorted(models("schemes"), key=lambda s: s.name.casefold())},
        actions=sorted(models("actions"), key=lambda a: a.number),
        indicators=single("indicators"),
        pages={p.id: p for p in models("pages")},
        landlord_guide=sorted(models("landlord_guide"), key=lambda p: p.order),
        flyers=sorted(models("flyers"), key=lambda f: f.id),
        campaigns=sorted(models("campaigns"), key=lambda c: c.year),
        figures=sorted(models("figures"), key=lambda f: f.year),
        legal_figures=models("legal_figures")[0] if loaded["legal_figures"] else None,
        glossary=models("glossary")[0] if loaded.get("glossary") else None,
        search_words=models("search_words")[0] if loaded["search_words"] else None,
        as_of=as_of,
        # A territory file that failed to validate leaves the default: its problems are reported, not a traceback.
        edition=territory.edition if territory else schema.Edition.collectivite,
        origins={id(item.model): item for items in loaded.values() for item in items},
    )


def _organisation_order(org: schema.Organisation) -> str:
    """Alphabetical; a name written once per period sorts by its first (dated.py sorts again by that day's)."""
    name = org.name[0].value if schema.is_periods(org.name) else org.name
    return name.casefold()


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
