"""The end of a delay counted from the date written on a document: the rule the page calculator follows.

A delay in weeks ends on the same weekday that many weeks later; a delay in
months ends on the same day of the month that many months later, or on the
last day of that month when it has no such day (31 October + 2 months = 31
December, 31 December + 2 months = 28 or 29 February). The page's script
(assets/javascripts/delai.js) says the same; tests/test_delays.py compares them
day by day. Plain calendar dates: no hour, no time zone.

What the reader is told also follows three rules, here and in the script alike: a delay whose last
day has passed says so (and what can still be done), never only its date; a last day that is a
Saturday, a Sunday or a public holiday (the `holidays` library, never a hand list) is named, with
« n'attendez pas le dernier jour »; a delay before a forced eviction (`winter_truce`) that ends
between 1 November and 31 March gives 1 April instead (trêve hivernale, CPCE L412-6), with its
exceptions. The letters take the same rules from `delay_outcome`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import holidays
from babel.dates import format_date

from .schema import Deadline, DelayWords, Duration, PublicHolidays


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` later, or that month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def delay_end(start: dt.date, duration: Duration) -> dt.date:
    if duration.weeks is not None:
        return start + dt.timedelta(weeks=duration.weeks)
    return add_months(start, duration.months or 0)


def day_in_words(day: dt.date) -> str:
    """« lundi 14 décembre 2026 », « mardi 1er décembre 2026 »: as a French reader says a day."""
    weekday = format_date(day, format="EEEE", locale="fr_FR")
    month_year = format_date(day, format="MMMM y", locale="fr_FR")
    return f"{weekday} {'1er' if day.day == 1 else day.day} {month_year}"


def counted_deadlines(deadlines: list[Deadline]) -> list[Deadline]:
    """The deadlines a page's calculator counts: those in force on the build day with a duration."""
    return [d for d in deadlines if d.duration is not None and d.timing == "current"]


def applies_to_lease(deadline: Deadline, signed: dt.date | None) -> bool:
    """Whether a deadline applies to a lease signed on `signed` (unknown: every deadline shows)."""
    return signed is None or deadline.lease_signed is None or deadline.lease_signed.covers(signed)


# ------------------------------------------------------------------ trêve hivernale and public holidays


def in_winter_truce(day: dt.date) -> bool:
    """Whether `day` falls in the trêve hivernale, 1 November to 31 March (CPCE L412-6)."""
    return day.month >= 11 or day.month <= 3


def truce_end(day: dt.date) -> dt.date:
    """The first day after the trêve that holds `day`: 1 April."""
    return dt.date(day.year + (1 if day.month >= 11 else 0), 4, 1)


def calculator_years(as_of: dt.date) -> range:
    """The years whose public holidays a page built on `as_of` carries: documents from two years back,
    delays ending up to three years ahead (a page is rebuilt far more often than that)."""
    return range(as_of.year - 2, as_of.year + 4)


def public_holidays(where: PublicHolidays, years: Iterable[int]) -> dict[dt.date, str]:
    """Every public holiday of those years, with its French name, from the `holidays` library."""
    found = holidays.country_holidays(where.country, subdiv=where.subdivision, years=list(years), language="fr")
    return dict(sorted(found.items()))


@dataclass(frozen=True)
class DelayCalendar:
    """What a delay's sentences depend on besides its dates: the day it is, the holidays, the words."""

    today: dt.date
    words: DelayWords
    holidays: dict[dt.date, str] = field(default_factory=dict)


def day_off(day: dt.date, cal: DelayCalendar) -> str | None:
    """« samedi », « dimanche », « jour férié (Noël) »: a holiday first, even on a Sunday; None on a working day."""
    if day in cal.holidays:
        return cal.words.holiday.replace("{nom}", cal.holidays[day])
    if day.weekday() >= 5:
        return format_date(day, format="EEEE", locale="fr_FR")
    return None


