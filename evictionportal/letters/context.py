"""What each letter says: the words of the sources, the dates of the register, nothing else.

What is the same for every letter (the stage's texts, the schemes, the hotlines, the help of each
arrondissement) is gathered once per run in `LetterSources`; a letter adds only its own dates,
address and reference.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field

from .. import schema
from ..delays import DelayCalendar, DelayOutcome, calculator_outcomes, delay_calendar
from ..load import Sources
from ..pages import Paths
from ..printing.context import Helper, Hotline, QRCode, helpers, hotlines, qr_code, reachable
from ..printing.plan import page_url
from ..relations import organisations_serving, visible_sources
from ..text import french_date
from .address import MAX_LINES
from .config import LettersConfig
from .records import Commandement


@dataclass(frozen=True)
class SenderBlock:
    name: str
    service: str | None
    address: list[str]
    case_handler: str | None
    signature: str | None
    place: str
    email: str | None = None


@dataclass(frozen=True)
class AreaHelpers:
    """Who the back side of a household letter names, nearest first, each with a confirmed contact."""

    near: list[Helper]  # the arrondissement's own offices, then those located in it
    city_wide: list[Helper]  # then the stage's helpers for the whole territory, then its national lines
    no_local: bool = False  # no office of the arrondissement has a confirmed contact: the letter says so


@dataclass
class LetterSources:
    """Everything every letter of a run shares, taken once from the sources and content/courriers.yml."""

    config: LettersConfig
    sender: SenderBlock
    territory: schema.Territory
    stage: schema.Stage
    household_schemes: list[schema.Scheme]
    tenant_hotlines: list[Hotline]
    landlord_hotlines: list[Hotline]
    landlord_sections: list[schema.Section]
    landlord_schemes: list[schema.Scheme]
    household_qr: QRCode | None
    landlord_qr: QRCode | None
    verified: dt.date
    missing: list[str]  # sender fields still to fill: the letters are proofs until then
    no_site_url: bool
    helpers_by_area: dict[int, AreaHelpers] = field(default_factory=dict)
    privacy: str = ""  # what goes to the CAF, by whom, why (content/courriers.yml, household.privacy)
    letter_steps: list[str] = field(default_factory=list)  # the stage's steps as the household letter says them
    calendar: DelayCalendar | None = None  # the letters' date and the holidays: the site's delay rules (delays.py)

    @property
    def proof(self) -> bool:
        return bool(self.missing) or self.no_site_url


def letter_sources(sources: Sources, config: LettersConfig) -> LetterSources:
    """Gather once what every letter shows; only published sources are used."""
    shown = visible_sources(sources, include_drafts=False)
    stage = next(s for s in shown.stages if s.id == config.household.stage)
    chapter = next(c for c in shown.landlord_guide if c.id == config.landlord.chapter)
    org = shown.organisations[config.sender.organisation]
    url = str(shown.territory.site_url) if shown.territory.site_url else None
    sender = config.sender
    household_schemes = [shown.schemes[i] for i in config.household.schemes if i in shown.schemes]
    return LetterSources(
        config=config,
        sender=SenderBlock(
            org.name,
            sender.service,
            list(sender.address),
            sender.case_handler,
            sender.signature,
            sender.place,
            sender.email,
        ),
        territory=shown.territory,
        stage=stage,
        household_schemes=household_schemes,
        tenant_hotlines=hotlines(shown, schema.Audience.tenants),
        landlord_hotlines=hotlines(shown, schema.Audience.landlords),
        # by id: a dated section comes with the period in force and, within its notice, the next one
        landlord_sections=[s for i in config.landlord.sections for s in chapter.sections if s.id == i],
        landlord_schemes=[shown.schemes[i] for i in config.landlord.schemes if i in shown.schemes],
        household_qr=qr_code(page_url(url, Paths.stage(stage.id))) if url else None,
        landlord_qr=qr_code(page_url(url, Paths.landlords)) if url else None,
        verified=min(x.verified.date for x in [stage, chapter, *household_schemes]),
        missing=config.missing_sender_fields(),
        no_site_url=url is None,
        helpers_by_area={area.number: area_helpers(shown, stage, area.number) for area in shown.territory.areas},
        privacy=config.household.privacy.format(expediteur=org.name),
        letter_steps=[w for w in map(schema.letter_wording, stage.what_to_do) if w is not None],
        calendar=delay_calendar(shown.territory.public_holidays, shown.territory.delay_words, shown.as_of),
    )


def area_helpers(sources: Sources, stage: schema.Stage, area: int) -> AreaHelpers:
    """Who helps at this stage in this arrondissement, nearest first as on the « Près de chez moi » pages
    (relations.organisations_serving): its own offices and those located in it, then the stage's helpers for
    the whole territory, then the stage's national lines not already in the hotline box. Only organisations
    with a confirmed contact on the letters' date (sources.as_of: freshness withdraws the old ones): a letter
    never names someone the reader cannot reach."""
    serving = organisations_serving(sources, area)
    in_box = set(sources.territory.hotlines)
    wider = [o.id for o in serving["everywhere"] + serving["national"] if o.id in stage.who_can_help]
    near = reachable(helpers(sources, [o.id for o in serving["here"]]))
    return AreaHelpers(near, reachable(helpers(sources, [i for i in wider if i not in in_box])), no_local=not near)


# ------------------------------------------------------------------ one letter


@dataclass(frozen=True)
class Fact:
    """A line of the letter's dates box: a label of the sources, a value of the register (one or more lines)."""

    label: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Letter:
    """One letter: who it goes to and what is its own in it (dates, reference, the home concerned).

    Every personal value stands alone at the end of its line (window, reference, dates box), so that a
    template laid out once per variant can print it in place (stamp.py)."""

    kind: str  # "menage" or "bailleur"
    reference: str
    area: int
    postcode: str
    address: tuple[str, ...]
    date_line: str
    facts: tuple[Fact, ...] = ()
    note: str = ""  # a sentence the dates box adds (the lease date is unknown)
    greeting: str = ""  # « Monsieur, », « Madame, » or « Madame, Monsieur, »: a variant, not a printed value
    closing: str = ""  # the closing formula, with the same form of address
    delay_passed: bool = False  # a delay it gives was already over on its date (the register report counts them)

    @property
    def anchor(self) -> str:
        """The id of its first page in a batch."""
        return "courrier-" + (re.sub(r"[^0-9A-Za-z-]", "", self.reference) or "modele")

    def fields(self) -> list[str]:
        """Its personal values in the order the template holds them: six address lines, the reference,
        then each line of each fact."""
        padded = list(self.address[:MAX_LINES]) + [""] * (MAX_LINES - len(self.address))
        return padded + [self.reference] + [line for fact in self.facts for line in fact.lines]

    def variant(self) -> tuple:
        """What its front side's layout depends on besides its personal values."""
        facts = tuple((f.label, len(f.lines)) for f in self.facts)
        return (self.kind, self.date_line, facts, self.note, self.greeting, self.closing)

    def with_placeholders(self, mark: str) -> Letter:
        """The same letter with « §01§ », « §02§ »… for its personal values: its variant's template."""
        number = iter(range(1, 1000))
        address = tuple(mark.format(next(number)) for _ in range(MAX_LINES))
        reference = mark.format(next(number))
        facts = tuple(Fact(f.label, tuple(mark.format(next(number)) for _ in f.lines)) for f in self.facts)
        return dataclasses.replace(self, address=address, reference=reference, facts=facts)


