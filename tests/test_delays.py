"""The end of a delay: the rule the page calculator follows, and the YAML that feeds it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from evictionportal.delays import (
    DelayCalendar,
    add_months,
    calculator_sentences,
    day_in_words,
    delay_calendar,
    delay_end,
    public_holidays,
    without_script_sentences,
)
from evictionportal.errors import SourceErrors
from evictionportal.load import load_sources
from evictionportal.schema import Deadline, Duration
from tests.conftest import ROOT, edit

D = dt.date
STAGE = "referentiel/etapes/01-premiere-etape.yml"
SOURCES = load_sources(ROOT)
WORDS = SOURCES.territory.delay_words
BEFORE_ALL = delay_calendar(SOURCES.territory.public_holidays, WORDS, D(2024, 1, 1))  # no delay has passed yet


def stage(stage_id: str) -> list[Deadline]:
    return next(s for s in SOURCES.stages if s.id == stage_id).deadlines


def on(day: dt.date) -> DelayCalendar:
    """The calendar of a reader on `day`."""
    return delay_calendar(SOURCES.territory.public_holidays, WORDS, day)


def test_delay_end_weeks_ends_on_the_same_weekday() -> None:
    assert delay_end(D(2026, 11, 2), Duration(weeks=6)) == D(2026, 12, 14)
    assert delay_end(D(2026, 10, 20), Duration(weeks=6)) == D(2026, 12, 1)  # across the change to winter time


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (D(2026, 11, 2), 2, D(2027, 1, 2)),
        (D(2026, 10, 31), 2, D(2026, 12, 31)),
        (D(2026, 12, 31), 2, D(2027, 2, 28)),
        (D(2027, 12, 31), 2, D(2028, 2, 29)),  # leap year
        (D(2027, 12, 30), 2, D(2028, 2, 29)),
        (D(2028, 2, 29), 12, D(2029, 2, 28)),
        (D(2026, 8, 31), 2, D(2026, 10, 31)),
        (D(2026, 7, 31), 2, D(2026, 9, 30)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_month_end(start: dt.date, months: int, end: dt.date) -> None:
    assert add_months(start, months) == end


def test_day_in_words_is_said_as_a_french_reader_says_it() -> None:
    assert day_in_words(D(2026, 12, 14)) == "lundi 14 décembre 2026"
    assert day_in_words(D(2026, 12, 1)) == "mardi 1er décembre 2026"


def test_calculator_sentences_commandement_with_and_without_lease_date() -> None:
    unknown = calculator_sentences(stage("commandement-de-payer"), D(2026, 11, 2), None, BEFORE_ALL)
    assert len(unknown) == 2
    assert unknown[0] == [
        "Bail signé depuis le 29 juillet 2023 : votre délai pour payer ou demander des délais au juge se termine "
        "le lundi 14 décembre 2026."
    ]
    assert unknown[1][0].startswith("Bail signé avant le 29 juillet 2023 : ")
    assert unknown[1][0].endswith("samedi 2 janvier 2027.")
    (recent,) = calculator_sentences(stage("commandement-de-payer"), D(2026, 11, 2), D(2023, 7, 29), BEFORE_ALL)
    assert recent[0].startswith("Votre délai") and recent[0].endswith("lundi 14 décembre 2026.")
    (old,) = calculator_sentences(stage("commandement-de-payer"), D(2026, 11, 2), D(2023, 7, 28), BEFORE_ALL)
    assert old[0].endswith("samedi 2 janvier 2027.")


def test_delay_ending_on_a_saturday_sunday_or_holiday_says_which_and_not_to_wait() -> None:
    cdp = stage("commandement-de-payer")
    (saturday,) = calculator_sentences(cdp, D(2026, 11, 2), D(2021, 3, 15), BEFORE_ALL)
    assert saturday == [saturday[0], "C'est un samedi : n'attendez pas le dernier jour."]
    (sunday,) = calculator_sentences(cdp, D(2026, 11, 1), D(2024, 3, 15), BEFORE_ALL)
    assert sunday[0].endswith("dimanche 13 décembre 2026.")
    assert sunday[1] == "C'est un dimanche : n'attendez pas le dernier jour."
    (christmas,) = calculator_sentences(cdp, D(2026, 11, 13), D(2024, 3, 15), BEFORE_ALL)
    assert christmas == [
        "Votre délai pour payer ou demander des délais au juge se termine le vendredi 25 décembre 2026.",
        "C'est un jour férié (Noël) : n'attendez pas le dernier jour.",
    ]
    # 15 August 2027 is a Sunday and a holiday: the holiday is said
    (both,) = calculator_sentences(cdp, D(2027, 7, 4), D(2024, 3, 15), BEFORE_ALL)
    assert both[1] == "C'est un jour férié (Assomption) : n'attendez pas le dernier jour."
    (monday,) = calculator_sentences(cdp, D(2026, 11, 2), D(2024, 3, 15), BEFORE_ALL)
    assert monday == [monday[0]]  # a working day: nothing more to say


def test_public_holidays_come_from_the_library_for_every_year_asked() -> None:
    days = public_holidays(SOURCES.territory.public_holidays, range(2026, 2028))
    assert days[D(2027, 3, 29)] == "Lundi de Pâques" and days[D(2026, 5, 25)] == "Lundi de Pentecôte"
    assert len(days) == 22
    assert min(on(D(2026, 12, 3)).holidays).year == 2024 and max(on(D(2026, 12, 3)).holidays).year == 2029


def test_past_delay_says_it_has_passed_and_what_can_still_be_done() -> None:
    (passed,) = calculator_sentences(stage("commandement-de-payer"), D(2025, 1, 10), D(2024, 3, 15), on(D(2026, 12, 3)))
    assert passed[0] == "Ce délai s'est terminé le vendredi 21 février 2025."
    assert "demander des délais au juge" in passed[1] and "Appelez vite" in passed[1]
    assert not any("se termine le" in line for line in passed)
    # The last day itself has not passed yet.
    (last_day,) = calculator_sentences(
        stage("commandement-de-payer"), D(2026, 10, 22), D(2024, 3, 15), on(D(2026, 12, 3))
    )
    assert last_day[0].endswith("se termine le jeudi 3 décembre 2026.")


def test_cql_ending_in_the_winter_truce_gives_1_april_with_the_exceptions() -> None:
    cql = stage("commandement-de-quitter-les-lieux")
    (truce,) = calculator_sentences(cql, D(2026, 11, 30), None, on(D(2026, 12, 3)))
    assert (
        truce[0] == "Ce délai finit pendant la trêve hivernale : pas d'expulsion forcée avant le jeudi 1er avril 2027."
    )
    assert "30 janvier" not in " ".join(truce)
    assert truce[1].startswith("Sauf exceptions : un relogement adapté est assuré")
    for exception in ("par la force, la ruse, des menaces ou la contrainte", "logement étudiant", "conjoint violent"):
        assert exception in truce[1]
    # In the trêve on the reader's day, not yet 1 April: still the trêve sentence
    (winter,) = calculator_sentences(cql, D(2026, 11, 30), None, on(D(2027, 2, 15)))
    assert winter[0].endswith("avant le jeudi 1er avril 2027.")
    # Ending on 31 October or on 1 April: outside the trêve, the day itself
    (october,) = calculator_sentences(cql, D(2026, 8, 31), None, on(D(2026, 8, 31)))
    assert october[0] == "Aucune expulsion forcée n'est possible avant le samedi 31 octobre 2026."
    (april,) = calculator_sentences(cql, D(2027, 2, 1), None, on(D(2027, 2, 1)))
    assert april == ["Aucune expulsion forcée n'est possible avant le jeudi 1er avril 2027."]
    # The end of a trêve that has passed: what can still be done
    (gone,) = calculator_sentences(cql, D(2025, 12, 1), None, on(D(2026, 12, 3)))
    assert gone[0] == "Ce délai s'est terminé le mercredi 1er avril 2026."
    assert "sauf pendant la trêve hivernale" in gone[1]


def test_without_script_the_page_says_how_to_count_in_words() -> None:
    cdp = without_script_sentences(stage("commandement-de-payer"), WORDS)
    assert (
        cdp[0]
        == "Bail signé depuis le 29 juillet 2023 : comptez 6 semaines à partir de la date inscrite sur le document."
    )
    assert cdp[1].startswith("Bail signé avant le 29 juillet 2023 : comptez 2 mois")
    assert "n'attendez pas le dernier jour" in cdp[2] and len(cdp) == 3
    cql = without_script_sentences(stage("commandement-de-quitter-les-lieux"), WORDS)
    assert "pas d'expulsion forcée avant le 1er avril" in cql[-1]


def test_every_stage_with_a_delay_has_a_calculator() -> None:
    counted = {s.id for s in SOURCES.stages if any(d.duration for d in s.deadlines)}
    # Not the concours de la force publique (the tenant never has the date of the landlord's request), nor the
    # hearing (its 6 weeks run from the notification to the préfet, a date the tenant does not have either).
    assert counted == {"commandement-de-payer", "commandement-de-quitter-les-lieux"}


def problems(tree: Path) -> list[str]:
    with pytest.raises(SourceErrors) as caught:
        load_sources(tree)
    return [str(p) for p in caught.value.problems]


def test_load_duration_must_say_the_label_number(tree: Path) -> None:
    edit(
        tree,
        STAGE,
        "    details: Le délai court",
        "    duration: {weeks: 8}\n    ends: Fin le\n    passed: Passé.\n    details: x",
    )
    (found,) = problems(tree)
    assert found.startswith(f"{STAGE}:8: deadlines[0]")
    assert "ne dit pas « 8 semaines » comme duration" in found


def test_load_duration_weeks_or_months_not_both_and_ends_required(tree: Path) -> None:
    edit(tree, STAGE, "    details: Le délai court", "    duration: {weeks: 6, months: 2}\n    details: Le délai court")
    (found,) = problems(tree)
    assert "l'un des deux seulement" in found


def test_load_duration_without_ends_says_what_to_write() -> None:
    with pytest.raises(ValueError, match="écrivez ends"):
        Deadline(label="6 semaines", references=["x"], duration=Duration(weeks=6))
    with pytest.raises(ValueError, match="écrivez passed : ce que la personne peut encore faire"):
        Deadline(label="6 semaines", references=["x"], duration=Duration(weeks=6), ends="Fin le")


def test_load_passed_call_must_name_an_organisation(tree: Path) -> None:
    edit(
        tree,
        STAGE,
        "    details: Le délai court",
        '    duration: {weeks: 6}\n    ends: Fin le\n    passed: "Appelez :"\n    passed_call: [ligne-exemplee]\n'
        "    details: Le délai court",
    )
    (found,) = problems(tree)
    assert found.startswith(f"{STAGE}:") and "deadlines[0].passed_call" in found and "ligne-exemple" in found


def test_page_calculator_markup_without_javascript_stays_hidden(tree: Path, tmp_path: Path) -> None:
    from evictionportal.build import build_site

    edit(
        tree,
        STAGE,
        "    details: Le délai",
        '    duration: {weeks: 6}\n    ends: Délai fini le\n    passed: "Trop tard, appelez :"\n'
        "    passed_call: [ligne-exemple]\n    details: x",
    )
    site = tmp_path / "site"
    build_site(tree, site)
    page = (site / "etapes" / "premiere-etape" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<div class="delai-calcul" data-delai-calcul [^>]*\bhidden>', page)
    assert '<label for="delai-date-document">Date inscrite sur le document</label>' in page
    assert 'data-weeks="6"' in page and "Délai fini le" in page
    assert "<form" not in page.split("data-delai-calcul", 1)[1].split("data-delai-resultat", 1)[0]
    words = page.split("data-delai-sans-calcul", 1)[1].split("</div>", 1)[0]  # the rule, for a reader without script
    assert "<p>Comptez 6 semaines à partir de la date inscrite sur le document.</p>" in words
    assert "n'attendez pas le dernier jour" in words and "trêve" not in words
    assert '<li data-jour="2026-12-25">Noël</li>' in page  # the holidays the script needs, from the library
    assert 'data-delai-appel href="tel:' in page  # the confirmed line to call once the delay has passed
    assert 'src="../../assets/javascripts/delai.js"' in page


def test_load_delay_words_need_their_placeholder(tree: Path) -> None:
    edit(tree, "content/territoire.yml", "C'est un {jour} :", "C'est un jour {jours} {0} :")
    (found,) = problems(tree)
    assert found.startswith("content/territoire.yml:") and "delay_words" in found
    assert "day_off doit contenir {jour}" in found