@dataclass(frozen=True)
class DelayOutcome:
    """One delay counted from one document: the day it ends and what the reader must be told of that day."""

    deadline: Deadline
    end: dt.date  # the last day of the delay
    day: dt.date  # the day the sentence gives: `end`, or 1 April when the end falls in the trêve
    truce: bool  # the end falls in the trêve hivernale and the delay leads to a forced eviction
    passed: bool  # the day given is before today
    day_off: str | None  # the day given is a Saturday, a Sunday or a public holiday: which


def delay_outcome(deadline: Deadline, written: dt.date, cal: DelayCalendar) -> DelayOutcome:
    assert deadline.duration is not None  # counted_deadlines
    end = delay_end(written, deadline.duration)
    truce = deadline.winter_truce is not None and in_winter_truce(end)
    day = truce_end(end) if truce else end
    passed = day < cal.today
    return DelayOutcome(deadline, end, day, truce, passed, None if passed or truce else day_off(day, cal))


def outcome_sentences(outcome: DelayOutcome, cal: DelayCalendar, with_condition: bool) -> list[str]:
    """The paragraphs the calculator shows for one delay (the call links of `passed_call` come after them)."""
    deadline, words = outcome.deadline, cal.words
    if outcome.passed:
        lines = [f"{words.passed} {day_in_words(outcome.day)}.", *([deadline.passed] if deadline.passed else [])]
    elif outcome.truce:
        assert deadline.winter_truce is not None
        lines = [f"{deadline.winter_truce.ends} {day_in_words(outcome.day)}.", deadline.winter_truce.exceptions]
    else:
        lines = [f"{deadline.ends} {day_in_words(outcome.day)}."]
        if outcome.day_off:
            lines.append(words.day_off.replace("{jour}", outcome.day_off))
    if with_condition and deadline.lease_signed is not None:
        lines[0] = f"{lease_condition(deadline)} : {lines[0][:1].lower()}{lines[0][1:]}"
    return lines


def calculator_outcomes(
    deadlines: list[Deadline], written: dt.date, signed: dt.date | None, cal: DelayCalendar
) -> list[DelayOutcome]:
    """Each delay of a page that applies to a lease signed on `signed` (unknown: all), counted from `written`."""
    return [
        delay_outcome(d, written, cal) for d in counted_deadlines(deadlines) if applies_to_lease(d, signed)
    ]


def calculator_sentences(
    deadlines: list[Deadline], written: dt.date, signed: dt.date | None, cal: DelayCalendar
) -> list[list[str]]:
    """What the calculator shows for a document dated `written` (and a lease signed on `signed`): for each
    delay, its paragraphs."""
    return [
        outcome_sentences(outcome, cal, with_condition=signed is None)
        for outcome in calculator_outcomes(deadlines, written, signed, cal)
    ]


def lease_condition(deadline: Deadline) -> str:
    """« Bail signé avant le 29 juillet 2023 », « Bail signé depuis le 29 juillet 2023 »."""
    lease = deadline.lease_signed
    assert lease is not None
    word, day = ("avant le", lease.before) if lease.before else ("depuis le", lease.since)
    assert day is not None
    return f"Bail signé {word} {'1er' if day.day == 1 else day.day} {format_date(day, format='MMMM y', locale='fr_FR')}"


def delay_calendar(where: PublicHolidays, words: DelayWords, today: dt.date) -> DelayCalendar:
    """The calendar of a page or a letter dated `today`, with the holidays of the years it may count into."""
    return DelayCalendar(today, words, public_holidays(where, calculator_years(today)))


def without_script_sentences(deadlines: list[Deadline], words: DelayWords) -> list[str]:
    """The rule in words, for a reader whose browser runs no script: how to count each delay, what a last day
    on a Saturday, Sunday or holiday means, and the trêve for a delay before a forced eviction."""
    sentences = []
    for deadline in counted_deadlines(deadlines):
        assert deadline.duration is not None
        sentence = words.without_script.replace("{duree}", deadline.duration.words)
        if deadline.lease_signed is not None:
            sentence = f"{lease_condition(deadline)} : {sentence[:1].lower()}{sentence[1:]}"
        sentences.append(sentence)
    sentences.append(words.without_script_day_off)
    if any(d.winter_truce for d in counted_deadlines(deadlines)):
        sentences.append(words.without_script_truce)
    return sentences
