"""Made-up organisations for scale benchmarks and tests: valid, varied, never committed.

Every name says it is an example, phone numbers come from the ranges ARCEP keeps
for fiction (01 99 00…, 02 61 91…, 03 53 01…, 04 65 71…, 05 36 49…), and
addresses use the example.org domain reserved by RFC 2606. The files are written
into a temporary copy of a project, next to its real directory.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import yaml

PREFIX = "exemple-"
FICTION_PHONE_RANGES = ("01 99 00", "02 61 91", "03 53 01", "04 65 71", "05 36 49")
KINDS = {
    "collectivite": "Mairie annexe",
    "association": "Association d'entraide",
    "justice": "Point d'accès au droit",
    "organisme-public": "Antenne sociale",
    "professionnels": "Permanence juridique",
    "bailleurs": "Agence de bailleur social",
}
ROLES = (
    "Elle reçoit les locataires qui ont des difficultés à payer leur loyer.",
    "Elle aide à monter un dossier de Fonds de solidarité pour le logement.",
    "Ses conseillers expliquent chaque étape de la procédure, gratuitement.",
    "Elle oriente vers un travailleur social ou un juriste selon la situation.",
    "Elle accompagne le ménage à l'audience quand il le demande.",
    "Elle tient une permanence sans rendez-vous une fois par semaine.",
)
AUDIENCES = (["locataires"], ["locataires", "bailleurs"], ["professionnels"], ["locataires", "professionnels"])
VERIFIED = {"date": "2026-11-01", "by": "Banc d'essai", "source": "Fiche inventée pour le banc d'essai"}


def territory_postcodes(root: Path) -> dict[int, str]:
    """The territory's areas and their postcodes, so the organisations serve places that exist."""
    territory = yaml.safe_load((root / "content" / "territoire.yml").read_text(encoding="utf-8"))
    return {area["number"]: area["postcode"] for area in territory["areas"]}


def madeup_organisation(index: int, postcodes: dict[int, str], rng: random.Random) -> dict[str, Any]:
    """One organisation: a kind, one to three areas (or all, or national), zero to four contacts."""
    kind = rng.choice(list(KINDS))
    scope = rng.random()
    org: dict[str, Any] = {
        "id": f"{PREFIX}{index:04d}",
        "name": f"{KINDS[kind]} d'exemple n° {index}",
        "kind": kind,
        "role": " ".join(rng.sample(ROLES, rng.randint(1, 3))),
        "audiences": rng.choice(AUDIENCES),
    }
    if scope < 0.75:
        served = sorted(rng.sample(list(postcodes), min(len(postcodes), rng.randint(1, 3))))
        org.update(areas=served, located_in=served[0])
    else:
        org["areas"] = "all" if scope < 0.95 else "national"
    contacts = []
    if rng.random() < 0.8:
        prefix = rng.choice(FICTION_PHONE_RANGES)
        contacts.append({"kind": "phone", "value": f"{prefix} {index // 100 % 100:02d} {index % 100:02d}"})
    if rng.random() < 0.6:
        contacts.append({"kind": "email", "value": f"accueil-{index}@example.org"})
    if rng.random() < 0.5:
        contacts.append({"kind": "website", "value": f"https://exemple-{index}.example.org"})
    if rng.random() < 0.4 and isinstance(org["areas"], list):
        street = f"{index % 90 + 1} rue d'Exemple, {postcodes[org['located_in']]}"
        contacts.append({"kind": "address", "value": street})
    for contact in contacts:
        if rng.random() < 0.7:  # the others stay unpublished, as in a real campaign
            contact["verified"] = dict(VERIFIED)
    if contacts:
        org["contacts"] = contacts
    if rng.random() < 0.7:
        org["verified"] = dict(VERIFIED)
    return org


def write_madeup_organisations(root: Path, count: int, seed: int = 12) -> list[Path]:
    """Write `count` made-up organisations into root/directory/, one file each, as an editor would."""
    rng = random.Random(seed)
    postcodes = territory_postcodes(root)
    written = []
    for index in range(1, count + 1):
        org = madeup_organisation(index, postcodes, rng)
        path = root / "directory" / f"{org['id']}.yml"
        text = "# Organisation inventée pour le banc d'essai : jamais publiée.\n"
        text += yaml.safe_dump(org, allow_unicode=True, sort_keys=False, width=100)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
