"""The typed model of every source file.

The schema is the documentation: each field carries a French description that
editors see in their YAML editor (through the JSON Schema export) and that
error messages quote. Rules that span several files (ids, references) live in
`crossrefs.py`, not here.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Annotated, Any, Generic, Literal, TypeVar, Union

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    HttpUrl,
    PrivateAttr,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .hours import opening_hours_in_french, parse_opening_hours
from .text import Term, markdown_problems

Id = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
        description="Identifiant court en minuscules, chiffres et tirets (ex. : adil-paris).",
    ),
]
Text = Annotated[str, Field(min_length=1, description="Texte en français, phrases courtes.")]


def _links_are_safe(text: str) -> str:
    problems = markdown_problems(text)
    if problems:
        raise ValueError(" ; ".join(problems))
    return text


Markdown = Annotated[
    str,
    AfterValidator(_links_are_safe),
    Field(
        min_length=1,
        description="Texte en français. Paragraphes séparés par une ligne vide ; "
        "listes avec « - » ; **gras** ; liens [texte](https://…).",
    ),
]


class Source(BaseModel):
    """Every source forbids unknown keys, so a typo is an error, not a silent loss."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# ---------------------------------------------------------------- shared parts


class Verified(Source):
    date: dt.date = Field(description="Date de la dernière vérification (AAAA-MM-JJ).")
    by: Text = Field(description="Qui a vérifié (service ou personne).")
    source: Text = Field(description="Contre quoi l'information a été vérifiée.")


class ReviewStatus(str, Enum):
    draft = "draft"
    reviewed = "reviewed"
    validated = "validated"


class Review(Source):
    """Action 8, step 5: what happened to a page, said as it is in its footer."""

    status: ReviewStatus = Field(
        title="État de relecture",
        description="« draft » (brouillon, visible seulement en aperçu), « reviewed » (relu par l'équipe, publié, "
        "validation des partenaires en attente) ou « validated » (validé par des partenaires nommés, publié)."
    )
    date: dt.date | None = Field(default=None, description="Date de la relecture ou de la validation (AAAA-MM-JJ).")
    by: Text | None = Field(
        default=None, description="Qui a relu la page (équipe, service ou personne), pour « reviewed »."
    )
    partners: list[Id] = Field(
        default_factory=list,
        description="Partenaires de l'annuaire qui ont validé la page (identifiants), pour « validated ».",
    )

    @model_validator(mode="after")
    def status_says_when_and_by_whom(self) -> Review:
        if self.status is ReviewStatus.reviewed and (self.date is None or not self.by):
            raise ValueError("une page « reviewed » indique la date de relecture (date) et qui l'a relue (by)")
        if self.status is ReviewStatus.validated and (self.date is None or not self.partners):
            raise ValueError(
                "une page « validated » indique la date (date) et les partenaires qui l'ont validée (partners) ; "
                "relue seulement par l'équipe : mettez « reviewed » avec by"
            )
        return self


