"""The listings beside the letters: rejets.csv, liste-caf.csv, situations-complexes.csv.

Written by the project's one CSV writer (tables.csv_bytes), as French spreadsheet software opens them:
UTF-8 with a BOM, « ; » between columns, dates AAAA-MM-JJ, amounts with a decimal comma. A cell that a
spreadsheet would take for a formula is written with a leading apostrophe, so it stays text.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from ..tables import csv_bytes
from .config import ComplexCases
from .records import Commandement, Reject
from .render import write_private

PERSON_COLUMNS = ["civilite", "nom", "prenom", "adresse", "complement_adresse", "code_postal", "commune"]
DEBT_COLUMNS = ["date_commandement", "montant_dette", "loyer_mensuel_hc"]
# The CAF's columns, in this fixed order (documented in the README): do not reorder, add at the end.
CAF_COLUMNS = ["reference", "numero_allocataire", *PERSON_COLUMNS, *DEBT_COLUMNS, "date_bail"]
COMPLEX_COLUMNS = ["reference", *PERSON_COLUMNS, *DEBT_COLUMNS, "mois_de_loyer", "criteres"]
REJECT_COLUMNS = ["ligne", "colonne", "motif"]
NO_CRITERION = (
    "Aucun critère de situation complexe n'est configuré : les partenaires les fixent dans "
    "content/courriers.yml, complex_cases (charte, action 17). Aucune situation n'est marquée complexe."
)


def french_amount(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",")


def listing_bytes(header: list[str], rows: Iterable[list[object]]) -> bytes:
    return csv_bytes([header, *rows])


def write_rejects(path: Path, rejects: list[Reject]) -> None:
    """Row number, column and reason only: enough to correct the register, no personal data."""
    rows = sorted(rejects, key=lambda r: (r.row, r.column))
    write_private(path, listing_bytes(REJECT_COLUMNS, ([r.row, r.column, r.reason] for r in rows)))


def _person(c: Commandement) -> list[object]:
    return [c.civilite, c.nom, c.prenom, c.adresse, c.complement, c.code_postal, c.commune]


def write_caf_listing(path: Path, commandements: list[Commandement]) -> None:
    """Charter action 11: every household, for the CAF's mass processing."""
    rows = (
        [
            c.reference,
            c.numero_allocataire,
            *_person(c),
            c.date_commandement.isoformat(),
            french_amount(c.montant_dette),
            french_amount(c.loyer_mensuel_hc),
            c.date_bail.isoformat() if c.date_bail else "",
        ]
        for c in commandements
    )
    write_private(path, listing_bytes(CAF_COLUMNS, rows))


def complex_criteria(c: Commandement, criteria: ComplexCases) -> list[str]:
    """Which of the partners' criteria this debt meets (charter, action 17)."""
    met = []
    months = c.montant_dette / c.loyer_mensuel_hc
    if criteria.debt_months_of_rent is not None and months > Decimal(str(criteria.debt_months_of_rent)):
        met.append(f"dette supérieure à {criteria.debt_months_of_rent:g} mois de loyer hors charges")
    if criteria.debt_amount is not None and c.montant_dette > Decimal(str(criteria.debt_amount)):
        met.append(f"dette supérieure à {criteria.debt_amount:g} €")
    return met


def write_complex_cases(path: Path, commandements: list[Commandement], criteria: ComplexCases) -> int:
    """The situations the social services look at first; says so when no criterion is set. Returns the count."""
    if not criteria.configured:
        write_private(path, (NO_CRITERION + "\r\n").encode("utf-8-sig"))
        return 0
    rows = []
    for c in commandements:
        met = complex_criteria(c, criteria)
        if met:
            months = (c.montant_dette / c.loyer_mensuel_hc).quantize(Decimal("0.1"))
            rows.append(
                [
                    c.reference,
                    *_person(c),
                    c.date_commandement.isoformat(),
                    french_amount(c.montant_dette),
                    french_amount(c.loyer_mensuel_hc),
                    str(months).replace(".", ","),
                    " ; ".join(met),
                ]
            )
    write_private(path, listing_bytes(COMPLEX_COLUMNS, rows))
    return len(rows)
