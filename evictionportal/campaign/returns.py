"""`annuaire importer`: read returned files, check them through the directory's own model, apply them.

Every problem of every file is collected first (file, sheet, row, field, in
French); if there is one, nothing is written. Otherwise each record changes
in place (comments and layout kept), its `verified` dates become the
partner's confirmation, the change log gets one line per field, and the
figures land in referentiel/chiffres/ANNEE.yml.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, ScalarString

from .. import schema
from ..errors import PortalError
from ..load import Sources, field_label, french_message, load_sources, source_errors
from ..tables import csv_text
from ..text import french_date, parse_iso_date
from . import spreadsheet
from .fields import (
    ANSWERED_ON,
    FIGURE,
    NEW_CONTACT,
    NO_CHANGE,
    ORGANISATION,
    READ_ONLY,
    REMOVE,
    RESPONDENT,
    TOKEN,
    YEAR,
    YES,
    form_lines,
    parse_areas,
)
from .record import (
    CAMPAIGN_FOLDER,
    JOURNAL,
    dump_yaml,
    finish_interrupted_write,
    flow_map,
    read_yaml_in_place,
    write_files,
)
from .send import indicators_asked, token_digest

CHANGE_LOG = Path("directory") / "journal-des-modifications.csv"
FIGURES_FOLDER = Path("referentiel") / "chiffres"
LOG_HEADER = ["date", "organisme", "champ", "ancienne valeur", "nouvelle valeur", "source"]
ANSWER_COLUMN = 4  # « Votre réponse », the fifth column
CURRENT_COLUMN = 2


@dataclass(frozen=True, order=True)
class ReturnProblem:
    file: str
    sheet: str
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        where = (
            self.file
            + (f", feuille « {self.sheet} »" if self.sheet else "")
            + (f", ligne {self.row}" if self.row else "")
        )
        return f"{where} : {self.field + ' : ' if self.field else ''}{self.message}"


class ReturnErrors(PortalError):
    def __init__(self, problems: list[ReturnProblem]) -> None:
        self.problems = sorted(set(problems))
        count = len(self.problems)
        noun = "problème" if count == 1 else "problèmes"
        lines = [str(p) for p in self.problems]
        lines.append(f"{count} {noun} dans les fichiers de réponse : rien n'a été modifié.")
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass
class Answer:
    """One valid returned file, ready to apply."""

    file: Path
    org: schema.Organisation
    year: int
    respondent: str
    answered: dt.date
    no_change: bool
    changes: list[Change] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)  # the record as validated, plain data
    figures: list[tuple[str, int]] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    added: list[dict[str, str]] = field(default_factory=list)
    digest: str = ""  # the file's SHA-256: the same file imported twice changes nothing
    token_digest: str = ""  # the sending it answers


@dataclass(frozen=True)
class AlreadyImported:
    """A returned file imported before, byte for byte: nothing to do again."""

    file: Path
    previous: schema.CampaignReturn


@dataclass
class _Rows:
    """The returned lines by code: (row number, current value, answer, answer is a formula)."""

    sheet: str
    by_code: dict[str, tuple[int, str, str, bool]] = field(default_factory=dict)
    repeated: list[tuple[str, int, int]] = field(default_factory=list)  # (code, first row, repeated row)


# ------------------------------------------------------------------ reading one file


def _lines_of(path: Path, problems: list[ReturnProblem]) -> _Rows | None:
    name = path.name
    try:
        sheet = spreadsheet.read_sheet(path)
    except spreadsheet.UnreadableFile as error:
        problems.append(ReturnProblem(name, "", 0, "", str(error)))
        return None
    except OSError:
        problems.append(ReturnProblem(name, "", 0, "", "fichier introuvable ou illisible"))
        return None
    header = next((i for i, (_, cells) in enumerate(sheet.rows) if cells and cells[0].strip() == "Champ"), None)
    if header is None:
        problems.append(
            ReturnProblem(
                name,
                sheet.name,
                0,
                "",
                "ligne d'en-tête « Champ » introuvable ; renvoyez le fichier reçu, colonnes intactes",
            )
        )
        return None
    rows = _Rows(sheet.name)
    for number, cells in sheet.rows[header + 1 :]:
        cells = cells + [""] * (ANSWER_COLUMN + 1 - len(cells))
        code = cells[0].strip()
        if not code:
            continue
        answer = cells[ANSWER_COLUMN]
        if code in rows.by_code:
            rows.repeated.append((code, rows.by_code[code][0], number))
            continue
        rows.by_code[code] = (number, cells[CURRENT_COLUMN].strip(), answer.strip(), spreadsheet.is_formula(answer))
    return rows


def _figure_value(text: str) -> int:
    digits = re.sub(r"[\s\u00a0\u202f.]", "", text)
    if not digits.isdigit():
        raise ValueError(f"chiffre illisible « {text} » ; attendu : un nombre entier, par exemple 1250")
    return int(digits)


class _Reader:
    """Turns one returned file into an Answer, or into problems."""

    def __init__(self, sources: Sources, received: dt.date) -> None:
        self.sources = sources
        self.received = received
        self.asked = indicators_asked(sources)

    def read(self, path: Path) -> tuple[Answer | None, list[ReturnProblem]]:
        problems: list[ReturnProblem] = []
        rows = _lines_of(path, problems)
        if rows is None:
            return None, problems

        def problem(code: str, message: str) -> None:
            row = rows.by_code.get(code, (0,))[0]
            problems.append(ReturnProblem(path.name, rows.sheet, row, code, message))

        bound = self._sending(path, rows, problem)
        if bound is None:
            return None, problems
        year, sending = bound
        org = self.sources.organisations[sending.organisation]
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        previous = next((r for r in sending.returns if r.digest == digest), None)
        if previous is not None:
            return AlreadyImported(path, previous), problems
        indicators = self.asked.get(org.id, [])
        token = rows.by_code[TOKEN][1]
        expected = {line.code: line.current for line in form_lines(org, year, indicators, token)}
        answers: dict[str, str] = {}
        for code, first, again in rows.repeated:
            problems.append(
                ReturnProblem(
                    path.name,
                    rows.sheet,
                    again,
                    code,
                    f"ligne en double (déjà ligne {first}) ; renvoyez le fichier reçu",
                )
            )
        for code, (_, sent, answer, formula) in rows.by_code.items():
            if code in READ_ONLY:
                continue  # checked by _sending: never an answer
            if formula:
                problem(code, "formule ignorée : écrivez la valeur elle-même, pas un calcul")
            elif code not in expected:
                if answer:
                    problem(code, "ligne inconnue ; ne modifiez pas la première colonne du fichier")
            elif answer and " ".join(sent.split()) != " ".join(expected[code].split()):
                problem(
                    code,
                    f"la fiche a changé depuis l'envoi (envoyé : « {sent} », aujourd'hui : « {expected[code]} ») ; "
                    "appliquez cette réponse à la main ou renvoyez le fichier de réponse à jour",
                )
            elif answer:
                answers[code] = answer

        respondent = answers.pop(RESPONDENT, "")
        no_change = answers.pop(NO_CHANGE, "").lower() in YES
        answered = self.received
        if ANSWERED_ON in answers:
            try:
                answered = parse_iso_date(answers.pop(ANSWERED_ON))
            except ValueError as error:
                problem(ANSWERED_ON, str(error))
        figures = []
        for number, indicator in enumerate(indicators, 1):
            code = f"{FIGURE}{number}"
            if code in answers:
                try:
                    figures.append((indicator, _figure_value(answers.pop(code))))
                except ValueError as error:
                    problem(code, str(error))
        if no_change and answers:
            problem(
                NO_CHANGE,
                "« oui » (tout est exact) alors que d'autres lignes ont une réponse ; choisissez l'un ou l'autre",
            )
        if not (no_change or answers or figures) and not problems:
            problem(NO_CHANGE, "aucune réponse : écrivez « oui » si tout est exact, ou les nouvelles valeurs")
        if not respondent and (no_change or answers or figures):
            problem(RESPONDENT, "indiquez votre service ou votre fonction : la fiche dira qui l'a confirmée")
        answer = Answer(
            path, org, year, respondent, answered, no_change, figures=figures, digest=digest,
            token_digest=sending.token_digest or "",
        )  # fmt: skip
        self._apply_to_data(answer, answers, rows, problem)
        return (answer if not problems else None), problems

    def _sending(self, path: Path, rows: _Rows, problem: Any) -> tuple[int, schema.CampaignSending] | None:
        """The sending this file answers, found by its code alone: the lines « organisme » and « campagne » must
        say the same, and nothing is written in the answer column of the lines that bind the file."""
        spoiled = [code for code in READ_ONLY if code in rows.by_code and rows.by_code[code][2]]
        for code in spoiled:
            problem(code, "ligne à ne pas modifier : rien ne s'écrit dans « Votre réponse » sur cette ligne")
        token = rows.by_code.get(TOKEN, (0, "", "", False))[1]
        if not token:
            problem(
                TOKEN,
                "code de l'envoi absent ; renvoyez le fichier reçu, sans modifier les lignes « ne pas modifier »",
            )
            return None
        digest = token_digest(token)
        found = [(c.year, s) for c in self.sources.campaigns for s in c.sendings if s.token_digest == digest]
        if not found:
            problem(
                TOKEN,
                f"code de l'envoi inconnu : {path.name} ne correspond à aucun envoi enregistré dans "
                f"{CAMPAIGN_FOLDER.as_posix()}/ (code modifié, ou campagne envoyée à nouveau depuis) ; "
                "renvoyez le dernier fichier de réponse reçu",
            )
            return None
        year, sending = found[-1]
        if sending.organisation not in self.sources.organisations:
            problem(TOKEN, f"l'organisme « {sending.organisation} » de cet envoi n'est plus dans l'annuaire")
            return None
        wrong = bool(spoiled)
        for code, value in ((ORGANISATION, sending.organisation), (YEAR, str(year))):
            written = rows.by_code.get(code, (0, "", "", False))[1]
            if written != value:
                wrong = True
                problem(
                    code,
                    f"{path.name} a été envoyé à « {sending.organisation} » pour la campagne {year}, "
                    f"mais cette ligne dit « {written} » : elle ne se modifie pas ; rien n'est appliqué",
                )
        return None if wrong else (year, sending)

    def _apply_to_data(self, answer: Answer, answers: dict[str, str], rows: _Rows, problem: Any) -> None:
        """The record with the answers applied, validated by the directory's model, and the field-by-field diff."""
        org = answer.org
        data = org.model_dump(mode="json", exclude_none=True)
        row_of: dict[tuple[Any, ...], str] = {}
        for code, text in answers.items():
            old = rows.by_code[code][1]
            try:
                self._set(data, answer, code, text, row_of)
            except ValueError as error:
                problem(code, str(error))
                continue
            answer.changes.append(Change(code, old, "" if text.lower() == REMOVE else text))
        data["contacts"] = [c for i, c in enumerate(data.get("contacts", [])) if i not in answer.removed]
        data["contacts"] += answer.added
        try:
            schema.Organisation.model_validate(data)
        except ValidationError as error:
            for e in source_errors(error):
                loc = tuple(e["loc"])
                code = next((row_of[loc[:n]] for n in range(len(loc), 0, -1) if loc[:n] in row_of), field_label(loc))
                problem(code, french_message(schema.Organisation, e))
        known = {a.number for a in self.sources.territory.areas}
        areas = data.get("areas")
        located = data.get("located_in")
        for code, numbers in (("areas", areas if isinstance(areas, list) else []), ("located_in", [located])):
            for number in numbers:
                if isinstance(number, int) and number not in known:
                    label = self.sources.territory.area_label
                    problem(code, f"{label} « {number} » inconnu ; attendu : un numéro de {min(known)} à {max(known)}")
        answer.data = data

    def _set(self, data: dict[str, Any], answer: Answer, code: str, text: str, row_of: dict) -> None:
        remove = text.lower() == REMOVE
        located = self.sources.origins.get(id(answer.org))
        if located is not None and schema.is_periods(getattr(located.model, code, None)):
            raise ValueError(
                f"ce champ change à une date connue dans {located.file} (une valeur par période : from, until) ; "
                "reportez la réponse à la main dans la bonne période"
            )
        if code in ("name", "role"):
            if remove:
                raise ValueError("ce champ ne peut pas être retiré ; écrivez la nouvelle valeur")
            data[code] = text
            row_of[(code,)] = code
        elif code == "short_name":
            if remove:
                data.pop(code, None)
            else:
                data[code] = text
            row_of[(code,)] = code
        elif code == "audiences":
            data[code] = [part.strip().lower() for part in text.split(",") if part.strip()]
            row_of[(code,)] = code
        elif code == "areas":
            data[code] = parse_areas(text)
            row_of[(code,)] = code
        elif code == "located_in":
            if remove:
                data.pop(code, None)
            else:
                number = text.lower().removesuffix("e").removesuffix("er").strip()
                if not number.isdigit():
                    raise ValueError(f"numéro d'arrondissement illisible « {text} » ; attendu : un nombre, ex. 18")
                data[code] = int(number)
            row_of[(code,)] = code
        elif code.startswith("contacts["):
            index = int(code[len("contacts[") : code.index("]")])
            part = code.rsplit(".", 1)[1]
            contact = data["contacts"][index]
            if part == "value" and remove:
                answer.removed.append(index)
            elif part == "note" and remove:
                contact.pop("note", None)
            else:
                contact[part] = text
            row_of[("contacts", index)] = code
            row_of[("contacts", index, part)] = code
        elif code.startswith(NEW_CONTACT):
            kept = len(data.get("contacts", [])) - len(answer.removed)
            row_of[("contacts", kept + len(answer.added))] = code
            answer.added.append({"kind": code.removeprefix(NEW_CONTACT), "value": text})


