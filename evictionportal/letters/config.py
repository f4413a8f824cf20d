"""The letters' own settings (content/courriers.yml) and the register's columns (content/courriers-colonnes.yml).

Both are read like every other source: line numbers kept, every problem reported at once in French.
Whatever is unknown (the sender's address, who signs) stays empty and makes the letters proofs.
"""

from __future__ import annotations

import re
import string
import unicodedata
from pathlib import Path
from typing import Annotated

from pydantic import Field

from ..crossrefs import section_reference_problem
from ..delays import counted_deadlines
from ..errors import SourceErrors, SourceProblem, did_you_mean
from ..load import Located, Sources, read_yaml, validate_file
from ..schema import Id, Source, Text

CONFIG_FILE = "content/courriers.yml"
MAPPING_FILE = "content/courriers-colonnes.yml"

REQUIRED_FIELDS = (
    "date_commandement",
    "commissaire_justice",
    "locataire_civilite",
    "locataire_nom",
    "locataire_prenom",
    "adresse",
    "adresse_complement",
    "code_postal",
    "commune",
    "bailleur_nom",
    "bailleur_adresse",
    "bailleur_code_postal",
    "bailleur_commune",
    "bailleur_type",
    "montant_dette",
    "loyer_mensuel_hc",
)
OPTIONAL_FIELDS = ("date_bail", "numero_allocataire", "motif")
FIELDS = REQUIRED_FIELDS + OPTIONAL_FIELDS

# The placeholders each sentence may use, filled from the register row. The dates and the address stand
# alone in the dates box and the window (one layout per variant, the values printed in place), so the
# sentences themselves take none.
PLACEHOLDERS = {
    ("household", "subject"): set(),
    ("household", "opening"): set(),
    ("household", "served_label"): set(),
    ("household", "lease_label"): set(),
    ("household", "deadline_value"): {"fin_delai"},
    ("household", "deadline_unknown"): set(),
    # A delay that has passed or ends on a day off: the date and the day are values of the dates box too.
    ("household", "deadline_passed_value"): {"fin_delai"},
    ("household", "deadline_day_off_value"): {"jour"},
    ("household", "deadline_passed"): set(),
    ("household", "deadline_day_off"): set(),
    ("household", "deadline_unknown_passed"): set(),
    ("household", "deadline_unknown_day_off"): set(),
    ("landlord", "subject"): set(),
    ("landlord", "opening"): set(),
    ("landlord", "served_label"): set(),
    ("landlord", "dwelling_label"): set(),
    # The form of address and the sender are the same in every letter of a variant, not personal values.
    ("household", "greeting"): {"appel"},
    ("household", "closing"): {"appel"},
    ("household", "no_civility"): set(),
    ("household", "helpers_city_wide"): set(),
    ("household", "no_local_helper"): set(),
    ("household", "privacy_heading"): set(),
    ("household", "privacy"): {"expediteur"},
    ("household", "privacy_contact"): set(),
    ("landlord", "why"): set(),
    ("landlord", "delay"): set(),
    ("landlord", "deadline_unknown"): set(),
    ("landlord", "reply"): set(),
}

Millimetres = Annotated[float, Field(gt=0, le=297, description="Distance en millimètres.")]


class Sender(Source):
    organisation: Id = Field(description="Organisme de l'annuaire qui envoie les courriers (son nom est imprimé).")
    service: Text | None = Field(default=None, description="Le service qui envoie, tel qu'il signe (à compléter).")
    address: list[Text] = Field(
        default_factory=list, description="Adresse postale de l'expéditeur, une ligne par élément."
    )
    case_handler: Text | None = Field(default=None, description="« Affaire suivie par » : un service ou une fonction.")
    signature: Text | None = Field(default=None, description="Qui signe (fonction).")
    email: Text | None = Field(
        default=None,
        description="Adresse électronique où écrire à l'expéditeur (réponse, questions, données personnelles), "
        "une fois confirmée ; facultative : l'adresse postale suffit.",
    )
    place: Text = Field(description="Le lieu de « Paris, le … ».")


