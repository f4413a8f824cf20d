"""Opening hours: written once in OpenStreetMap `opening_hours` syntax, read in plain French.

The OSM syntax is what the data·inclusion schema asks for (open data); the
pages and the PDFs show the same hours as a sentence. Only the part of the
syntax a reception desk needs is accepted: days or day ranges, a weekday of
the month (`Tu[1]`), time ranges, `off`, rules separated by `;` (a later
rule overrides an earlier one for its days, as in OSM).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DAYS = {
    "Mo": "lundi",
    "Tu": "mardi",
    "We": "mercredi",
    "Th": "jeudi",
    "Fr": "vendredi",
    "Sa": "samedi",
    "Su": "dimanche",
}
ORDINALS = {1: "premier", 2: "deuxième", 3: "troisième", 4: "quatrième", -1: "dernier"}
DAY = "(?:Mo|Tu|We|Th|Fr|Sa|Su)"
DAY_PART = rf"{DAY}(?:-{DAY}|\[-?[1-5]\])?"
TIME = r"(?:[01]\d|2[0-4]):[0-5]\d"
RULE = re.compile(rf"^(?P<days>{DAY_PART}(?:,{DAY_PART})*) (?P<times>off|{TIME}-{TIME}(?:,{TIME}-{TIME})*)$")
EXAMPLE = "Mo-We,Fr 08:30-17:00; Th 08:30-19:30"


@dataclass(frozen=True)
class Rule:
    days: list[str]  # "Mo", "Mo-We", "Tu[1]"
    times: list[tuple[str, str]]  # empty: closed


def parse_opening_hours(text: str) -> list[Rule]:
    """The rules of an `opening_hours` value; ValueError in French naming the part that is wrong."""
    rules = []
    for part in [p.strip() for p in text.split(";")]:
        match = RULE.match(part)
        if not match:
            raise ValueError(
                f"horaires illisibles « {part} » ; attendu : la syntaxe OpenStreetMap, par exemple « {EXAMPLE} » "
                "(jours Mo Tu We Th Fr Sa Su, heures HH:MM-HH:MM, règles séparées par « ; »)"
            )
        times = match.group("times")
        spans = [] if times == "off" else [tuple(span.split("-")) for span in times.split(",")]
        for start, end in spans:
            if start >= end:
                raise ValueError(f"horaires « {part} » : {start} n'est pas avant {end}")
        rules.append(Rule(match.group("days").split(","), spans))  # type: ignore[arg-type]
    return rules


def _time_in_french(value: str) -> str:
    hours, minutes = value.split(":")
    return f"{int(hours)} h" + (f" {minutes}" if minutes != "00" else "")


def _day_in_french(part: str) -> str:
    if "[" in part:
        day, nth = part[:2], int(part[3:-1])
        return f"le {ORDINALS.get(nth, str(nth) + 'e')} {DAYS[day]} du mois"
    if "-" in part:
        first, last = part.split("-")
        return f"du {DAYS[first]} au {DAYS[last]}"
    return f"le {DAYS[part]}"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1]


def opening_hours_in_french(text: str) -> str:
    """`Mo-We,Fr 08:30-17:00; Th 08:30-19:30` as « Du lundi au mercredi et le vendredi : de 8 h 30 à 17 h. …»."""
    sentences = []
    for rule in parse_opening_hours(text):
        days = _join([_day_in_french(d) for d in rule.days])
        if rule.times:
            spans = _join([f"de {_time_in_french(a)} à {_time_in_french(b)}" for a, b in rule.times])
        else:
            spans = "fermé"
        sentences.append(f"{days[0].upper()}{days[1:]} : {spans}.")
    return " ".join(sentences)