# ------------------------------------------------------------------ applying


def _scalar_like(old: Any, new: str) -> Any:
    """Keep the quoting style of the value replaced."""
    return type(old)(new) if isinstance(old, ScalarString) else new


def _verification(answer: Answer, received: dt.date) -> CommentedMap:
    return flow_map(
        date=answer.answered,
        by=DoubleQuotedScalarString(f"{answer.respondent}, {answer.org.display_name}"),
        source=DoubleQuotedScalarString(
            f"confirmé par l'organisme le {french_date(answer.answered)}, retour du {french_date(received)} "
            f"({answer.file.name})"
        ),
    )


def is_written_per_period(value: Any) -> bool:
    """A field of the YAML file written once per period (a list of « - from: … value: … » groups)."""
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)


def updated_record(document: CommentedMap, answer: Answer, received: dt.date) -> CommentedMap:
    """The YAML document of a record with the answer applied in place; comments and layout stay."""
    data = answer.data
    for key in ("name", "short_name", "role", "audiences", "areas", "located_in"):
        if is_written_per_period(document.get(key)):  # never answered (refused above): its periods stay as written
            continue
        if key in data and data[key] != document.get(key):
            new = data[key]
            if isinstance(new, list):
                seq = CommentedSeq(new)
                seq.fa.set_flow_style()
                new = seq
            document[key] = _scalar_like(document.get(key), new) if isinstance(new, str) else new
        elif key not in data and key in document:
            del document[key]
    contacts = document.get("contacts")
    if contacts is None and (answer.added or data.get("contacts")):
        contacts = document["contacts"] = CommentedSeq()
        document.move_to_end("contacts")
        if "verified" in document:
            document.move_to_end("verified")
    for index in sorted(answer.removed, reverse=True):
        del contacts[index]
    # After the removals, the document's contacts and the validated ones line up; the new ones come last.
    for item, wanted in zip(list(contacts or []), data.get("contacts", []), strict=False):
        for part in ("value", "note"):
            if part in wanted and wanted[part] != item.get(part):
                item[part] = _scalar_like(item.get(part), wanted[part])
            elif part not in wanted and part in item:
                del item[part]
    for new in answer.added:
        contacts.append(CommentedMap(kind=new["kind"], value=new["value"]))
    for item in contacts or []:
        item["verified"] = _verification(answer, received)
    document["verified"] = _verification(answer, received)
    return document


