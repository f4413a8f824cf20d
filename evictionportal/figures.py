"""The partners' figures (charter action 2): tables across years, a chart, a yearly « Bilan des données » PDF.

Numbers come only from referentiel/chiffres/ANNEE.yml, written by
`annuaire importer`. A partner that has not answered for a year is said so in
words; no number is ever filled in, and a partner with no number gets no
chart. The chart is an SVG drawn at build time by pygal, without JavaScript
(its script element is removed), an image file in /donnees/graphiques/ whose
text alternative is the table printed right below it.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import pygal
from pygal.style import Style

from . import schema
from .load import Sources
from .opendata import FOLDER, DataFile

SVG = "http://www.w3.org/2000/svg"
CHART_FOLDER = f"{FOLDER}/graphiques"
NOT_ANSWERED = "pas de réponse"
NOT_GIVEN = "non transmis"
CHART_STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1a1a1a",
    foreground_strong="#1a1a1a",
    foreground_subtle="#555",
    colors=("#15306b", "#b34700", "#2e7d32", "#6a1b9a", "#00695c", "#8d6e00"),
    font_family="Atkinson Hyperlegible, Arial, sans-serif",
    label_font_size=15,
    major_label_font_size=15,
    legend_font_size=16,
    title_font_size=18,
)


@dataclass(frozen=True)
class Cell:
    value: int | None
    text: str  # the number in French, or why there is none


@dataclass
class IndicatorRow:
    indicator: str
    cells: list[Cell]


@dataclass
class PartnerTable:
    organisation: schema.Organisation
    years: list[int]
    rows: list[IndicatorRow] = field(default_factory=list)
    missing_years: list[int] = field(default_factory=list)  # years this partner has not answered

    @property
    def chart(self) -> str | None:
        """Where the chart is, relative to the site root; None when there is no number to draw."""
        return f"{CHART_FOLDER}/{self.organisation.id}.svg" if self.has_numbers else None

    @property
    def has_numbers(self) -> bool:
        return any(cell.value is not None for row in self.rows for cell in row.cells)


def french_number(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


def partner_tables(sources: Sources) -> list[PartnerTable]:
    """One table per partner named in indicateurs.yml, one column per year of referentiel/chiffres/."""
    years = [year.year for year in sources.figures]
    tables = []
    for group in sources.indicators.sets:
        table = PartnerTable(sources.organisations[group.organisation], years)
        answers = {
            y.year: next((p for p in y.partners if p.organisation == group.organisation), None) for y in sources.figures
        }
        table.missing_years = [year for year in years if answers[year] is None]
        for indicator in group.indicators:
            cells = []
            for year in years:
                answer = answers[year]
                given = {f.indicator: f.value for f in answer.figures} if answer else {}
                value = given.get(indicator)
                text = french_number(value) if value is not None else (NOT_GIVEN if answer else NOT_ANSWERED)
                cells.append(Cell(value, text))
            table.rows.append(IndicatorRow(indicator, cells))
        tables.append(table)
    return tables


def chart_svg(table: PartnerTable) -> str:
    """A bar chart per year and indicator; no script, a title and a description inside the SVG."""
    chart = pygal.Bar(
        js=[],
        style=CHART_STYLE,
        width=720,
        height=400,
        explicit_size=True,
        disable_xml_declaration=True,
        no_prefix=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=1,
        truncate_legend=-1,
        print_values=False,
        title=table.organisation.display_name,
    )
    chart.x_labels = [str(year) for year in table.years]
    for row in table.rows:
        if any(cell.value is not None for cell in row.cells):
            chart.add(row.indicator, [cell.value for cell in row.cells])
    root = ET.fromstring(chart.render(is_unicode=True))
    for parent in root.iter():
        for child in [c for c in parent if c.tag == f"{{{SVG}}}script"]:
            parent.remove(child)
    root.set("role", "img")
    title = ET.Element(f"{{{SVG}}}title")
    title.text = f"Chiffres transmis par {table.organisation.name}, par année"
    root.insert(0, title)
    ET.register_namespace("", SVG)
    return ET.tostring(root, encoding="unicode")


# ------------------------------------------------------------------ the yearly PDF


def write_figure_files(sources: Sources, site_docs: Path) -> list[DataFile]:
    """The charts (SVG files the indicators page shows) and one « Bilan des données » PDF per year."""
    if not sources.figures:
        return []
    from .campaign.packet import render_document

    tables = partner_tables(sources)
    for table in tables:
        if table.chart:
            (site_docs / table.chart).parent.mkdir(parents=True, exist_ok=True)
            (site_docs / table.chart).write_text(chart_svg(table), encoding="utf-8")
    folder = site_docs / FOLDER
    files = []
    for position, year in enumerate(sources.figures):
        name = f"bilan-donnees-{year.year}.pdf"
        context = FigureReport(
            title=f"Bilan des données {year.year}",
            territory=sources.territory,
            verified=max((p.received for p in year.partners), default=sources.as_of),
            year=year.year,
            tables=[_one_year(t, position) for t in tables],
            collected_by=sources.organisations[sources.indicators.collected_by],
        )
        (folder / name).write_bytes(render_document("figures_report.html.j2", context))
        files.append(DataFile(context.title, f"{FOLDER}/{name}", "PDF", (folder / name).stat().st_size))
    return files


@dataclass
class FigureReport:
    title: str
    territory: schema.Territory
    verified: dt.date
    year: int
    tables: list[PartnerTable]
    collected_by: schema.Organisation
    layout: str = "bilan"
    size: str = "A4"
    print_shop: bool = False
    proof: bool = False


def _one_year(table: PartnerTable, position: int) -> PartnerTable:
    year = table.years[position]
    rows = [IndicatorRow(row.indicator, [row.cells[position]]) for row in table.rows]
    missing = [year] if year in table.missing_years else []
    return PartnerTable(table.organisation, [year], rows, missing)