class Dated(Source):
    """A block that applies for a period only; `dated.py` keeps the blocks in force on the build day."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)

    from_: dt.date | None = Field(
        default=None,
        alias="from",
        description="Premier jour où cette règle s'applique (AAAA-MM-JJ). Vide : elle s'applique déjà.",
    )
    until: dt.date | None = Field(
        default=None,
        description="Dernier jour où cette règle s'applique (AAAA-MM-JJ). Vide : pas de fin prévue. "
        "Passée cette date, une règle qui suit doit commencer le lendemain (from), sinon la construction s'arrête.",
    )
    notice_days: int = Field(
        default=60,
        ge=0,
        le=366,
        description="Combien de jours avant « from » la règle est annoncée dans un encadré « À partir du … ».",
    )
    shown_until: dt.date | None = Field(
        default=None,
        description="Après « until », montrer encore la règle, marquée « jusqu'au … », jusqu'à ce jour "
        "(par exemple pour une dette née avant le changement).",
    )
    _timing: str = PrivateAttr(default="current")

    @model_validator(mode="after")
    def period_is_in_order(self) -> Dated:
        if self.from_ and self.until and self.from_ > self.until:
            raise ValueError(f"la période finit (until {self.until}) avant de commencer (from {self.from_})")
        if self.shown_until and not self.until:
            raise ValueError("shown_until n'a de sens qu'avec until (la date de fin de la règle)")
        return self

    @property
    def timing(self) -> str:
        """« current », « upcoming » (announced in a box) or « past » (shown as « jusqu'au … »)."""
        return self._timing


class LegalReference(Dated):
    id: Id
    label: Text = Field(description="Nom du texte, ex. : Code des procédures civiles d'exécution, art. L412-1.")
    url: HttpUrl = Field(description="Lien vers le texte sur Légifrance ou un site public officiel.")
    summary: Text | None = Field(default=None, description="Ce que dit le texte, en une phrase.")


class Duration(Source):
    """A delay the page's calculator can count from the date written on the document."""

    weeks: int | None = Field(default=None, ge=1, le=104, description="Durée en semaines, ex. : 6.")
    months: int | None = Field(default=None, ge=1, le=60, description="Durée en mois, ex. : 2.")

    @model_validator(mode="after")
    def weeks_or_months(self) -> Duration:
        if (self.weeks is None) == (self.months is None):
            raise ValueError("indiquez la durée en semaines (weeks) ou en mois (months), l'un des deux seulement")
        return self

    @property
    def words(self) -> str:
        """How the label must say it: « 6 semaines », « 2 mois »."""
        if self.weeks is not None:
            return f"{self.weeks} semaine" + ("s" if self.weeks > 1 else "")
        return f"{self.months} mois"


class LeaseSigned(Source):
    """Which leases a delay applies to, by the day the lease was signed."""

    before: dt.date | None = Field(default=None, description="Baux signés avant ce jour (AAAA-MM-JJ).")
    since: dt.date | None = Field(default=None, description="Baux signés ce jour ou après (AAAA-MM-JJ).")

    @model_validator(mode="after")
    def before_or_since(self) -> LeaseSigned:
        if (self.before is None) == (self.since is None):
            raise ValueError("indiquez before (signé avant le) ou since (signé depuis le), l'un des deux seulement")
        return self

    def covers(self, signed: dt.date) -> bool:
        return signed < self.before if self.before else signed >= self.since  # type: ignore[operator]


class WinterTruce(Source):
    """A delay ending inside the trêve hivernale (1 November to 31 March, CPCE L412-6): what is said instead."""

    ends: Text = Field(
        description="Début de la phrase dite quand le délai finit pendant la trêve, suivi du 1er avril, "
        "ex. : Ce délai finit pendant la trêve hivernale : pas d'expulsion forcée avant le"
    )
    exceptions: Text = Field(
        description="Les exceptions à la trêve, en une phrase courte (CPCE L412-6 à L412-8), "
        "ex. : Sauf exceptions : relogement assuré, entrée chez quelqu'un par la force…"
    )


class Deadline(Dated):
    label: Text = Field(description="Le délai en clair, ex. : 6 semaines pour payer ou demander des délais.")
    details: Markdown | None = Field(default=None, description="Précisions, exceptions, anciens délais.")
    references: list[Id] = Field(
        min_length=1, description="Textes qui fixent ce délai (identifiants de references.yml)."
    )
    duration: Duration | None = Field(
        default=None,
        description="Pour le calcul de la date de fin sur la page : la durée écrite dans le libellé "
        "(ex. : weeks: 6 pour « 6 semaines »), comptée depuis la date inscrite sur le document.",
    )
    ends: Text | None = Field(
        default=None,
        description="Début de la phrase du calcul, suivi de la date de fin, ex. : Votre délai se termine le",
    )
    lease_signed: LeaseSigned | None = Field(
        default=None,
        description="Ce délai ne vaut que pour les baux signés avant (before) ou depuis (since) un jour donné.",
    )
    winter_truce: WinterTruce | None = Field(
        default=None,
        description="Pour un délai avant une expulsion forcée : ce que dit le calcul quand la date de fin tombe "
        "pendant la trêve hivernale (du 1er novembre au 31 mars), au lieu de cette date.",
    )
    passed: Text | None = Field(
        default=None,
        description="Ce que la personne peut encore faire quand la date de fin calculée est déjà passée, "
        "ex. : Vous pouvez encore demander des délais au juge. Appelez vite :",
    )
    passed_call: list[Id] = Field(
        default_factory=list,
        description="Les lignes à appeler, après le texte passed (identifiants de l'annuaire ; seuls leurs "
        "numéros confirmés sont montrés).",
    )
    professional: Text | None = Field(
        default=None,
        description="Le délai dit aux professionnels (référentiel), quand le libellé parle au locataire "
        "(« votre bail ») ; vide : le libellé sert aux deux.",
    )
    print_in_short: bool = Field(
        default=True,
        description="false : ce délai n'est pas imprimé dans le résumé des étapes (dépliant « La procédure, "
        "étape par étape »), où son libellé paraît seul : sans ses précisions, il tromperait le lecteur. "
        "La page, le dépliant du motif et le référentiel le montrent avec ses précisions.",
    )

    @model_validator(mode="after")
    def duration_matches_label(self) -> Deadline:
        if self.duration is None:
            if self.ends or self.lease_signed or self.winter_truce or self.passed or self.passed_call:
                raise ValueError(
                    "ends, lease_signed, winter_truce, passed et passed_call servent au calcul du délai : "
                    "indiquez aussi duration"
                )
            return self
        if not self.ends:
            raise ValueError("avec duration, écrivez ends : le début de la phrase qui donne la date de fin")
        if not self.passed:
            raise ValueError(
                "avec duration, écrivez passed : ce que la personne peut encore faire quand la date de fin est passée"
            )
        said = re.sub(r"\s+", " ", self.label)
        if not re.search(rf"(?<!\d){re.escape(self.duration.words)}\b", said):
            raise ValueError(
                f"le libellé « {self.label} » ne dit pas « {self.duration.words} » comme duration : "
                "corrigez l'un ou l'autre pour qu'ils disent le même délai"
            )
        return self


class Section(Dated):
    id: Id | None = Field(
        default=None,
        description="Identifiant stable de la partie, par lequel un courrier ou un dépliant la cite "
        "(jamais par son titre, qui peut changer). Unique dans le fichier ; une règle datée garde le même id "
        "d'une période à l'autre, pour que le renvoi suive la règle en vigueur.",
    )
    heading: Text = Field(description="Titre de la partie.")
    body: Markdown = Field(description="Le texte de la partie.")


def section_ids_are_unique(sections: list[Section]) -> list[Section]:
    """Two sections share an id only as two periods of one rule, whose dates do not overlap."""
    for index, section in enumerate(sections):
        for other in sections[:index]:
            if section.id is None or other.id != section.id:
                continue
            if (section.from_ or dt.date.min) <= (other.until or dt.date.max) and (other.from_ or dt.date.min) <= (
                section.until or dt.date.max
            ):
                raise ValueError(
                    f"id de partie « {section.id} » en double (parties « {other.heading} » et « {section.heading} ») ; "
                    "deux parties ne partagent un id que si ce sont "
                    "deux périodes d'une même règle, qui ne se chevauchent pas (until de l'une avant from de l'autre)"
                )
    return sections


# ---------------------------------------------------------------- territory


class Area(Source):
    number: int = Field(ge=1, description="Numéro de l'arrondissement (ou du secteur).")
    name: Text = Field(description="Nom affiché, ex. : 18e arrondissement.")
    postcode: Annotated[str, Field(pattern=r"^\d{5}$", description="Code postal à 5 chiffres.")]
    other_postcodes: list[Annotated[str, Field(pattern=r"^\d{5}$")]] = Field(
        default_factory=list,
        description="Autres codes postaux du même arrondissement (ex. : 75116 pour une partie du 16e).",
    )
    nearby: list[int] = Field(
        default_factory=list,
        description="Arrondissements voisins, du plus proche au plus éloigné. Quand celui-ci n'a aucun bureau "
        "confirmé, sa page « Près de chez moi » indique le plus proche de ceux-là, ouvert à tous les habitants.",
    )

    @property
    def postcodes(self) -> list[str]:
        return [self.postcode, *self.other_postcodes]


class Charter(Source):
    title: Text = Field(description="Titre de la charte.")
    signed: dt.date = Field(description="Date de signature de la charte.")
    signatories: Text = Field(description="Qui a signé la charte.")
    follow_up: dt.date | None = Field(default=None, description="Dernier comité de suivi.")
    url: HttpUrl | None = Field(default=None, description="Où lire la charte.")


class DirectoryFreshness(Source):
    """How old a contact detail may get before it is flagged, then withdrawn (the yearly campaign renews it)."""

    recheck_after_months: int = Field(
        default=12,
        ge=1,
        description="Après ce nombre de mois sans nouvelle vérification, une coordonnée est signalée "
        "« à revérifier » sur les pages professionnelles.",
    )
    unpublish_after_months: int = Field(
        default=18,
        ge=1,
        description="Après ce nombre de mois sans nouvelle vérification, une coordonnée n'est plus publiée "
        "(pages publiques, pages professionnelles et PDF).",
    )

    @model_validator(mode="after")
    def withdrawal_comes_after_flag(self) -> DirectoryFreshness:
        if self.unpublish_after_months <= self.recheck_after_months:
            raise ValueError(
                "unpublish_after_months doit être plus grand que recheck_after_months : "
                "une coordonnée est d'abord signalée, puis retirée"
            )
        return self


class DelayWords(Source):
    """The calculator's own sentences, the same on every stage page (the stage gives each delay's words)."""

    passed: Text = Field(
        description="Début de la phrase dite quand la date de fin est passée, suivi de cette date, "
        "ex. : Ce délai s'est terminé le"
    )
    day_off: Text = Field(
        description="Dite quand la date de fin tombe un samedi, un dimanche ou un jour férié ; {jour} devient "
        "« samedi », « dimanche » ou le mot holiday, ex. : C'est un {jour} : n'attendez pas le dernier jour."
    )
    holiday: Text = Field(description="Un jour férié ; {nom} devient son nom, ex. : jour férié ({nom})")
    add_to_calendar: Text = Field(description="Le bouton qui enregistre la date de fin dans l'agenda du téléphone.")
    calendar_note: Text = Field(
        description="Ce que dit l'événement de l'agenda en plus de la phrase du calcul, ex. : l'adresse de la page."
    )
    without_script: Text = Field(
        description="Pour compter sans le calcul automatique ; {duree} devient « 6 semaines » ou « 2 mois », "
        "ex. : Comptez {duree} à partir de la date inscrite sur le document."
    )
    without_script_day_off: Text = Field(
        description="Ce qu'il faut savoir d'un dernier jour qui tombe un samedi, un dimanche ou un jour férié."
    )
    without_script_truce: Text = Field(
        description="Pour un délai qui a winter_truce : la règle de la trêve, dite sans calcul."
    )

    @model_validator(mode="after")
    def placeholders_are_there(self) -> DelayWords:
        # Replaced as plain text, here and in the page's script alike: any other brace is printed as typed.
        for name, mark in (("day_off", "{jour}"), ("holiday", "{nom}"), ("without_script", "{duree}")):
            if mark not in getattr(self, name):
                raise ValueError(f"{name} doit contenir {mark}, remplacé par le jour, le nom du jour férié ou la durée")
        return self


class PublicHolidays(Source):
    """Where the public holidays come from: the `holidays` library, for a country and maybe a region."""

    country: Text = Field(default="FR", description="Code du pays (ISO 3166-1), ex. : FR.")
    subdivision: Text | None = Field(
        default=None,
        description="Code de la région quand elle a des jours fériés à elle, ex. : 57 (Moselle) ; vide : ceux "
        "de tout le pays.",
    )


class Edition(str, Enum):
    """Who publishes decides the look: the State's design system is reserved to the State."""

    etat = "etat"
    collectivite = "collectivite"


class Host(Source):
    """The host the LCEN (art. 6 III) requires the legal notice to name; each part « à compléter » until given."""

    name: Text | None = Field(default=None, description="Nom ou raison sociale de l'hébergeur.")
    address: Text | None = Field(default=None, description="Adresse postale de l'hébergeur.")
    phone: Text | None = Field(default=None, description="Téléphone de l'hébergeur.")


class Territory(Source):
    """Everything specific to one département: swap this file to reuse the tool."""

    name: Text = Field(description="Nom du territoire, ex. : Paris.")
    site_name: Text = Field(description="Nom du site, affiché en haut de chaque page.")
    site_url: HttpUrl | None = Field(
        default=None, description="Adresse publique du site (pour les liens et codes QR imprimés)."
    )
    edition: Edition = Field(
        default=Edition.collectivite,
        description="Qui publie le site : etat (un service de l'État : système de design de l'État, DSFR, et "
        "marque de l'État) ou collectivite (une collectivité : la présentation du portail, sans DSFR ni Marianne, "
        "réservés à l'État). `python build.py build --edition` le change pour une construction.",
    )
    publisher: Text = Field(description="Qui publie le site, en une phrase (mentions légales).")
    publisher_name: Text = Field(
        description="Nom court de l'éditeur : en-tête du site (édition collectivité) et documents imprimés."
    )
    brand: list[Text] = Field(
        default_factory=lambda: ["République", "française"],
        min_length=1,
        max_length=4,
        description="Bloc-marque de l'édition État : l'intitulé officiel, une ligne par élément "
        "(par défaut « République » / « française »).",
    )
    brand_entity: Text | None = Field(
        default=None,
        description="Édition État : le service qui publie, écrit sous le nom du site dans l'en-tête, "
        "ex. : DRIHL Île-de-France.",
    )
    publisher_address: Text | None = Field(
        default=None,
        description="Adresse postale de l'éditeur (LCEN, art. 6 III). Vide : « à compléter ».",
    )
    publication_director: Text | None = Field(
        default=None,
        description="Directeur ou directrice de la publication (LCEN, art. 6 III) : nom et fonction. "
        "Vide : la page Mentions légales dit « à compléter » et la construction avertit.",
    )
    host: Host = Field(
        default_factory=Host,
        description="Hébergeur du site (LCEN, art. 6 III) : name, address, phone. "
        "Un champ vide : la page Mentions légales dit « à compléter » et la construction avertit.",
    )
    accessibility_contact: Text | None = Field(
        default=None,
        description="Moyen de signaler un problème d'accessibilité (RGAA) : une adresse e-mail ou l'adresse "
        "d'un formulaire de l'éditeur, confirmée. Vide : la déclaration d'accessibilité dit « à compléter ».",
    )
    area_label: Text = Field(description="Nom d'une subdivision, ex. : arrondissement.")
    areas: list[Area] = Field(min_length=1, description="Les subdivisions du territoire.")
    hotlines: list[Id] = Field(
        min_length=1, description="Lignes d'écoute mises en avant sur chaque page (identifiants de l'annuaire)."
    )
    charter: Charter = Field(description="La charte de prévention des expulsions du territoire.")
    delay_words: DelayWords = Field(description="Les phrases du calcul des délais des pages des étapes.")
    public_holidays: PublicHolidays = Field(
        default_factory=PublicHolidays,
        description="Les jours fériés, pour dire qu'un délai finit un jour férié (bibliothèque holidays).",
    )
    directory_freshness: DirectoryFreshness = Field(
        default_factory=DirectoryFreshness,
        description="Durées (en mois) après lesquelles une coordonnée non revérifiée est signalée, puis retirée.",
    )


# ---------------------------------------------------------------- directory


class ContactKind(str, Enum):
    phone = "phone"
    email = "email"
    website = "website"
    address = "address"
    hours = "hours"


SHORT_SERVICE_NUMBER = re.compile(r"^3\d{3}$")


def phone_to_tel(value: str) -> str:
    """The `tel:` URI for a French number, national or 4-digit service number."""
    digits = re.sub(r"\D", "", value)
    if SHORT_SERVICE_NUMBER.match(digits):
        return f"tel:{digits}"
    number = phonenumbers.parse(value, "FR")
    return "tel:" + phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


CONTACT_EXPECTED = {
    ContactKind.phone: "un numéro français comme 01 23 45 67 89 ou 0 805 160 075",
    ContactKind.email: "une adresse comme nom@domaine.fr",
    ContactKind.website: "une adresse qui commence par https://",
    ContactKind.address: "une adresse postale comme 12 rue de l'Exemple, 75011 Paris",
    ContactKind.hours: "des horaires comme Mo-Fr 09:00-17:00",
}


class Contact(Source):
    kind: ContactKind = Field(
        description="phone, email, website, address ou hours (horaires d'accueil, syntaxe OpenStreetMap, "
        "ex. : Mo-We,Fr 08:30-17:00; Th 08:30-19:30)."
    )
    value: Text = Field(description="Le numéro, l'adresse e-mail, le lien ou l'adresse postale.")
    note: Text | None = Field(default=None, description="Horaires, coût de l'appel, pour qui.")
    verified: Verified | None = Field(
        default=None,
        description="Vérification de cette coordonnée. Sans vérification, elle n'est jamais publiée.",
    )

    @field_validator("value")
    @classmethod
    def value_matches_kind(cls, value: str, info: ValidationInfo) -> str:
        kind = info.data.get("kind")
        if value.lstrip().startswith(("=", "@", "\uff1d", "\uff20")):
            # Never a number, an address or a link; in a spreadsheet it would be a formula.
            raise ValueError(
                f"« {value} » commence par « {value.lstrip()[0]} » (formule de tableur) ; attendu : "
                + CONTACT_EXPECTED.get(kind, "la coordonnée elle-même")
            )
        if kind is ContactKind.phone:
            if not re.match(r"^\s*(\+\s*)?[\d(]", value):
                raise ValueError(
                    f"numéro de téléphone invalide « {value} » ; attendu : "
                    "un numéro français comme 01 23 45 67 89 ou 0 805 160 075"
                )
            digits = re.sub(r"\D", "", value)
            if not SHORT_SERVICE_NUMBER.match(digits):
                try:
                    ok = phonenumbers.is_valid_number(phonenumbers.parse(value, "FR"))
                except phonenumbers.NumberParseException:
                    ok = False
                if not ok:
                    raise ValueError(
                        f"numéro de téléphone invalide « {value} » ; attendu : "
                        "un numéro français comme 01 23 45 67 89 ou 0 805 160 075"
                    )
        elif kind is ContactKind.email:
            if not re.match(r"^[\w.]", value):
                raise ValueError(f"adresse e-mail invalide « {value} » ; attendu : une adresse comme nom@domaine.fr")
            try:
                validate_email(value, check_deliverability=False)
            except EmailNotValidError:
                raise ValueError(
                    f"adresse e-mail invalide « {value} » ; attendu : une adresse comme nom@domaine.fr"
                ) from None
        elif kind is ContactKind.website and not re.match(r"^https://[^\s/]+\.[^\s/]+", value):
            raise ValueError(f"lien invalide « {value} » ; attendu : une adresse qui commence par https://")
        elif kind is ContactKind.hours:
            parse_opening_hours(value)
        return value

    @property
    def shown_value(self) -> str:
        """What a reader sees: the value itself, or the hours as a French sentence."""
        return opening_hours_in_french(self.value) if self.kind is ContactKind.hours else self.value

    @property
    def is_public(self) -> bool:
        return self.verified is not None

    @property
    def href(self) -> str | None:
        if self.kind is ContactKind.phone:
            return phone_to_tel(self.value)
        if self.kind is ContactKind.email:
            return f"mailto:{self.value}"
        if self.kind is ContactKind.website:
            return self.value
        return None


class OrganisationKind(str, Enum):
    state = "etat"
    local_authority = "collectivite"
    public_body = "organisme-public"
    justice = "justice"
    association = "association"
    landlords = "bailleurs"
    professionals = "professionnels"
    hotline = "ligne-telephonique"


class Audience(str, Enum):
    tenants = "locataires"
    landlords = "bailleurs"
    professionals = "professionnels"


T = TypeVar("T")


class Period(Dated, Generic[T]):
    """One period of a directory field whose value changes on a known date (the CAF's role on 1 January 2027)."""

    value: T = Field(description="La valeur du champ pendant cette période.")


def periods_do_not_overlap(periods: list[Any]) -> list[Any]:
    """Two periods of one field never apply on the same day: the field has one value each day."""
    for index, period in enumerate(periods):
        for other in periods[:index]:
            if (period.from_ or dt.date.min) <= (other.until or dt.date.max) and (other.from_ or dt.date.min) <= (
                period.until or dt.date.max
            ):
                raise ValueError(
                    f"les périodes {periods.index(other) + 1} et {index + 1} se chevauchent ; une seule valeur "
                    "s'applique chaque jour : terminez l'une (until) la veille du début de l'autre (from)"
                )
    return periods


DATEABLE_TAGS = ("<valeur>", "<périodes>")  # the two forms of a dated field, as pydantic names them in an error's path


def _value_or_periods(value: Any) -> str:
    """A list of groups (« - from: … value: … ») is a field written once per period; anything else is its value."""
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        return DATEABLE_TAGS[1]
    return DATEABLE_TAGS[0]


def dateable(kind: Any, period: Any) -> Any:
    """A directory field written either as its value, or once per period like a stage's sections:
    `role: [{until: 2026-12-31, value: …}, {from: 2027-01-01, value: …}]`."""
    return Annotated[
        Union[  # noqa: UP007 (a tagged union needs the Union form)
            Annotated[kind, Tag(DATEABLE_TAGS[0])],
            Annotated[list[period], AfterValidator(periods_do_not_overlap), Tag(DATEABLE_TAGS[1])],
        ],
        Discriminator(_value_or_periods),
    ]


def is_periods(value: Any) -> bool:
    """A field as written in directory/, once per period (before `dated.py` keeps the value of the build day)."""
    return isinstance(value, list) and bool(value) and all(isinstance(item, Period) for item in value)


def _areas_is_scope_or_numbers(value: Any) -> Any:
    if value in ("all", "national"):
        return value
    if isinstance(value, list) and value and all(isinstance(n, int) for n in value):
        return value
    raise ValueError(
        f"valeur « {value} » non prévue ; attendu : all (tout le territoire), "
        "national (ligne nationale) ou une liste de numéros, par exemple [18, 19]"
    )


Areas = Annotated[Literal["all", "national"] | list[int], BeforeValidator(_areas_is_scope_or_numbers)]


class TextPeriod(Period[Text]):
    pass


class MarkdownPeriod(Period[Markdown]):
    pass


class TextsPeriod(Period[list[Text]]):
    pass


class KindPeriod(Period[OrganisationKind]):
    pass


class AudiencesPeriod(Period[Annotated[list[Audience], Field(min_length=1)]]):
    pass


class AreasPeriod(Period[Areas]):
    pass


class AreaPeriod(Period[int]):
    pass


FIELD_WORDS = {  # how a page names a directory field whose value changes on a known date
    "name": "Nom",
    "short_name": "Sigle",
    "former_names": "Anciens noms",
    "kind": "Type",
    "role": "Son rôle",
    "audiences": "Pour qui",
    "areas": "Territoire",
    "located_in": "Arrondissement",
}


class FieldChange:
    """A directory field's other period shown on the build day: the next value (« À partir du … ») or the old one
    kept as « jusqu'au … » until its `shown_until`."""

    def __init__(self, field: str, period: Period[Any]) -> None:
        self.field = field
        self.period = period

    @property
    def label(self) -> str:
        return FIELD_WORDS.get(self.field, self.field)

    @property
    def timing(self) -> str:
        return self.period.timing

    @property
    def from_(self) -> dt.date | None:
        return self.period.from_

    @property
    def until(self) -> dt.date | None:
        return self.period.until

    @property
    def text(self) -> str:
        value = self.period.value
        if isinstance(value, list):
            return ", ".join(getattr(v, "value", str(v)) for v in value)
        return getattr(value, "value", str(value))


class Organisation(Source):
    """A record of the directory. Every field but its id, contacts and verification may be written once per
    period (from, until, value), like a stage's sections: the pages, PDFs and open data show the value of the
    build day, and the next one in an « À partir du … » box within its notice period."""

    id: Id
    name: dateable(Text, TextPeriod) = Field(description="Nom complet actuel.")
    short_name: dateable(Text, TextPeriod) | None = Field(
        default=None, description="Sigle ou nom court, ex. : CAF de Paris."
    )
    former_names: dateable(list[Text], TextsPeriod) = Field(
        default_factory=list, description="Anciens noms, pour qu'on la retrouve."
    )
    kind: dateable(OrganisationKind, KindPeriod) = Field(description="Type d'organisme.")
    role: dateable(Markdown, MarkdownPeriod) = Field(
        description="Ce qu'elle fait pour prévenir les expulsions, en deux ou trois phrases. "
        "Une règle qui change à une date connue s'écrit une fois par période : "
        "- until: 2026-12-31, value: … puis - from: 2027-01-01, value: …"
    )
    audiences: dateable(Annotated[list[Audience], Field(min_length=1)], AudiencesPeriod) = Field(
        description="Pour qui : locataires, bailleurs, professionnels."
    )
    areas: dateable(Areas, AreasPeriod) = Field(
        description="« all » (tout le territoire), « national » (ligne nationale) "
        "ou la liste des numéros d'arrondissement servis."
    )
    located_in: dateable(int, AreaPeriod) | None = Field(
        default=None, description="Numéro de l'arrondissement où elle se trouve."
    )
    aliases: list[Text] = Field(
        default_factory=list,
        description="Autres noms sous lesquels les textes la citent (ex. : ADIL, CAF) : la vérification "
        "« contact-injoignable » les reconnaît quand un texte demande de la joindre.",
    )
    reached_through: list[Id] = Field(
        default_factory=list,
        description="Quand elle n'a pas de coordonnée confirmée : les lignes ou organismes de l'annuaire par "
        "lesquels on la joint (ex. : sos-loyers-impayes pour l'ADIL, dont la ligne oriente les appels vers elle).",
    )
    contacts: list[Contact] = Field(default_factory=list, description="Coordonnées.")
    verified: Verified | None = Field(
        default=None,
        description="Dernière vérification de la fiche par l'organisme (campagne annuelle). Vide : fiche à confirmer.",
    )
    _changes: list[FieldChange] = PrivateAttr(default_factory=list)
    _until: dict[str, dt.date] = PrivateAttr(default_factory=dict)

    @property
    def changes(self) -> list[FieldChange]:
        """The other periods of its dated fields shown on the build day (set by `dated.py`)."""
        return self._changes

    def changes_of(self, field: str) -> list[FieldChange]:
        return [c for c in self._changes if c.field == field]

    def until_of(self, field: str) -> dt.date | None:
        """The last day of the value shown, when a dated field changes after it."""
        return self._until.get(field)

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def public_contacts(self) -> list[Contact]:
        return [c for c in self.contacts if c.is_public]

    def serves(self, area: int) -> bool:
        return self.areas in ("all", "national") or area in self.areas


# ---------------------------------------------------------------- référentiel


class PublishedPage(Source):
    """Fields shared by every source that becomes a public page."""

    review: Review = Field(description="État de relecture et de validation de la page.")
    verified: Verified = Field(description="Quand et par qui le contenu a été vérifié.")
    editor_notes: Markdown | None = Field(
        default=None,
        description="Notes de rédaction (points à confirmer, consignes) : visibles seulement dans l'aperçu "
        "(make serve), jamais publiées ni imprimées.",
    )


class Reassurance(Source):
    """What is true and calming at this point, shown as a callout on the first screen of the tenant page."""

    heading: Annotated[str, Field(min_length=1, max_length=80)] = Field(
        description="Une phrase courte et vraie, en gras, ex. : Ce n'est pas encore une expulsion."
    )
    body: Annotated[str, Field(min_length=1, max_length=200)] = Field(
        description="Une ou deux phrases qui disent pourquoi, ex. : Aucun juge n'a décidé. "
        "Vous pouvez rester chez vous."
    )


class StepWordings(Source):
    """A « que faire » step worded for each reader, when the household letter must say it otherwise."""

    text: Markdown = Field(description="L'action, telle que la page (et le dépliant) la dit.")
    letter: Markdown | None = Field(
        description="La même action dans le courrier au ménage, qui imprime déjà les dates (dites « avant la date "
        "de l'encadré « Votre délai » », jamais « comptez 6 semaines ») ; null : l'action n'y figure pas."
    )


class ActionText(str):
    """A step as every page shows it (a string), with the household letter's own wording when it differs."""

    letter: str | None

    def __new__(cls, text: str, letter: str | None) -> ActionText:
        made = super().__new__(cls, text)
        made.letter = letter
        return made


def _as_action(value: str | StepWordings) -> str:
    return ActionText(value.text, value.letter) if isinstance(value, StepWordings) else value


def letter_wording(step: str) -> str | None:
    """How the household letter says a step: its own wording, the page's, or None (left out)."""
    return step.letter if isinstance(step, ActionText) else step


WhatToDo = Annotated[Markdown | StepWordings, AfterValidator(_as_action)]


class PracticalBox(Source):
    """A box of practical facts for one moment of the procedure (« Le jour de l'audience »)."""

    heading: Text = Field(description="Titre de l'encadré, ex. : Le jour de l'audience.")
    place: Id | None = Field(
        default=None,
        description="Organisme de l'annuaire dont l'adresse confirmée est affichée dans l'encadré, "
        "ex. : tribunal-judiciaire-paris (l'adresse n'est écrite qu'une fois, dans l'annuaire).",
    )
    body: Markdown = Field(description="Ce qu'il faut savoir ce jour-là, une liste « - » courte.")


class ActorRole(Source):
    organisation: Id = Field(description="Identifiant de l'organisme dans l'annuaire.")
    role: Markdown = Field(description="Ce que fait cet acteur à cette étape.")


class TenantGuidance(PublishedPage):
    """What a stage page and a ground page both tell a tenant."""

    id: Id
    order: int = Field(ge=1, description="Place de la page dans sa rubrique (1 = la première).")
    title: Text = Field(description="Titre de la page, ex. : Le commandement de payer.")
    summary: Text = Field(description="La page en une phrase simple.")
    reassurance: Reassurance = Field(
        description="Ce qui est vrai et rassurant à ce moment (encadré en haut de la page), "
        "ex. : heading: Ce n'est pas encore une expulsion."
    )
    what_it_means: Markdown = Field(description="Ce que cela veut dire pour le locataire.")
    sections: Annotated[list[Section], AfterValidator(section_ids_are_unique)] = Field(
        default_factory=list,
        description="Parties qui suivent « Ce que cela veut dire », éventuellement datées (from, until).",
    )
    deadlines: list[Deadline] = Field(default_factory=list, description="Les délais, avec les textes qui les fixent.")
    practical_box: PracticalBox | None = Field(
        default=None, description="Un encadré pratique après « Ce que cela veut dire », ex. : Le jour de l'audience."
    )
    what_to_do: list[WhatToDo] = Field(
        min_length=1,
        description="Que faire maintenant : une action par ligne ; ou, quand le courrier au ménage la dit "
        "autrement, text: (la page) et letter: (le courrier, null pour l'omettre).",
    )
    who_can_help: list[Id] = Field(default_factory=list, description="Organismes qui peuvent aider (annuaire).")
    references: list[Id] = Field(default_factory=list, description="Textes de loi (identifiants).")


class Stage(TenantGuidance):
    document: Text | None = Field(
        default=None,
        description="Le document que reçoit le locataire à cette étape, tel qu'il le nomme "
        "(page d'accueil : « Quel document avez-vous reçu ? »).",
    )
    professional_summary: Text = Field(
        description="L'étape en une phrase pour les professionnels (référentiel), sans s'adresser au locataire."
    )
    schemes: list[Id] = Field(default_factory=list, description="Dispositifs mobilisables à cette étape.")
    actors: list[ActorRole] = Field(
        default_factory=list, description="Rôle de chaque acteur à cette étape (référentiel)."
    )
    professional_notes: Markdown | None = Field(
        default=None, description="Points de vigilance pour les professionnels (référentiel)."
    )


class Ground(TenantGuidance):
    document: Text | None = Field(
        default=None,
        description="Le document que reçoit le locataire pour ce motif, tel qu'il le nomme "
        "(page d'accueil : « Quel document avez-vous reçu ? »), ex. : Un congé de mon propriétaire.",
    )
    differences: list[Markdown] = Field(
        min_length=1, description="Ce qui change par rapport à la procédure pour impayés."
    )
    stages: list[Id] = Field(default_factory=list, description="Étapes de la procédure qui s'appliquent aussi.")


class Scheme(PublishedPage):
    id: Id
    name: Text = Field(description="Nom du dispositif, ex. : Fonds de solidarité pour le logement (FSL).")
    category: Text = Field(description="Famille : aide financière, accompagnement social, aide juridique…")
    summary: Text = Field(description="Le dispositif en une phrase, pour le public.")
    landlord_summary: Text | None = Field(
        default=None,
        description="Le dispositif en une phrase pour les propriétaires bailleurs (guide des propriétaires, "
        "pages et PDF) : elle s'adresse au bailleur (« votre locataire »), jamais « pour vous aider à garder "
        "votre logement ». Obligatoire pour un dispositif que cite un chapitre de content/bailleurs/.",
    )
    description: Markdown = Field(description="Fonctionnement détaillé, pour les professionnels.")
    sections: Annotated[list[Section], AfterValidator(section_ids_are_unique)] = Field(
        default_factory=list, description="Parties qui suivent la description, éventuellement datées (from, until)."
    )
    for_whom: Markdown = Field(description="Qui peut en bénéficier.")
    how_to_apply: Markdown = Field(description="Comment le demander.")
    operated_by: list[Id] = Field(default_factory=list, description="Organismes qui le mettent en œuvre.")
    references: list[Id] = Field(default_factory=list, description="Textes de loi (identifiants).")


class Step(Source):
    what: Text = Field(description="Quoi (texte de la charte).")
    when: Text | None = Field(default=None, description="Quand (texte de la charte).")
    who: list[Id] = Field(default_factory=list, description="Qui : identifiants de l'annuaire.")
    who_note: Text | None = Field(
        default=None, description="Qui, quand ce n'est pas un organisme de l'annuaire (ex. : tous les partenaires)."
    )


class StepGroup(Source):
    heading: Text | None = Field(default=None, description="Intitulé du volet, si l'action en a plusieurs.")
    steps: list[Step] = Field(min_length=1, description="Les étapes de ce volet : quoi, quand, qui.")
    means: Text | None = Field(default=None, description="Moyens propres à ce volet.")


class CharterAction(Source):
    number: int = Field(ge=1, description="Numéro de l'action dans la charte.")
    title: Text = Field(description="Titre de l'action (texte de la charte).")
    objective: Markdown = Field(description="Objectif de l'action (texte de la charte).")
    description: Markdown = Field(description="Description de l'action (texte de la charte).")
    coordinators: list[Id] = Field(min_length=1, description="Pilotes de l'action (annuaire).")
    partners: list[Id] = Field(default_factory=list, description="Partenaires associés (annuaire).")
    partners_note: Text | None = Field(
        default=None, description="Partenaires décrits sans être nommés (ex. : les membres de la CCAPEX)."
    )
    means: Text = Field(description="Moyens de l'action (texte de la charte).")
    calendar: Text = Field(description="Calendrier de l'action (texte de la charte).")
    step_groups: list[StepGroup] = Field(min_length=1, description="Détail de la démarche.")
    law_note: Markdown | None = Field(
        default=None,
        description="Ce qui a changé dans la loi depuis la charte (2017), quand la fiche cite une règle qui "
        "n'est plus en vigueur (ex. : des seuils fixés par arrêté, nationaux depuis 2023) : la fiche reste "
        "citée telle quelle, la note s'affiche sous sa description.",
    )


class IndicatorSet(Source):
    organisation: Id = Field(description="Partenaire qui transmet ces données chaque année.")
    indicators: list[Text] = Field(min_length=1, description="Les indicateurs que ce partenaire transmet.")


class Indicators(Source):
    """Action 2: the yearly figures each partner sends."""

    intro: Markdown = Field(description="Texte d'introduction de la page des indicateurs.")
    collected_by: Id = Field(description="Organisme de l'annuaire qui rassemble les chiffres.")
    sets: list[IndicatorSet] = Field(min_length=1, description="Les données demandées à chaque partenaire.")


class References(Source):
    references: list[LegalReference] = Field(min_length=1, description="Les textes de loi cités, chacun avec son id.")


class YearlyValue(Source):
    year: int = Field(ge=2000, le=2100, description="L'année de ce montant.")
    amount: int = Field(ge=0, description="Le montant en euros, sans espace ni symbole (ex. : 4005).")
    source: Text = Field(description="Où ce montant a été relevé (texte officiel, fiche service-public…).")


class LegalFigure(Source):
    """A figure that changes every year, e.g. the monthly social-security ceiling."""

    id: Id
    label: Text = Field(description="Nom du chiffre, ex. : plafond mensuel de la sécurité sociale (PMSS).")
    values: list[YearlyValue] = Field(min_length=1, description="Un montant par année.")


class ComputedAmount(Source):
    """An amount the law sets as a multiple of a yearly figure: computed for the build year, never typed."""

    id: Id
    label: Text = Field(description="Ce que vaut ce montant, ex. : amende du bailleur qui ne signale pas l'impayé.")
    figure: Id = Field(description="Le chiffre annuel dont il dépend (id dans figures).")
    times: int = Field(ge=1, description="Combien de fois ce chiffre (ex. : 2 pour « deux fois le PMSS »).")


class LegalFigures(Source):
    """Yearly figures of the law and the amounts computed from them; texts cite them as {{ id }}."""

    figures: list[LegalFigure] = Field(min_length=1, description="Les chiffres annuels, avec leur année.")
    amounts: list[ComputedAmount] = Field(default_factory=list, description="Les montants calculés.")


# ---------------------------------------------------------------- content


class ChecklistItem(Dated):
    """One thing to do, possibly for a period only (the CAF rule until 31 December 2026, then the next one)."""

    text: Markdown = Field(description="La chose à faire, en une ou deux phrases courtes.")
    call: Id | None = Field(
        default=None,
        description="Organisme de l'annuaire dont le téléphone confirmé suit le texte (ex. : sos-loyers-impayes) ; "
        "le numéro n'est écrit qu'une fois, dans l'annuaire.",
    )


class Checklist(Source):
    """A short list shown first on its page (the landlord guide: the first week after an unpaid rent)."""

    heading: Text = Field(description="Titre de la liste, ex. : La première semaine.")
    items: list[ChecklistItem] = Field(min_length=1, description="Les choses à faire, dans l'ordre.")


class Conformity(str, Enum):
    """The RGAA's three states of conformity, as the accessibility statement and the State footer say them."""

    non = "non"
    partiellement = "partiellement"
    totalement = "totalement"


class GuidePage(PublishedPage):
    """A page of plain sections: public pages and landlord guide chapters."""

    id: Id
    order: int = Field(ge=1, description="Place de la page dans sa rubrique.")
    title: Text = Field(description="Titre de la page.")
    summary: Text | None = Field(default=None, description="La page en une phrase.")
    print_summary: Text | None = Field(
        default=None,
        description="Le résumé imprimé en tête d'un dépliant ou d'une affiche, quand celui de la page parle "
        "du site (« Ce site… ») : sur papier, « Ce document… ». Vide : le résumé de la page.",
    )
    checklist: Checklist | None = Field(
        default=None,
        description="Une liste courte en tête de la page ; celle du premier chapitre du guide des propriétaires "
        "ouvre aussi le guide (page d'accueil des propriétaires et premier écran du PDF).",
    )
    sections: Annotated[list[Section], AfterValidator(section_ids_are_unique)] = Field(
        min_length=1, description="Les parties de la page, éventuellement datées (from, until)."
    )
    schemes: list[Id] = Field(default_factory=list, description="Dispositifs cités (annuaire des dispositifs).")
    who_can_help: list[Id] = Field(default_factory=list, description="Organismes qui peuvent aider (annuaire).")
    references: list[Id] = Field(default_factory=list, description="Textes de loi (identifiants).")
    conformity: Conformity | None = Field(
        default=None,
        description="Déclaration d'accessibilité seulement : l'état de conformité au RGAA que la déclaration "
        "établit (non, partiellement, totalement) ; le pied de page de l'édition État le reprend. "
        "Sans audit complet, « non ».",
    )

    @field_validator("sections")
    @classmethod
    def headings_are_unique(cls, sections: list[Section]) -> list[Section]:
        # The same heading may come back for another period (the rule until 31 December, the rule from 1 January).
        seen = [(s.heading, s.from_, s.until) for s in sections]
        doubles = {key[0] for key in seen if seen.count(key) > 1}
        if doubles:
            raise ValueError(f"titres de parties en double : {', '.join(sorted(doubles))}")
        return sections


# ---------------------------------------------------------------- glossary


class GlossaryTerm(Source):
    """A word of the procedure a tenant may not know: explained at its first use on each tenant page."""

    acronym: Annotated[str, Field(min_length=2, max_length=12)] | None = Field(
        default=None,
        description="Le sigle, tel qu'il est écrit dans les textes, ex. : CCAPEX. Vide pour un terme sans sigle.",
    )
    expansion: Text = Field(
        description="Le sigle en toutes lettres (info-bulle sur les pages, liste des sigles du référentiel), "
        "ex. : commission de coordination des actions de prévention des expulsions locatives.",
    )
    plain: Text | None = Field(
        default=None,
        description="Le sens en mots simples, écrit entre parenthèses après la première mention du terme sur "
        "chaque page pour les locataires, ex. : la commission qui cherche des solutions pour éviter l'expulsion. "
        "Vide : le sigle n'a que son info-bulle.",
    )
    forms: list[Text] = Field(
        default_factory=list,
        description="Les formes du terme à reconnaître dans les textes, ex. : SCI familiale, SCI familiales. "
        "Vide : le sigle et le terme en toutes lettres.",
    )
    source: Text = Field(description="D'où vient la définition (texte de loi, fiche officielle, charte…).")

    @property
    def written(self) -> tuple[str, ...]:
        """The forms searched for in the texts, longest first (« SCI familiales » before « SCI familiale »)."""
        forms = self.forms or [f for f in (self.acronym, self.expansion) if f]
        return tuple(sorted(dict.fromkeys(forms), key=len, reverse=True))

    def as_term(self) -> Term:
        return Term(self.acronym or self.expansion, self.acronym, self.expansion, self.plain, self.written)


class Glossary(Source):
    """The words of the procedure (referentiel/glossaire.yml): tenant pages explain them, the référentiel lists the
    acronyms."""

    intro: Text | None = Field(
        default=None, description="La phrase qui ouvre la liste des sigles (page web et PDF du référentiel)."
    )
    terms: list[GlossaryTerm] = Field(min_length=1, description="Les termes, un par sigle ou par mot.")

    @field_validator("terms")
    @classmethod
    def each_term_once(cls, terms: list[GlossaryTerm]) -> list[GlossaryTerm]:
        seen: dict[str, str] = {}
        for term in terms:
            for form in term.written:
                key = form.casefold()
                if key in seen and seen[key] != term.expansion:
                    raise ValueError(
                        f"« {form} » est déjà la forme d'un autre terme ({seen[key]}) ; "
                        "une forme ne désigne qu'un terme"
                    )
                seen[key] = term.expansion
        return terms

    @property
    def acronyms(self) -> list[GlossaryTerm]:
        """The list of acronyms (« Les sigles ») of the référentiel, in alphabetical order."""
        return sorted((t for t in self.terms if t.acronym), key=lambda t: (t.acronym or "").casefold())


# Which model reads which files: the single map the loader and the JSON Schema
# export share. Glob patterns are relative to the project root.
SOURCE_KINDS: dict[str, tuple[str, type[Source]]] = {
    "territory": ("content/territoire.yml", Territory),
    "pages": ("content/pages/*.yml", GuidePage),
    "landlord_guide": ("content/bailleurs/*.yml", GuidePage),
    "references": ("referentiel/references.yml", References),
    "stages": ("referentiel/etapes/*.yml", Stage),
    "grounds": ("referentiel/motifs/*.yml", Ground),
    "schemes": ("referentiel/dispositifs/*.yml", Scheme),
    "actions": ("referentiel/actions/*.yml", CharterAction),
    "indicators": ("referentiel/indicateurs.yml", Indicators),
    "organisations": ("directory/*.yml", Organisation),
}


# ---------------------------------------------------------------- print documents


class PaperSize(str, Enum):
    a3 = "A3"
    a4 = "A4"
    a5 = "A5"


class FlyerLayout(str, Enum):
    leaflet = "depliant"
    poster = "affiche"
    landlord_guide = "guide-bailleurs"
    referentiel = "referentiel"
    directory = "annuaire"


class StagesBlock(str, Enum):
    in_short = "en-bref"
    documents = "documents"


class PrintFormat(Source):
    size: PaperSize = Field(description="Format du papier : A3, A4 ou A5.")
    pages: int = Field(
        ge=1,
        description="Nombre de pages prévu (une feuille recto verso = 2, une feuille A4 pliée en A5 = 4). "
        "Un dépliant, une affiche ou le guide plus long fait échouer la construction ; le référentiel et "
        "l'annuaire grandissent avec les sources : au-delà, la construction le signale et les publie.",
    )


class PageSection(Source):
    page: Id = Field(description="Page du site (content/pages/) d'où vient la partie.")
    section: Id = Field(description="Identifiant (id) de la partie dans cette page ; jamais son titre.")


class Flyer(Source):
    """A print document: which source blocks it takes, never its own copy of a text."""

    id: Id = Field(description="Identifiant ; il nomme aussi les PDF (ex. : depliant-prevention-a4.pdf).")
    title: Text = Field(description="Nom du document : titre du PDF et de la liste « Documents à imprimer ».")
    layout: FlyerLayout = Field(
        description="depliant, affiche, guide-bailleurs (tout content/bailleurs/), "
        "referentiel (tout referentiel/) ou annuaire (directory/ : un volume pour tout le territoire, "
        "un par arrondissement qui a ses propres organismes)."
    )
    audience: Audience = Field(description="Pour qui : locataires, bailleurs ou professionnels.")
    formats: list[PrintFormat] = Field(min_length=1, description="Formats produits, chacun avec son nombre de pages.")
    print_shop: bool = Field(
        default=False,
        description="Produire aussi une version pour l'imprimeur : fonds perdus de 3 mm et traits de coupe.",
    )
    intro: Id | None = Field(
        default=None, description="Page du site (content/pages/) dont le titre et le résumé ouvrent le document."
    )
    ground: Id | None = Field(
        default=None,
        description="Motif d'expulsion (referentiel/motifs/) : son résumé, ce qui change, ses délais, "
        "que faire et ses étapes.",
    )
    stages: StagesBlock | None = Field(
        default=None,
        description="Les étapes de la procédure : « en-bref » (résumé et délais de chaque étape) "
        "ou « documents » (le document reçu à chaque étape).",
    )
    sections: list[PageSection] = Field(default_factory=list, description="Parties de pages du site reprises.")
    who_can_help: list[Id] = Field(
        default_factory=list,
        description="Organismes de l'annuaire cités, avec leurs coordonnées vérifiées ; un organisme sans "
        "coordonnée vérifiée n'est pas imprimé (le lecteur ne pourrait pas le joindre).",
    )
    facts_left_out: list[Text] = Field(
        default_factory=list,
        description="Début des phrases de « differences » du motif que ce dépliant n'imprime pas sous "
        "« Ce qu'il faut savoir » : celles qui parlent du site ou de la procédure (« C'est la procédure de "
        "référence »), pas au lecteur. Chacune doit commencer une phrase du motif.",
    )

    @model_validator(mode="after")
    def layout_has_its_blocks(self) -> Flyer:
        short = self.layout in (FlyerLayout.leaflet, FlyerLayout.poster)
        if short and not (self.intro or self.ground):
            raise ValueError("un dépliant ou une affiche commence par une page (intro) ou par un motif (ground)")
        sizes = [f.size.value for f in self.formats]
        doubles = sorted({s for s in sizes if sizes.count(s) > 1})
        if doubles:
            raise ValueError(f"format en double : {', '.join(doubles)} ; un seul par format")
        return self


SOURCE_KINDS["flyers"] = ("flyers/*.yml", Flyer)


# ---------------------------------------------------------------- yearly campaign and partners' figures


class CampaignReturn(Source):
    file: Text = Field(description="Nom du fichier de réponse importé.")
    received: dt.date = Field(description="Date de l'import (AAAA-MM-JJ).")
    digest: Text = Field(description="Empreinte SHA-256 du fichier : le même fichier importé deux fois ne change rien.")


class CampaignSending(Source):
    organisation: Id = Field(description="Organisme de l'annuaire à qui le dossier a été envoyé.")
    sent: dt.date = Field(description="Date d'envoi du dossier (AAAA-MM-JJ).")
    files: list[Text] = Field(min_length=1, description="Fichiers envoyés (dossier PDF, fichier de réponse).")
    token_digest: Text | None = Field(
        default=None,
        description="Empreinte SHA-256 du code de l'envoi écrit dans le fichier de réponse : un retour n'est appliqué "
        "qu'à l'organisme et à la campagne de son code. Le code lui-même n'est gardé nulle part.",
    )
    returns: list[CampaignReturn] = Field(default_factory=list, description="Fichiers de réponse déjà importés.")


class Campaign(Source):
    """Action 6: the yearly refresh of the directory. Written by `annuaire campagne`, read by `annuaire etat`."""

    year: int = Field(ge=2000, description="Année de la campagne, ex. : 2027.")
    started: dt.date = Field(description="Début de la campagne : une fiche confirmée depuis cette date a répondu.")
    sendings: list[CampaignSending] = Field(default_factory=list, description="Qui a reçu quoi, et quand.")


class Figure(Source):
    indicator: Text = Field(description="L'indicateur, tel qu'il est écrit dans referentiel/indicateurs.yml.")
    value: int | None = Field(default=None, ge=0, description="Le chiffre transmis ; vide s'il n'a pas été fourni.")


class PartnerFigures(Source):
    organisation: Id = Field(description="Partenaire qui a transmis ces chiffres.")
    received: dt.date = Field(description="Date de réception des chiffres.")
    source: Text = Field(description="D'où viennent les chiffres (fichier de réponse, courrier…).")
    figures: list[Figure] = Field(min_length=1, description="Un chiffre par indicateur.")


class YearFigures(Source):
    """Action 2: the figures of one year, as the partners sent them. A partner absent here has not answered."""

    year: int = Field(ge=2000, description="Année dont les chiffres parlent (n-1 de la campagne).")
    partners: list[PartnerFigures] = Field(default_factory=list, description="Les réponses reçues.")


# ---------------------------------------------------------------- the site's search


# One word, as a reader types it: letters only (« huissier », « squat »).
SearchWord = Annotated[str, Field(pattern=r"^[^\W\d_]{2,}$")]


class SearchWords(Source):
    """content/recherche.yml: the words readers type that the pages say in other words. The search index
    (search.py) files every place that says « commissaire de justice » under « huissier » too."""

    synonyms: dict[SearchWord, list[Text]] = Field(
        default_factory=dict,
        description=(
            "Pour chaque mot que les lecteurs tapent (un seul mot, ex. : huissier), les mots ou expressions "
            "des pages qui lui répondent (ex. : commissaire de justice)."
        ),
    )
    first: dict[SearchWord, Annotated[str, Field(pattern=r"^/([a-z0-9-]+/)*$")]] = Field(
        default_factory=dict,
        description=(
            "Pour un mot, l'adresse de la page à montrer en tête des résultats qui contiennent ce mot "
            "(ex. : huissier: /etapes/commandement-de-payer/)."
        ),
    )


# Files that may be absent: a project before its first campaign has none.
OPTIONAL_SOURCE_KINDS: dict[str, tuple[str, type[Source]]] = {
    "campaigns": ("directory/campagnes/*.yml", Campaign),
    "figures": ("referentiel/chiffres/*.yml", YearFigures),
    "legal_figures": ("referentiel/baremes.yml", LegalFigures),
    "glossary": ("referentiel/glossaire.yml", Glossary),
    "search_words": ("content/recherche.yml", SearchWords),
}
ALL_SOURCE_KINDS = {**SOURCE_KINDS, **OPTIONAL_SOURCE_KINDS}