def _log_rows(answer: Answer, received: dt.date) -> list[list[str]]:
    source = f"retour du {received.isoformat()} ({answer.file.name}), {answer.respondent}"
    org_id = answer.org.id
    if answer.no_change:
        return [[received.isoformat(), org_id, "(toute la fiche)", "", "aucun changement : dates renouvelées", source]]
    rows = [[received.isoformat(), org_id, c.field, c.old, c.new or "(retiré)", source] for c in answer.changes]
    rows += [[received.isoformat(), org_id, f"chiffre : {i}", "", str(v), source] for i, v in answer.figures]
    return rows


def _figures_document(root: Path, year: int) -> tuple[Path, CommentedMap]:
    path = root / FIGURES_FOLDER / f"{year}.yml"
    if path.exists():
        return path, read_yaml_in_place(path)
    document = CommentedMap(year=year, partners=CommentedSeq())
    document.yaml_set_start_comment(
        f"Chiffres {year} des partenaires (action 2 de la charte), écrits par « python build.py annuaire importer ».\n"
        "Un partenaire absent de cette liste n'a pas encore répondu."
    )
    return path, document


def _add_figures(document: CommentedMap, answer: Answer, received: dt.date) -> None:
    partners = document.setdefault("partners", CommentedSeq())
    for index in reversed(range(len(partners))):
        if partners[index].get("organisation") == answer.org.id:
            del partners[index]
    partners.append(
        CommentedMap(
            organisation=answer.org.id,
            received=received,
            source=f"fichier de réponse {answer.file.name}",
            figures=CommentedSeq(CommentedMap(indicator=i, value=v) for i, v in answer.figures),
        )
    )