class Window(Source):
    """Where the recipient block sits so that it shows through a DL window envelope."""

    left_mm: Millimetres = Field(description="Bord gauche de la fenêtre, depuis le bord gauche de la feuille.")
    top_mm: Millimetres = Field(description="Haut de la fenêtre, depuis le haut de la feuille.")
    width_mm: Millimetres = Field(description="Largeur de la fenêtre.")
    height_mm: Millimetres = Field(description="Hauteur de la fenêtre.")
    fold_marks_mm: list[Millimetres] = Field(default_factory=list, description="Repères de pliage, depuis le haut.")


class HouseholdLetter(Source):
    stage: Id = Field(description="L'étape (referentiel/etapes/) dont le courrier reprend les textes.")
    subject: Text
    greeting: Text = Field(description="L'appel ; {appel} : Monsieur, Madame, ou no_civility sans civilité connue.")
    no_civility: Text = Field(description="{appel} quand le registre ne donne pas de civilité : Madame, Monsieur.")
    opening: Text = Field(description="Premier paragraphe (les dates sont dans l'encadré des délais).")
    served_label: Text = Field(description="Encadré des délais : le libellé de la date du commandement.")
    lease_label: Text = Field(description="Encadré des délais : le libellé de la date du bail, quand elle est connue.")
    deadline_value: Text = Field(description="Encadré des délais : la fin de chaque délai ; {fin_delai} est la date.")
    deadline_unknown: Text = Field(description="Phrase ajoutée quand la date du bail est inconnue.")
    deadline_passed_value: Text = Field(
        description="Encadré des délais : un délai déjà fini à la date du courrier ; {fin_delai} est la date."
    )
    deadline_passed: Text = Field(
        description="Phrase ajoutée quand un délai est déjà fini à la date du courrier : ce que le ménage peut "
        "encore faire."
    )
    deadline_day_off_value: Text = Field(
        description="Encadré des délais, sous la date : un dernier jour qui tombe un samedi, un dimanche ou un jour "
        "férié ; {jour} : « samedi », « dimanche » ou « jour férié (Noël) » (content/territoire.yml, delay_words)."
    )
    deadline_day_off: Text = Field(
        description="Phrase ajoutée quand un délai finit un samedi, un dimanche ou un jour férié."
    )
    deadline_unknown_passed: Text = Field(
        description="Date du bail inconnue et un délai déjà fini : la phrase qui remplace deadline_unknown (une "
        "ligne : l'encadré donne déjà les deux délais)."
    )
    deadline_unknown_day_off: Text = Field(
        description="Date du bail inconnue et un délai qui finit un samedi, un dimanche ou un jour férié : la "
        "phrase qui remplace deadline_unknown (une ligne)."
    )
    schemes: list[Id] = Field(default_factory=list, description="Dispositifs présentés (referentiel/dispositifs/).")
    closing: Text = Field(description="La formule de politesse ; {appel} comme dans greeting.")
    helpers_city_wide: Text = Field(description="Verso : titre des organismes qui aident tout le territoire.")
    no_local_helper: Text = Field(description="Verso : phrase quand aucun lieu n'est confirmé dans l'arrondissement.")
    privacy_heading: Text = Field(description="Verso : titre de l'information sur les données personnelles.")
    privacy: Text = Field(
        description="Quelles données vont à la CAF, par qui ({expediteur} : l'organisme qui envoie) et pourquoi."
    )
    privacy_contact: Text = Field(description="Comment s'y opposer ou poser une question ; suivi de l'adresse.")


class LandlordLetter(Source):
    owner_kinds: list[Text] = Field(min_length=1, description="Types de bailleur qui reçoivent le courrier.")
    subject: Text
    greeting: Text
    opening: Text
    why: Text = Field(description="Pourquoi l'expéditeur écrit (charte, action 16 ; le rôle de la CCAPEX).")
    delay: Text = Field(description="Le délai du locataire (sa date est dans l'encadré, la même que pour le ménage).")
    deadline_unknown: Text = Field(description="Phrase ajoutée à l'encadré quand la date du bail est inconnue.")
    reply: Text = Field(description="Comment répondre à l'expéditeur ; suivi de son adresse confirmée.")
    served_label: Text = Field(description="Encadré : le libellé de la date du commandement.")
    dwelling_label: Text = Field(description="Encadré : le libellé de l'adresse du logement concerné.")
    chapter: Id = Field(description="Chapitre du guide des propriétaires (content/bailleurs/) repris.")
    sections: list[Id] = Field(
        min_length=1,
        description="Identifiants (id) des parties du chapitre reprises au dos, dans l'ordre ; jamais leurs titres. "
        "Une partie datée est reprise telle qu'elle s'applique à la date du courrier, avec l'encadré "
        "« À partir du … » de la règle suivante.",
    )
    schemes: list[Id] = Field(default_factory=list)
    closing: Text


