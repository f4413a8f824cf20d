"""The return form: one line per field of a directory record, shared by the writer and the reader.

Each line has a code (the first column, which the reader uses), a label in
plain French, the value the portal holds today and when it was verified. The
partner writes only in the last column. The same codes apply a returned value
to the record, so that a line sent out is a line read back.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import schema
from ..text import french_date

ORGANISATION = "organisme"
YEAR = "campagne"
TOKEN = "code_envoi"
READ_ONLY = (ORGANISATION, YEAR, TOKEN)  # never an answer: what binds the file to its sending
NO_CHANGE = "aucun_changement"
RESPONDENT = "repondant"
ANSWERED_ON = "date_reponse"
NEW_CONTACT = "nouveau."
FIGURE = "chiffre."
REMOVE = "supprimer"
YES = ("oui", "o", "yes", "x")

KIND_LABELS = {
    schema.ContactKind.phone: "téléphone",
    schema.ContactKind.email: "e-mail",
    schema.ContactKind.website: "site internet",
    schema.ContactKind.address: "adresse postale",
    schema.ContactKind.hours: "horaires d'accueil (ex. : Mo-Fr 09:00-17:00 ; voir la notice)",
}
AUDIENCE_WORDS = "locataires, bailleurs, professionnels (séparés par des virgules)"
AREAS_WORDS = "« all » (tout Paris), « national », ou les numéros d'arrondissement séparés par des virgules"
HEADER = ("Champ", "Ce que c'est", "Valeur publiée aujourd'hui", "Vérifiée le", "Votre réponse")


@dataclass(frozen=True)
class FormLine:
    code: str
    label: str
    current: str = ""
    verified: str = ""


def areas_text(areas: str | list[int]) -> str:
    return areas if isinstance(areas, str) else ", ".join(str(n) for n in areas)


def form_lines(org: schema.Organisation, year: int, indicators: list[str], token: str = "") -> list[FormLine]:
    """Every line of one organisation's return file, in the order the partner reads them; the last one carries
    the sending's code, which binds the file to this organisation and this campaign."""
    verified = french_date(org.verified.date) if org.verified else "jamais"
    lines = [
        FormLine(ORGANISATION, "Identifiant de la fiche (ne pas modifier)", org.id),
        FormLine(YEAR, "Campagne (ne pas modifier)", str(year)),
        FormLine(NO_CHANGE, "Tout est exact ? Écrivez « oui » dans « Votre réponse » et renvoyez le fichier"),
        FormLine(RESPONDENT, "Votre service ou votre fonction (pas de nom de personne) : obligatoire"),
        FormLine(ANSWERED_ON, "Date de votre réponse (AAAA-MM-JJ), si ce n'est pas aujourd'hui"),
        FormLine("name", "Nom complet", org.name, verified),
        FormLine("short_name", "Sigle ou nom court", org.short_name or "", verified),
        FormLine("role", "Ce que vous faites pour prévenir les expulsions (2 ou 3 phrases)", org.role, verified),
        FormLine("audiences", f"Pour qui : {AUDIENCE_WORDS}", ", ".join(a.value for a in org.audiences), verified),
        FormLine("areas", f"Territoire servi : {AREAS_WORDS}", areas_text(org.areas), verified),
        FormLine("located_in", "Arrondissement où vous recevez le public", str(org.located_in or ""), verified),
    ]
    for index, contact in enumerate(org.contacts):
        when = french_date(contact.verified.date) if contact.verified else "non vérifiée, non publiée"
        label = KIND_LABELS[contact.kind].split(" (")[0]
        lines.append(
            FormLine(
                f"contacts[{index}].value",
                f"Coordonnée : {label} (écrivez « {REMOVE} » pour la retirer)",
                contact.value,
                when,
            )
        )
        lines.append(
            FormLine(f"contacts[{index}].note", f"Précision sur ce {label} (horaires, coût)", contact.note or "", when)
        )
    for kind, label in KIND_LABELS.items():
        lines.append(FormLine(f"{NEW_CONTACT}{kind.value}", f"Nouvelle coordonnée : {label}"))
    for number, indicator in enumerate(indicators, 1):
        lines.append(FormLine(f"{FIGURE}{number}", f"Chiffre {year - 1} : {indicator}"))
    lines.append(FormLine(TOKEN, "Code de cet envoi (ne pas modifier)", token))
    return lines


def parse_areas(value: str) -> str | list[int]:
    """« all », « national » or « 18, 19 »; ValueError in French otherwise."""
    text = value.strip().lower()
    if text in ("all", "tout paris", "tous"):
        return "all"
    if text == "national":
        return "national"
    parts = [p.strip().removesuffix("e").removesuffix("er") for p in text.replace(";", ",").split(",") if p.strip()]
    if parts and all(p.isdigit() for p in parts):
        return [int(p) for p in parts]
    raise ValueError(f"territoire illisible « {value} » ; attendu : {AREAS_WORDS}")