def _log_text(root: Path, rows: list[list[str]]) -> str:
    path = root / CHANGE_LOG
    existing = path.read_text(encoding="utf-8-sig") if path.exists() else ""
    added = csv_text(rows if existing else [LOG_HEADER, *rows], line_end="\n")
    if existing and not existing.endswith("\n"):
        existing += "\n"
    return "\ufeff" + existing + added


# ------------------------------------------------------------------ the command


@dataclass
class ImportReport:
    answers: list[Answer]
    written: list[Path]
    dry_run: bool
    already: list[AlreadyImported] = field(default_factory=list)
    recovered: str | None = None  # what was done with a batch a killed run left


def read_returns(sources: Sources, paths: list[Path]) -> tuple[list[Answer], list[AlreadyImported]]:
    """Every returned file checked; ReturnErrors listing every problem of every file if one is wrong."""
    reader = _Reader(sources, sources.as_of)
    answers, already, problems = [], [], []
    seen: dict[str, Path] = {}
    for path in paths:
        answer, found = reader.read(path)
        problems += found
        if isinstance(answer, AlreadyImported):
            already.append(answer)
        elif answer is not None:
            if answer.org.id in seen:
                problems.append(
                    ReturnProblem(path.name, "", 0, ORGANISATION, f"fiche déjà importée par {seen[answer.org.id].name}")
                )
            seen[answer.org.id] = path
            answers.append(answer)
    if not paths:
        problems.append(ReturnProblem("", "", 0, "", "aucun fichier de réponse indiqué"))
    if problems:
        raise ReturnErrors(problems)
    return answers, already