class ComplexCases(Source):
    """Charter action 17: thresholds set by the partners; empty means none is configured."""

    debt_months_of_rent: float | None = Field(default=None, gt=0, description="Dette > N mois de loyer hors charges.")
    debt_amount: float | None = Field(default=None, gt=0, description="Dette > ce montant (euros).")

    @property
    def configured(self) -> bool:
        return self.debt_months_of_rent is not None or self.debt_amount is not None


class LettersConfig(Source):
    sender: Sender
    window: Window
    household: HouseholdLetter
    landlord: LandlordLetter
    complex_cases: ComplexCases

    def missing_sender_fields(self) -> list[str]:
        """What the partners must still fill in before the letters can be posted."""
        sender = self.sender
        missing = [name for name in ("service", "case_handler", "signature") if getattr(sender, name) is None]
        return (["address"] if not sender.address else []) + missing


def header_key(text: str) -> str:
    """A column title without case, accents, spaces or punctuation: « Date du CDP » -> datducdp."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "", plain.casefold())


LITTLE_WORDS = frozenset({"a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les"})


def title_words(text: str) -> tuple[str, ...]:
    """A column title as its words, in any order, without case, accents, punctuation or little words:
    « Prénom du locataire » = « locataire_prenom » = (locataire, prenom)."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    words = [w for w in re.split(r"[\W_]+", plain) if w]
    kept = [w for w in words if w not in LITTLE_WORDS] or words
    return tuple(sorted(kept))


class ColumnMapping:
    """Which register column feeds which letter field: a title is matched by its letters (« DateCDP » =
    « date cdp »), or else by its words in any order (« Prénom locataire » = « locataire_prenom »). A title
    that two fields accept is ambiguous: reported, never guessed."""

    def __init__(self, titles: dict[str, list[str]]) -> None:
        self.titles = titles
        self.by_key: dict[str, set[str]] = {}
        self.by_words: dict[tuple[str, ...], set[str]] = {}
        for name, names in titles.items():
            for title in [name, *names]:
                self.by_key.setdefault(header_key(title), set()).add(name)
                self.by_words.setdefault(title_words(title), set()).add(name)

    def fields_of(self, header: str) -> set[str]:
        """The fields a column title names exactly (by its letters or its words): one, or none."""
        return self.by_key.get(header_key(header)) or self.by_words.get(title_words(header)) or set()

    def field_of(self, header: str) -> str | None:
        fields = self.fields_of(header)
        return next(iter(fields)) if len(fields) == 1 else None

    def fields_within(self, header: str) -> set[str]:
        """For a title no field names exactly: the fields whose longest title of two words or more is among its
        words (« Date du commandement reçu » holds « date commandement »). Two fields at once: ambiguous."""
        words = set(title_words(header))
        best, fields = 0, set()
        for key, names in self.by_words.items():
            if len(key) >= 2 and set(key) <= words:
                if len(key) > best:
                    best, fields = len(key), set(names)
                elif len(key) == best:
                    fields |= names
        return fields


def _load_yaml_model(root: Path, rel: str, model: type[Source]) -> tuple[Located | None, list[SourceProblem]]:
    path = root / rel
    if not path.exists():
        return None, [SourceProblem(rel, 0, "", "fichier introuvable ; il décrit les courriers (voir README)")]
    data, lines, problems = read_yaml(path, root)
    if data is None:
        return None, problems
    item, found = validate_file(model, data, rel, lines)
    return (Located(item, rel, lines) if item else None), problems + found


