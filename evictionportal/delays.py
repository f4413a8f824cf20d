"""The end of a delay counted from the date written on a document: the rule the page calculator follows.

A delay in weeks ends on the same weekday that many weeks later; a delay in
months ends on the same day of the month that many months later, or on the
last day of that month when it has no such day (31 October + 2 months = 31
December, 31 December + 2 months = 28 or 29 February). The page's script
(assets/javascripts/delai.js) says the same; tests/test_delays.py compares them
day by day. Plain calendar dates: no hour, no time zone.
"""

from __future__ import annotations

import calendar
import datetime as dt

from babel.dates import format_date

from .schema import Deadline, Duration


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


def calculator_sentences(deadlines: list[Deadline], written: dt.date, signed: dt.date | None = None) -> list[str]:
    """What the calculator shows for a document dated `written` (and a lease signed on `signed`)."""
    sentences = []
    for deadline in counted_deadlines(deadlines):
        if not applies_to_lease(deadline, signed):
            continue
        assert deadline.duration is not None and deadline.ends is not None  # counted_deadlines, schema
        sentence = f"{deadline.ends} {day_in_words(delay_end(written, deadline.duration))}."
        if signed is None and deadline.lease_signed is not None:
            sentence = f"{lease_condition(deadline)} : {sentence[:1].lower()}{sentence[1:]}"
        sentences.append(sentence)
    return sentences


def lease_condition(deadline: Deadline) -> str:
    """« Bail signé avant le 29 juillet 2023 », « Bail signé depuis le 29 juillet 2023 »."""
    lease = deadline.lease_signed
    assert lease is not None
    word, day = ("avant le", lease.before) if lease.before else ("depuis le", lease.since)
    assert day is not None
    return f"Bail signé {word} {'1er' if day.day == 1 else day.day} {format_date(day, format='MMMM y', locale='fr_FR')}"
