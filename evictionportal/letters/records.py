"""From register rows to commandements: every row becomes a commandement, a reject, a duplicate or an empty row.

A rejected row is named by its number, its column and the reason, never by its content: the reasons
go to rejets.csv and to the screen, where personal data must not appear.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ..schema import Territory
from .address import DL_WINDOW_MM, AddressTooLong, AddressUnprintable, postal_lines
from .config import FIELDS, OPTIONAL_FIELDS, REQUIRED_FIELDS, ColumnMapping, header_key
from .register import Register, RegisterError

MAX_FIELD_CHARS = 300
MAX_AMOUNT = Decimal("10000000")
OPTIONAL_VALUES = ("locataire_civilite", "locataire_prenom", "adresse_complement", *OPTIONAL_FIELDS)
OWNER_KINDS = {
    "personnephysique": "personne physique",
    "scifamiliale": "SCI familiale",
    "personnemorale": "personne morale",
}
# A civility as registers write it, compared like a column title (« M. » = « m »); « Mademoiselle » is written
# « Madame », as French administrations now do.
CIVILITIES = {
    "m": "Monsieur",
    "mr": "Monsieur",
    "monsieur": "Monsieur",
    "mme": "Madame",
    "madame": "Madame",
    "mlle": "Madame",
    "melle": "Madame",
    "mademoiselle": "Madame",
}
FORMS_OF_ADDRESS = ("Monsieur", "Madame")
DATE_FR = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
FORMULA_START = ("=", "+", "@")


@dataclass(frozen=True)
class Reject:
    row: int
    column: str  # the column title as written in the register (or the field name when the column is absent)
    reason: str


@dataclass(frozen=True)
class Commandement:
    """One row that gives letters. Personal data: it lives in memory and in the owner-only outputs only."""

    row: int
    reference: str
    date_commandement: dt.date
    commissaire_justice: str
    civilite: str
    nom: str
    prenom: str
    adresse: str
    complement: str
    code_postal: str
    commune: str
    area: int
    bailleur_nom: str
    bailleur_adresse: str
    bailleur_code_postal: str
    bailleur_commune: str
    bailleur_type: str
    montant_dette: Decimal
    loyer_mensuel_hc: Decimal
    date_bail: dt.date | None
    numero_allocataire: str
    motif: str
    household_address: tuple[str, ...]
    landlord_address: tuple[str, ...] | None  # None when the landlord gets no letter (a company)

    @property
    def form_of_address(self) -> str | None:
        """« Monsieur » or « Madame » for the greeting; None when the register gives no civility the letters know
        (empty, « M. et Mme », anything else): the letter then says « Madame, Monsieur »."""
        return self.civilite if self.civilite in FORMS_OF_ADDRESS else None

    @property
    def tenant_name(self) -> str:
        return " ".join(part for part in (self.civilite, self.prenom, self.nom) if part)


@dataclass
class ReadResult:
    commandements: list[Commandement] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    duplicates: int = 0
    empty_rows: int = 0
    rows_read: int = 0
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def rejected_rows(self) -> int:
        return len({r.row for r in self.rejects})


# ------------------------------------------------------------------ values


class BadValue(ValueError):
    """A cell that cannot be used; the message is the reason shown in rejets.csv."""


def clean_text(value: str) -> str:
    """One line of text: spaces normalised, invisible control characters refused, formulas refused."""
    text = unicodedata.normalize("NFC", value)
    text = " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())
    if INVISIBLE.search(text):
        raise BadValue("caractère de contrôle invisible ; attendu : du texte simple, retapez la cellule")
    if text.startswith(FORMULA_START):
        raise BadValue(f"la cellule commence par « {text[0]} » (formule de tableur, ignorée) ; attendu : une valeur")
    if len(text) > MAX_FIELD_CHARS:
        raise BadValue(f"texte de {len(text)} caractères ; attendu : au plus {MAX_FIELD_CHARS}")
    return text


def parse_date(value: str) -> dt.date:
    """« 12/03/2026 », « 2026-03-12 » or a spreadsheet date; the reason says which day does not exist."""
    text = value.strip()
    match = DATE_FR.match(text)
    if match:
        day, month, year = (int(x) for x in match.groups())
    else:
        match = DATE_ISO.match(text)
        if not match:
            raise BadValue("date illisible ; attendu : une date comme 12/03/2026 ou 2026-03-12")
        year, month, day = (int(x) for x in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise BadValue(f"date impossible ({day:02d}/{month:02d}/{year}) ; attendu : un jour qui existe") from None


def parse_amount(value: str) -> Decimal:
    """« 1 234,56 € », « 1234.56 », « 1.234,56 » with any kind of space; positive, in euros."""
    text = re.sub(r"[\s\u00a0\u202f]", "", value).removesuffix("€").removesuffix("EUR").removesuffix("eur")
    text = text.removeprefix("€")
    if not re.fullmatch(r"-?[\d.,]+", text) or not re.search(r"\d", text):
        raise BadValue("montant illisible ; attendu : un montant en euros comme 1 234,56")
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
    elif text.count(",") == 1:
        decimal_mark = ","
    elif text.count(".") == 1 and not re.fullmatch(r"-?\d{1,3}\.\d{3}", text):
        decimal_mark = "."
    else:
        decimal_mark = ""
    thousands = {",": ".", ".": ",", "": ",."}[decimal_mark]
    for mark in thousands:
        text = text.replace(mark, "")
    text = text.replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise BadValue("montant illisible ; attendu : un montant en euros comme 1 234,56") from None
    if amount <= 0:
        raise BadValue("montant nul ou négatif ; attendu : un montant positif")
    if amount > MAX_AMOUNT:
        raise BadValue("montant invraisemblable ; attendu : un montant en euros comme 1 234,56")
    return amount.quantize(Decimal("0.01"))


def parse_postcode(value: str) -> str:
    digits = value.replace(" ", "")
    if not re.fullmatch(r"\d{5}", digits):
        raise BadValue("code postal invalide ; attendu : 5 chiffres, comme 75011")
    return digits


def parse_owner_kind(value: str) -> str:
    kind = OWNER_KINDS.get(header_key(value))
    if kind is None:
        raise BadValue("type de bailleur non prévu ; attendu : personne physique, SCI familiale ou personne morale")
    return kind


def civility(value: str) -> str:
    """« M. », « Mme », « MADAME », « Mlle »… as Monsieur or Madame; any other value is kept as written (it is
    printed in the address, but gives no greeting)."""
    return CIVILITIES.get(header_key(value), value)


# ------------------------------------------------------------------ columns


def column_positions(register: Register, mapping: ColumnMapping) -> tuple[dict[str, int], list[str]]:
    """Which column holds each field; the register cannot be used when a required column is missing."""
    positions: dict[str, int] = {}
    ignored: list[str] = []
    problems: list[str] = []
    loose: list[int] = []
    for index, header in enumerate(register.headers):
        name = mapping.field_of(header) if header else None
        if name is None:
            if header:
                loose.append(index)
            continue
        if name in positions:
            first = register.headers[positions[name]]
            problems.append(
                f"les colonnes « {first} » et « {header} » donnent toutes deux le champ {name} ; gardez-en une"
            )
        positions[name] = index
    for index in loose:  # a title no field names exactly: its words may hold one field's title, never two
        header = register.headers[index]
        fields = mapping.fields_within(header) - positions.keys()
        if len(fields) == 1:
            positions[fields.pop()] = index
        elif fields:
            problems.append(
                f"colonne « {header} » ambiguë : elle peut donner les champs {' ou '.join(sorted(fields))} ; "
                "renommez-la comme l'un des titres de content/courriers-colonnes.yml"
            )
        else:
            ignored.append(header)
    for name in REQUIRED_FIELDS:
        if name not in positions:
            accepted = ", ".join(f"« {t} »" for t in mapping.titles.get(name, [])[:3])
            problems.append(
                f"colonne manquante pour le champ {name} ; titres acceptés : {accepted} "
                "(content/courriers-colonnes.yml)"
            )
    if problems:
        where = register.where(register.header_row)
        raise RegisterError(
            "\n".join(f"{where} : {p}" for p in problems)
            + f"\n{len(problems)} problème(s) dans les titres de colonne : aucun courrier n'a été fait."
        )
    return positions, ignored


# ------------------------------------------------------------------ rows


def read_commandements(
    register: Register,
    mapping: ColumnMapping,
    territory: Territory,
    letter_date: dt.date,
    batch: str,
    landlord_kinds: list[str],
    window_width_mm: float = DL_WINDOW_MM,
) -> ReadResult:
    """Every row of the register accounted for: letters, reject, duplicate or empty. An address is measured
    against the envelope window the letters are printed for (content/courriers.yml, window.width_mm)."""
    positions, ignored = column_positions(register, mapping)
    width = max((i + 1 for i, title in enumerate(register.headers) if title), default=0)
    areas = {postcode: area.number for area in territory.areas for postcode in area.postcodes}
    result = ReadResult(ignored_columns=ignored)
    seen: dict[tuple, int] = {}
    for row in register.rows:
        if row.is_empty:
            result.empty_rows += 1
            continue
        result.rows_read += 1
        rejects: list[Reject] = []
        extra = [i for i in range(width, len(row.cells)) if row.cells[i].strip()]
        if extra:  # never cut silently: the row was probably shifted by a « ; » or a cell typed too far right
            rejects.append(
                Reject(
                    row.number,
                    f"colonne {extra[0] + 1}",
                    f"colonnes en trop : {len(extra)} cellule(s) remplie(s) après la dernière colonne titrée "
                    f"(colonne {width}) ; attendu : une valeur sous chaque titre, rien au-delà",
                )
            )

        def column(name: str) -> str:
            return register.headers[positions[name]] if name in positions else name

        values: dict[str, object] = {}
        for name in FIELDS:
            index = positions.get(name)
            raw = row.cells[index] if index is not None and index < len(row.cells) else ""
            try:
                if index in row.formulas:
                    raise BadValue("la cellule contient une formule de tableur (ignorée) ; attendu : une valeur")
                text = clean_text(raw)
                if not text:
                    if name not in OPTIONAL_VALUES:
                        rejects.append(Reject(row.number, column(name), "valeur manquante"))
                    values[name] = None
                    continue
                values[name] = _typed(name, text)
            except BadValue as error:
                rejects.append(Reject(row.number, column(name), str(error)))
                values[name] = None
        rejects += _row_rules(row.number, values, column, areas, letter_date)
        if not rejects:
            address, owner_address = _addresses(values, landlord_kinds, row.number, column, rejects, window_width_mm)
        if rejects:
            result.rejects += rejects
            continue
        key = tuple(
            header_key(str(values[n] or ""))
            for n in (
                "locataire_nom",
                "locataire_prenom",
                "adresse",
                "adresse_complement",
                "code_postal",
                "date_commandement",
            )
        )
        if key in seen:
            result.duplicates += 1
            result.rejects.append(
                Reject(
                    row.number,
                    "",
                    f"doublon de la ligne {seen[key]} (même locataire, même adresse, même date de commandement) : "
                    "pas de second courrier",
                )
            )
            continue
        seen[key] = row.number
        result.commandements.append(_commandement(row.number, values, areas, address, owner_address, batch))
    return result


def _typed(name: str, text: str) -> object:
    if name in ("date_commandement", "date_bail"):
        return parse_date(text)
    if name in ("montant_dette", "loyer_mensuel_hc"):
        return parse_amount(text)
    if name in ("code_postal", "bailleur_code_postal"):
        return parse_postcode(text)
    if name == "bailleur_type":
        return parse_owner_kind(text)
    if name == "locataire_civilite":
        return civility(text)
    return text


def _row_rules(number: int, values: dict, column, areas: dict[str, int], letter_date: dt.date) -> list[Reject]:
    """Rules across fields: the date is not in the future, the home is in the territory."""
    rejects = []
    cdp = values.get("date_commandement")
    if isinstance(cdp, dt.date) and cdp > letter_date:
        rejects.append(
            Reject(
                number,
                column("date_commandement"),
                f"commandement daté dans le futur (après le {letter_date:%d/%m/%Y}, date des courriers)",
            )
        )
    lease = values.get("date_bail")
    if isinstance(lease, dt.date) and isinstance(cdp, dt.date) and lease > cdp:
        rejects.append(
            Reject(number, column("date_bail"), "bail signé après le commandement ; attendu : une date antérieure")
        )
    postcode = values.get("code_postal")
    if isinstance(postcode, str) and postcode not in areas:
        rejects.append(
            Reject(number, column("code_postal"), "code postal hors du territoire (content/territoire.yml, areas)")
        )
    return rejects


def _addresses(
    values: dict, landlord_kinds: list[str], number: int, column, rejects: list[Reject], window_width_mm: float
):
    name = " ".join(
        str(values[n]) for n in ("locataire_civilite", "locataire_prenom", "locataire_nom") if values.get(n)
    )
    address = owner_address = None
    try:
        address = tuple(
            postal_lines(
                name,
                str(values.get("adresse_complement") or ""),
                str(values["adresse"]),
                str(values["code_postal"]),
                str(values["commune"]),
                window_width_mm,
            )
        )
    except (AddressTooLong, AddressUnprintable) as error:
        field_of_line = {
            1: "locataire_nom",
            2: "adresse_complement",
            3: "adresse_complement",
            4: "adresse",
            6: "commune",
        }
        rejects.append(
            Reject(
                number,
                column(field_of_line[error.line]),
                _address_problem(error, "adresse"),
            )
        )
    if values["bailleur_type"] in landlord_kinds:
        try:
            owner_address = tuple(
                postal_lines(
                    str(values["bailleur_nom"]),
                    "",
                    str(values["bailleur_adresse"]),
                    str(values["bailleur_code_postal"]),
                    str(values["bailleur_commune"]),
                    window_width_mm,
                )
            )
        except (AddressTooLong, AddressUnprintable) as error:
            field_of_line = {1: "bailleur_nom", 4: "bailleur_adresse", 6: "bailleur_commune"}
            rejects.append(
                Reject(
                    number,
                    column(field_of_line[error.line]),
                    _address_problem(error, "adresse du bailleur"),
                )
            )
    return address, owner_address


def _address_problem(error: ValueError, whose: str) -> str:
    if isinstance(error, AddressUnprintable):
        return f"{whose} impossible à imprimer : {error}"
    return f"{whose} trop longue pour la fenêtre de l'enveloppe : {error}"


def _commandement(number: int, v: dict, areas: dict[str, int], address, owner_address, batch: str) -> Commandement:
    return Commandement(
        row=number,
        reference=f"{batch}-{number:06d}",
        date_commandement=v["date_commandement"],
        commissaire_justice=v["commissaire_justice"],
        civilite=v.get("locataire_civilite") or "",
        nom=v["locataire_nom"],
        prenom=v.get("locataire_prenom") or "",
        adresse=v["adresse"],
        complement=v.get("adresse_complement") or "",
        code_postal=v["code_postal"],
        commune=v["commune"],
        area=areas[v["code_postal"]],
        bailleur_nom=v["bailleur_nom"],
        bailleur_adresse=v["bailleur_adresse"],
        bailleur_code_postal=v["bailleur_code_postal"],
        bailleur_commune=v["bailleur_commune"],
        bailleur_type=v["bailleur_type"],
        montant_dette=v["montant_dette"],
        loyer_mensuel_hc=v["loyer_mensuel_hc"],
        date_bail=v.get("date_bail"),
        numero_allocataire=v.get("numero_allocataire") or "",
        motif=v.get("motif") or "",
        household_address=address,
        landlord_address=owner_address,
    )
