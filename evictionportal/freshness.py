"""How old each contact detail is, as of the build day.

A contact is renewed by the yearly campaign. Past `recheck_after_months` it
is flagged "à revérifier" on the professional pages; past
`unpublish_after_months` it is withdrawn from every page and PDF. Both
periods live in content/territoire.yml; the day is `Sources.as_of`.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
from dataclasses import dataclass
from enum import Enum

from . import schema
from .load import Sources
from .text import french_date


class Age(str, Enum):
    current = "current"
    recheck = "recheck"
    expired = "expired"


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` months earlier (the last day of the month when it does not exist)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Thresholds:
    """A contact verified before `recheck_before` is flagged; before `unpublish_before`, withdrawn."""

    recheck_before: dt.date
    unpublish_before: dt.date

    def age(self, verified: schema.Verified | None) -> Age | None:
        """None for a contact never verified (it is never published anyway)."""
        if verified is None:
            return None
        if verified.date < self.unpublish_before:
            return Age.expired
        if verified.date < self.recheck_before:
            return Age.recheck
        return Age.current


def thresholds(sources: Sources) -> Thresholds:
    rules = sources.territory.directory_freshness
    return Thresholds(
        recheck_before=months_before(sources.as_of, rules.recheck_after_months),
        unpublish_before=months_before(sources.as_of, rules.unpublish_after_months),
    )


def without_expired_contacts(sources: Sources) -> Sources:
    """The sources with every contact older than the withdrawal period left out."""
    limits = thresholds(sources)
    organisations = {}
    origins = dict(sources.origins)
    for org_id, org in sources.organisations.items():
        kept = [c for c in org.contacts if limits.age(c.verified) is not Age.expired]
        if len(kept) == len(org.contacts):
            organisations[org_id] = org
            continue
        organisations[org_id] = org.model_copy(update={"contacts": kept})
        if id(org) in origins:  # the copy still comes from the same file and lines
            origins[id(organisations[org_id])] = origins[id(org)]
    return dataclasses.replace(sources, organisations=organisations, origins=origins)


@dataclass(frozen=True)
class StaleContact:
    organisation: schema.Organisation
    index: int
    contact: schema.Contact
    age: Age


def stale_contacts(sources: Sources) -> list[StaleContact]:
    """Every verified contact past the flag period, in directory order."""
    limits = thresholds(sources)
    found = []
    for org in sources.organisations.values():
        for index, contact in enumerate(org.contacts):
            age = limits.age(contact.verified)
            if age in (Age.recheck, Age.expired):
                found.append(StaleContact(org, index, contact, age))
    return found


def stale_contact_warnings(sources: Sources) -> list[str]:
    """One line per stale contact, located like a source problem, for the build's warnings."""
    rules = sources.territory.directory_freshness
    lines = []
    for stale in stale_contacts(sources):
        origin = sources.origins.get(id(stale.organisation))
        where = f"{origin.file}:{origin.line_of(('contacts', stale.index))}" if origin else stale.organisation.id
        verified = stale.contact.verified
        assert verified is not None  # stale_contacts keeps verified contacts only
        if stale.age is Age.expired:
            effect = f"plus de {rules.unpublish_after_months} mois : retirée des pages et des PDF"
        else:
            effect = f"plus de {rules.recheck_after_months} mois : signalée « à revérifier » aux professionnels"
        lines.append(
            f"{where}: contacts[{stale.index}]: « {stale.contact.value} » vérifiée le "
            f"{french_date(verified.date)}, {effect} ; faites-la confirmer par l'organisme"
        )
    return lines


def first_day_past(verified: dt.date, months: int) -> dt.date:
    """The first build day on which a contact verified on `verified` is more than `months` months old."""
    year, month = divmod(verified.year * 12 + verified.month - 1 + months, 12)
    day = dt.date(year, month + 1, min(verified.day, calendar.monthrange(year, month + 1)[1]))
    while months_before(day, months) <= verified:  # one to four steps: month ends
        day += dt.timedelta(days=1)
    return day


def contact_changes(sources: Sources) -> list[tuple[dt.date, str, int, str]]:
    """Each day a published contact is flagged « à revérifier » or withdrawn: (day, file, line, what)."""
    rules = sources.territory.directory_freshness
    found = []
    for org in sources.organisations.values():
        origin = sources.origins.get(id(org))
        for index, contact in enumerate(org.contacts):
            if contact.verified is None or origin is None:
                continue
            line = origin.line_of(("contacts", index))
            for months, effect in (
                (rules.recheck_after_months, f"plus de {rules.recheck_after_months} mois, « à revérifier »"),
                (rules.unpublish_after_months, f"plus de {rules.unpublish_after_months} mois, retirée"),
            ):
                day = first_day_past(contact.verified.date, months)
                found.append((day, origin.file, line, f"coordonnée « {contact.value} » de {org.name} : {effect}"))
    return found
