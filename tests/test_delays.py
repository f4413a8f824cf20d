"""The end of a delay: the rule the page calculator follows, and the YAML that feeds it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from evictionportal.delays import add_months, calculator_sentences, day_in_words, delay_end
from evictionportal.errors import SourceErrors
from evictionportal.load import load_sources
from evictionportal.schema import Deadline, Duration
from tests.conftest import ROOT, edit

D = dt.date
STAGE = "referentiel/etapes/01-premiere-etape.yml"


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
    stage = next(s for s in load_sources(ROOT).stages if s.id == "commandement-de-payer")
    unknown = calculator_sentences(stage.deadlines, D(2026, 11, 2))
    assert len(unknown) == 2
    assert unknown[0].startswith("Bail signé depuis le 29 juillet 2023 : ")
    assert unknown[0].endswith("se termine le lundi 14 décembre 2026.")
    assert unknown[1].startswith("Bail signé avant le 29 juillet 2023 : ")
    assert unknown[1].endswith("samedi 2 janvier 2027.")
    (recent,) = calculator_sentences(stage.deadlines, D(2026, 11, 2), signed=D(2023, 7, 29))
    assert recent.startswith("Votre délai") and recent.endswith("lundi 14 décembre 2026.")
    (old,) = calculator_sentences(stage.deadlines, D(2026, 11, 2), signed=D(2023, 7, 28))
    assert old.endswith("samedi 2 janvier 2027.")


def test_every_stage_with_a_delay_has_a_calculator() -> None:
    counted = {s.id for s in load_sources(ROOT).stages if any(d.duration for d in s.deadlines)}
    # The préfet's 2 months are a maximum, not the tenant's delay: the police stage counts no date.
    expected = {"commandement-de-payer", "assignation-audience", "commandement-de-quitter-les-lieux"}
    assert expected == counted


def problems(tree: Path) -> list[str]:
    with pytest.raises(SourceErrors) as caught:
        load_sources(tree)
    return [str(p) for p in caught.value.problems]


def test_load_duration_must_say_the_label_number(tree: Path) -> None:
    edit(tree, STAGE, "    details: Le délai court", "    duration: {weeks: 8}\n    ends: Fin le\n    details: x")
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


def test_page_calculator_markup_without_javascript_stays_hidden(tree: Path, tmp_path: Path) -> None:
    from evictionportal.build import build_site

    edit(tree, STAGE, "    details: Le délai", "    duration: {weeks: 6}\n    ends: Délai fini le\n    details: x")
    site = tmp_path / "site"
    build_site(tree, site)
    page = (site / "etapes" / "premiere-etape" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<div class="delai-calcul" data-delai-calcul [^>]*\bhidden>', page)
    assert '<label for="delai-date-document">Date inscrite sur le document</label>' in page
    assert 'data-weeks="6"' in page and "Délai fini le" in page
    assert "<form" not in page.split("data-delai-calcul", 1)[1].split("data-delai-resultat", 1)[0]
    assert "semaines pour agir" in page  # the rule in words, for a reader without JavaScript
    assert 'src="../../assets/javascripts/delai.js"' in page
