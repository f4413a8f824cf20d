"""A made-up register, for the README's worked example, the tests and the benchmark.

Nobody in it exists: invented surnames, fictitious streets, amounts drawn at random (fixed seed,
so the same N gives the same file).
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from ..errors import PortalError
from ..schema import Territory
from ..tables import write_csv

HEADERS = [
    "Date du commandement",
    "Commissaire de justice",
    "Civilité",
    "Nom",
    "Prénom",
    "Adresse",
    "Complément",
    "Code postal",
    "Commune",
    "Bailleur",
    "Adresse du bailleur",
    "Code postal du bailleur",
    "Commune du bailleur",
    "Type de bailleur",
    "Montant de la dette",
    "Loyer mensuel hors charges",
    "Date du bail",
    "Numéro d'allocataire",
]
SURNAMES = [
    "Exemple",
    "Modèle",
    "Essai",
    "Témoin",
    "Fictif",
    "Imaginaire",
    "Échantillon",
    "Maquette",
    "Spécimen",
    "Prototype",
]
FIRST_NAMES = ["Camille", "Dominique", "Claude", "Alix", "Sacha", "Maxime", "Lou", "Noé", "Inès", "Yanis"]
STREETS = ["rue de l'Exemple", "avenue du Modèle", "boulevard de l'Essai", "rue du Témoin", "allée des Maquettes"]
COMPLEMENTS = ["", "", "Bât. B, esc. 2, apt 14", "3e étage porte gauche", "Résidence des Essais"]
OWNER_KINDS = ["personne physique", "personne physique", "SCI familiale", "personne morale"]


def example_rows(count: int, territory: Territory, letter_date: dt.date, seed: int = 2026) -> list[list[str]]:
    """`count` made-up commandements of the weeks before `letter_date`, in the territory's postcodes."""
    rng = random.Random(seed)
    postcodes = [area.postcode for area in territory.areas]
    rows = []
    for number in range(count):
        served = letter_date - dt.timedelta(days=rng.randint(1, 30))
        lease = rng.choice([None, dt.date(2019, 5, 1), dt.date(2024, 2, 1), dt.date(2023, 7, 29), dt.date(2023, 7, 28)])
        rent = rng.randint(450, 1400)
        debt = rent * rng.uniform(1.5, 9)
        rows.append(
            [
                served.strftime("%d/%m/%Y"),
                f"Étude Fictive {rng.randint(1, 9)}",
                rng.choice(["Madame", "Monsieur", "Mme", "M.", ""]),
                f"{rng.choice(SURNAMES)}-{number}",
                rng.choice(FIRST_NAMES),
                f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
                rng.choice(COMPLEMENTS),
                rng.choice(postcodes),
                territory.name,
                f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
                f"{rng.randint(1, 80)} {rng.choice(STREETS)}",
                rng.choice(["75015", "92100", "69003", "13008"]),
                rng.choice(["Paris", "Boulogne-Billancourt", "Lyon", "Marseille"]),
                rng.choice(OWNER_KINDS),
                f"{debt:,.2f} €".replace(",", "\u202f").replace(".", ","),
                str(rent),
                lease.strftime("%d/%m/%Y") if lease else "",
                str(rng.randint(1000000, 9999999)) if rng.random() < 0.6 else "",
            ]
        )
    return rows


def write_example(path: Path, count: int, territory: Territory, letter_date: dt.date) -> None:
    """Write a made-up register as French spreadsheet software saves CSV (« ; », UTF-8 with BOM)."""
    if path.suffix.lower() != ".csv":
        raise PortalError(f"{path.name} : le registre d'exemple s'écrit en .csv ; attendu : un nom qui finit par .csv")
    if count < 1:
        raise PortalError(f"--exemple {count} : attendu : un nombre de lignes d'au moins 1")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_csv(path, [HEADERS, *example_rows(count, territory, letter_date)])
