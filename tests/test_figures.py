"""The partners' figures (action 2): tables across years, an SVG chart without script, the yearly PDF."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

from pypdf import PdfReader

from evictionportal.errors import SourceErrors
from evictionportal.figures import write_figure_files
from evictionportal.load import load_sources
from evictionportal.pages import render_pages
from evictionportal.relations import visible_sources
from tests.conftest import edit

FIGURES_2025 = """year: 2025
partners:
  - organisation: service-social
    received: 2026-03-10
    source: fichier de réponse inventé pour les tests
    figures:
      - {indicator: Nombre de ménages reçus, value: 1250}
"""
FIGURES_2026 = FIGURES_2025.replace("2025", "2026").replace("1250", "1410").replace("2026-03-10", "2027-03-12")


def with_figures(tree: Path) -> Path:
    edit(
        tree,
        "referentiel/indicateurs.yml",
        "sets:\n",
        "sets:\n  - organisation: association-quartier-deux\n    indicators: [Nombre de permanences]\n",
    )
    (tree / "referentiel" / "chiffres").mkdir()
    (tree / "referentiel" / "chiffres" / "2025.yml").write_text(FIGURES_2025, encoding="utf-8")
    (tree / "referentiel" / "chiffres" / "2026.yml").write_text(FIGURES_2026, encoding="utf-8")
    return tree


def indicators_page(tree: Path) -> str:
    sources = visible_sources(load_sources(tree, dt.date(2027, 4, 1)), include_drafts=False)
    return html.unescape(next(p.markdown for p in render_pages(sources) if p.path == "professionnels/indicateurs.md"))


def test_figures_table_across_years_and_who_has_not_answered(tree: Path) -> None:
    page = indicators_page(with_figures(tree))
    assert "| Indicateur | 2025 | 2026 |" in page
    assert "| Nombre de ménages reçus | 1\u202f250 | 1\u202f410 |" in page
    assert "*Association du deuxième quartier n'a pas transmis ses chiffres 2025, 2026.*" in page
    assert "| Nombre de permanences | pas de réponse | pas de réponse |" in page
    assert page.count("![") == 1  # no empty chart for the partner without a number


def test_figures_chart_is_an_svg_without_script_with_the_table_as_alternative(tree: Path, tmp_path: Path) -> None:
    page = indicators_page(with_figures(tree))
    image = re.search(r"!\[([^\]]+)\]\(([^)]+)\)", page)
    assert image is not None and image.group(2) == "../donnees/graphiques/service-social.svg"
    assert image.group(1).endswith("Les valeurs sont dans le tableau qui suit.")
    write_figure_files(visible_sources(load_sources(tree, dt.date(2027, 4, 1)), include_drafts=False), tmp_path)
    svg = (tmp_path / "donnees" / "graphiques" / "service-social.svg").read_text(encoding="utf-8")
    assert "<script" not in svg and 'role="img"' in svg
    assert "<title>Chiffres transmis par Service social d'exemple, par année</title>" in svg
    assert "Nombre de ménages reçus" in svg and ">2025<" in svg
    assert not (tmp_path / "donnees" / "graphiques" / "association-quartier-deux.svg").exists()


def test_figures_before_any_answer_say_so_without_a_number(tree: Path) -> None:
    page = indicators_page(tree)
    assert "Aucun chiffre n'a encore été reçu" in page and "![" not in page and "| Indicateur |" not in page


def test_figures_yearly_report_pdf(tree: Path, tmp_path: Path) -> None:
    sources = visible_sources(load_sources(with_figures(tree), dt.date(2027, 4, 1)), include_drafts=False)
    files = write_figure_files(sources, tmp_path)
    assert [f.path for f in files] == ["donnees/bilan-donnees-2025.pdf", "donnees/bilan-donnees-2026.pdf"]
    report = PdfReader(tmp_path / "donnees" / "bilan-donnees-2026.pdf")
    text = " ".join(page.extract_text() for page in report.pages)
    assert report.metadata.title == "Bilan des données 2026"
    assert "Nombre de ménages reçus" in text and "1 410" in text.replace("\u202f", " ")
    assert "n’a pas transmis ses chiffres 2026" in text


def test_figures_for_an_indicator_not_asked_are_a_source_error(tree: Path) -> None:
    with_figures(tree)
    edit(tree, "referentiel/chiffres/2026.yml", "Nombre de ménages reçus", "Nombre de ménages recus")
    try:
        load_sources(tree)
    except SourceErrors as error:
        assert str(error).splitlines()[0] == (
            "referentiel/chiffres/2026.yml:7: partners[0].figures[0].indicator: indicateur de ce partenaire "
            "« Nombre de ménages recus » inconnu ; vouliez-vous dire « Nombre de ménages reçus » ?"
        )
    else:
        raise AssertionError("an unknown indicator must stop the build")