def _check_mapping(data: object, rel: str, lines: dict) -> tuple[ColumnMapping | None, list[SourceProblem]]:
    if not isinstance(data, dict):
        return None, [SourceProblem(rel, 1, "", "attendu : une ligne « champ: [titres de colonne] » par champ")]
    problems = []
    titles: dict[str, list[str]] = {}
    for name, value in data.items():
        line = lines.get((name,), 1)
        if name not in FIELDS:
            hint = did_you_mean(str(name), FIELDS, otherwise=f" ; champs possibles : {', '.join(FIELDS)}")
            problems.append(SourceProblem(rel, line, str(name), f"champ inconnu « {name} »{hint}"))
        elif not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            problems.append(
                SourceProblem(rel, line, str(name), "attendu : une liste de titres de colonne, [titre 1, titre 2]")
            )
        else:
            titles[name] = value
    for name in FIELDS:
        if name not in data:
            problems.append(SourceProblem(rel, 1, name, "champ manquant ; attendu : la liste de ses titres de colonne"))
    seen: dict[object, str] = {}
    for name, names in titles.items():
        for title in [name, *names]:
            for key in (header_key(title), title_words(title)):
                if seen.get(key, name) != name:
                    problems.append(
                        SourceProblem(
                            rel,
                            lines.get((name,), 1),
                            name,
                            f"le titre « {title} » sert déjà pour {seen[key]} (mêmes mots, dans un autre ordre "
                            "ou sans les petits mots) : titre ambigu ; gardez-le pour un seul champ",
                        )
                    )
                    break
                seen[key] = name
    return (ColumnMapping(titles) if not problems else None), problems


def _cross_check(located: Located, sources: Sources) -> list[SourceProblem]:
    """Every id the letters name exists in the sources, and the stage has a delay the letters can count."""
    config: LettersConfig = located.model
    problems = []

    def problem(path: tuple, message: str) -> None:
        label = ".".join(str(p) for p in path)
        problems.append(SourceProblem(located.file, located.line_of(path), label, message))

    for path, allowed in PLACEHOLDERS.items():
        text = getattr(getattr(config, path[0]), path[1])
        try:
            used = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        except ValueError:
            used = {"{"}
        for name in sorted(used - allowed):
            if allowed:
                shown = ", ".join(f"{{{a}}}" for a in sorted(allowed))
                problem(path, f"« {{{name}}} » inconnu ; attendu : {shown} (les accolades sont réservées à ces champs)")
            else:
                problem(
                    path,
                    f"« {{{name}}} » : ce texte est le même dans tous les courriers, sans champ entre accolades ; "
                    "les dates et l'adresse de chaque courrier sont dans l'encadré des dates et dans la fenêtre",
                )
    if config.sender.organisation not in sources.organisations:
        problem(("sender", "organisation"), f"organisme de l'annuaire « {config.sender.organisation} » inconnu")
    stage = next((s for s in sources.stages if s.id == config.household.stage), None)
    if stage is None:
        problem(("household", "stage"), f"étape « {config.household.stage} » inconnue (referentiel/etapes/)")
    elif not counted_deadlines(stage.deadlines):
        problem(("household", "stage"), f"l'étape « {stage.id} » n'a aucun délai avec une durée (duration) en vigueur")
    for part in ("household", "landlord"):
        for index, scheme in enumerate(getattr(config, part).schemes):
            if scheme not in sources.schemes:
                problem((part, "schemes", index), f"dispositif « {scheme} » inconnu (referentiel/dispositifs/)")
    chapter = next((c for c in sources.landlord_guide if c.id == config.landlord.chapter), None)
    if chapter is None:
        problem(("landlord", "chapter"), f"chapitre « {config.landlord.chapter} » inconnu (content/bailleurs/)")
    else:
        for index, section_id in enumerate(config.landlord.sections):
            path = ("landlord", "sections", index)
            found = section_reference_problem(
                located, path, section_id, chapter, sources.origin(chapter), sources.as_of
            )
            problems += [found] if found else []
    return problems


def load_letters_config(sources: Sources) -> tuple[LettersConfig, ColumnMapping]:
    """The letters' settings and column mapping, checked against the sources; every problem at once."""
    root = sources.root
    located, problems = _load_yaml_model(root, CONFIG_FILE, LettersConfig)
    mapping = None
    path = root / MAPPING_FILE
    if not path.exists():
        problems.append(
            SourceProblem(MAPPING_FILE, 0, "", "fichier introuvable ; il relie les colonnes du registre aux champs")
        )
    else:
        data, lines, found = read_yaml(path, root)
        problems += found
        if data is not None:
            mapping, found = _check_mapping(data, MAPPING_FILE, lines)
            problems += found
    if located is not None:
        problems += _cross_check(located, sources)
    if problems or located is None or mapping is None:
        raise SourceErrors(problems)
    return located.model, mapping