def _record_returns(root: Path, answers: list[Answer], received: dt.date) -> dict[Path, str]:
    """Each sending answered notes its file's digest, in the same batch as the records it changes."""
    documents: dict[Path, Any] = {}
    for answer in answers:
        path = root / CAMPAIGN_FOLDER / f"{answer.year}.yml"
        document = documents.get(path) or documents.setdefault(path, read_yaml_in_place(path))
        for sending in document.get("sendings") or []:
            if sending.get("organisation") == answer.org.id and sending.get("token_digest") == answer.token_digest:
                returns = sending.setdefault("returns", CommentedSeq())
                returns.append(flow_map(file=answer.file.name, received=received, digest=answer.digest))
    return {path: dump_yaml(document) for path, document in documents.items()}


def import_returns(sources: Sources, paths: list[Path], dry_run: bool) -> ImportReport:
    """Apply every returned file, all or nothing (record.write_files): a killed run is finished or undone first,
    and a file already imported is left alone, so that running the same returns again changes nothing more."""
    recovered = None
    if (sources.root / JOURNAL).exists():
        recovered = finish_interrupted_write(sources.root)
        sources = load_sources(sources.root, sources.as_of)
    answers, already = read_returns(sources, paths)
    received = sources.as_of
    texts: dict[Path, str] = {}
    log: list[list[str]] = []
    figures: dict[int, tuple[Path, CommentedMap]] = {}
    for answer in answers:
        path = sources.root / sources.origin(answer.org).file
        texts[path] = dump_yaml(updated_record(read_yaml_in_place(path), answer, received))
        log += _log_rows(answer, received)
        if answer.figures:
            year = answer.year - 1
            figures.setdefault(year, _figures_document(sources.root, year))
            _add_figures(figures[year][1], answer, received)
    for path, document in figures.values():
        texts[path] = dump_yaml(document)
    if answers:
        texts[sources.root / CHANGE_LOG] = _log_text(sources.root, log)
        texts.update(_record_returns(sources.root, answers, received))
    if texts and not dry_run:
        write_files(sources.root, texts)
    return ImportReport(answers, sorted(texts), dry_run, already, recovered)


def diff_lines(report: ImportReport, root: Path) -> list[str]:
    """The diff, field by field, as the person importing reads it."""
    lines = [report.recovered] if report.recovered else []
    for done in report.already:
        lines.append(
            f"{done.file.name} : déjà importé le {french_date(done.previous.received)} ({done.previous.file}) ; "
            "rien à refaire"
        )
    for answer in report.answers:
        lines.append(f"{answer.file.name} → {answer.org.name} (confirmé le {french_date(answer.answered)})")
        if answer.no_change:
            lines.append("  aucun changement : dates de vérification renouvelées")
        for change in answer.changes:
            lines.append(f"  {change.field} : « {change.old} » → « {change.new or '(retiré)'} »")
        for indicator, value in answer.figures:
            lines.append(f"  chiffre {answer.year - 1} : {indicator} = {value}")
    verb = "seraient modifiés (essai, rien n'a été écrit)" if report.dry_run else "modifiés"
    if not report.written:
        lines.append("aucun fichier modifié")
        return lines
    lines.append(
        f"{len(report.written)} fichiers {verb} : " + ", ".join(p.relative_to(root).as_posix() for p in report.written)
    )
    return lines