def household_letter(common: LetterSources, cdp: Commandement, letter_date: dt.date) -> Letter:
    words = common.config.household
    # The delays are the stage's own (its YAML: duration, lease condition, dates in force), counted by the rules
    # of the site's calculator (delays.py) as of the letters' date: passed, or ending on a day off.
    assert common.calendar is not None  # letter_sources
    calendar = dataclasses.replace(common.calendar, today=letter_date)
    outcomes = calculator_outcomes(common.stage.deadlines, cdp.date_commandement, cdp.date_bail, calendar)
    facts = [Fact(words.served_label, (french_date(cdp.date_commandement),))]
    if cdp.date_bail is not None:
        outcomes = outcomes[:1]
        facts.append(Fact(words.lease_label, (french_date(cdp.date_bail),)))
    facts += [Fact(o.deadline.label, deadline_lines(common, o)) for o in outcomes]
    passed, day_off = any(o.passed for o in outcomes), any(o.day_off for o in outcomes)
    # One sentence under the box: without the lease date it already gives both delays, and the front is full.
    if cdp.date_bail is None:
        note = words.deadline_unknown_passed if passed else words.deadline_unknown_day_off if day_off else None
        note = note or words.deadline_unknown
    else:
        note = words.deadline_passed if passed else words.deadline_day_off if day_off else ""
    return Letter(
        kind="menage",
        reference=cdp.reference,
        area=cdp.area,
        postcode=cdp.code_postal,
        address=cdp.household_address,
        date_line=f"{common.sender.place}, le {french_date(letter_date)}",
        facts=tuple(facts),
        note=note,
        delay_passed=passed,
        **forms_of_address(common, cdp.form_of_address),
    )


def deadline_lines(common: LetterSources, outcome: DelayOutcome) -> tuple[str, ...]:
    """The value of a delay in the dates box: « jusqu'au … », « terminé le … », and under it the day off."""
    words = common.config.household
    day = french_date(outcome.day)
    if outcome.passed:
        return (words.deadline_passed_value.format(fin_delai=day),)
    lines = (words.deadline_value.format(fin_delai=day),)
    if outcome.day_off:
        lines += (words.deadline_day_off_value.format(jour=outcome.day_off),)
    return lines


def forms_of_address(common: LetterSources, civility: str | None) -> dict[str, str]:
    """The greeting and the closing for « Monsieur », « Madame » or no known civility (« Madame, Monsieur »).
    Each is laid out as a variant of the front side: three at most, not a value printed in every letter."""
    words = common.config.household
    appel = civility or words.no_civility
    return {"greeting": words.greeting.format(appel=appel), "closing": words.closing.format(appel=appel)}


def landlord_letter(common: LetterSources, cdp: Commandement, letter_date: dt.date) -> Letter:
    words = common.config.landlord
    return Letter(
        kind="bailleur",
        reference=cdp.reference,
        area=cdp.area,
        postcode=cdp.bailleur_code_postal,
        address=cdp.landlord_address or (),
        date_line=f"{common.sender.place}, le {french_date(letter_date)}",
        facts=(
            Fact(words.served_label, (french_date(cdp.date_commandement),)),
            *tenant_delay(common, cdp, letter_date),
            Fact(words.dwelling_label, tuple(cdp.household_address[1:])),  # the home, without the tenant's name
        ),
        note=words.deadline_unknown if cdp.date_bail is None else "",
    )


def tenant_delay(common: LetterSources, cdp: Commandement, letter_date: dt.date) -> tuple[Fact, ...]:
    """The tenant's delay as the household's own letter gives it (lease date, then the end of each delay that
    applies), so that both letters always print the same dates."""
    return household_letter(common, cdp, letter_date).facts[1:]
