"""The real Paris print documents read back as a reader holds them: wording for paper, whole sheets, covers.

Printed once for the module with the project's own cache (build/print-cache, warm after `make build`), so the
whole module takes a few seconds; the PDFs' text is read back with pypdf.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pypdf
import pypdfium2
import pytest
import weasyprint
from pydantic import HttpUrl

from evictionportal.load import Sources, load_sources
from evictionportal.printing import PrintReport, print_documents
from evictionportal.printing.context import build_context
from evictionportal.printing.layout import layout_findings
from evictionportal.printing.plan import plan
from evictionportal.printing.render import render_html, template_environment
from evictionportal.schema import FlyerLayout
from evictionportal.text import french_date
from tests.conftest import ROOT
from tests.test_print import pdf_text

LEGIFRANCE_IDS = re.compile(r"LEGIARTI|LEGITEXT|JORFTEXT|JORFARTI|CETATEXT|JURITEXT")


@pytest.fixture(scope="module")
def sources() -> Sources:
    return load_sources(ROOT)


@pytest.fixture(scope="module")
def printed(sources: Sources, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, PrintReport]:
    out = tmp_path_factory.mktemp("paper") / "documents"
    return out, print_documents(sources, out)


@pytest.fixture(scope="module")
def short_texts(printed: tuple[Path, PrintReport]) -> dict[str, str]:
    """The text of every leaflet and poster (the print-shop copies have the same), read back with pypdf."""
    folder, _ = printed
    paths = [*folder.glob("depliant-*.pdf"), *folder.glob("affiche-*.pdf")]
    return {path.name: pdf_text(path) for path in sorted(paths) if "imprimeur" not in path.name}


def texts(short_texts: dict[str, str], prefix: str) -> dict[str, str]:
    found = {name: text for name, text in short_texts.items() if name.startswith(prefix)}
    assert found, prefix
    return found


def whole_text(path: Path) -> str:
    """Every page's text through PDFium: the référentiel's 56 pages in a fraction of a second."""
    document = pypdfium2.PdfDocument(path)
    try:
        return " ".join(document[i].get_textpage().get_text_bounded() for i in range(len(document)))
    finally:
        document.close()


def leaflet_html(sources: Sources, flyer_id: str) -> str:
    variant = next(v for v in plan(sources) if v.flyer.id == flyer_id and v.size == "A4" and not v.print_shop)
    return render_html(template_environment(), build_context(sources, variant, None))


def test_paper_folded_a5_leaflets_are_whole_sheets(printed: tuple[Path, PrintReport]) -> None:
    folder, _ = printed
    leaflets = sorted(folder.glob("depliant-*-a5*.pdf"))
    assert len(leaflets) == 10
    for path in leaflets:
        assert len(pypdf.PdfReader(path).pages) % 4 == 0, path.name


def test_paper_no_page_left_mostly_empty_and_no_heading_alone_at_a_page_foot(
    printed: tuple[Path, PrintReport],
) -> None:
    _, report = printed
    assert report.layout_faults == []


def test_paper_leaflets_and_posters_speak_of_the_document_without_internal_words(
    short_texts: dict[str, str],
) -> None:
    assert len(short_texts) == 12
    for name, text in short_texts.items():
        assert "Ce site" not in text and "ce site" not in text, name
        assert "procédure de référence" not in text, name
    assert "À chaque étape, des aides gratuites existent à Paris." in short_texts["affiche-campagne-a4.pdf"]


def test_paper_the_7500_euro_fine_is_printed_only_with_its_exceptions(short_texts: dict[str, str]) -> None:
    assert "7 500 €" not in short_texts["depliant-prevention-a4.pdf"]
    for name, text in short_texts.items():
        if "7 500 €" in text:
            assert "occupation-sans-droit-ni-titre" in name, name
            assert "Seulement si le jugement ne peut plus être contesté" in text, name
            assert "Pas d'amende pendant la trêve" in text, name  # the exceptions of Code pénal 315-2
            assert "juge de l'exécution est saisi" in text and "social ou public" in text, name


def test_paper_leaflets_name_only_organisations_the_reader_can_reach(short_texts: dict[str, str]) -> None:
    for name, text in texts(short_texts, "depliant-").items():
        helpers = text.split("Qui peut vous aider ?", 1)[1]
        assert "Maison de justice et du droit du 13e arrondissement" in helpers and "45 allée Paris-Ivry" in helpers
        # No verified contact yet: named on the web page, not on paper.
        assert "Espaces parisiens des solidarités. Les services sociaux" not in helpers, name
        assert "(ADIL 75). Elle donne" not in helpers, name


def test_paper_steps_carry_the_numbers_of_the_web(sources: Sources) -> None:
    """« Étape 3 sur 7 » on the web is step 3 on paper: a ground's list starts where it joins the procedure."""
    conge = leaflet_html(sources, "depliant-conge-vente-reprise")
    assert "Les étapes qui s\u2019appliquent aussi" in conge
    assert re.findall(r'class="stage-number">(\d+)<', conge) == ["3", "4", "5", "6", "7"]
    assert conge.index("3</span>") < conge.index("L\u2019assignation et l\u2019audience")
    impayes = leaflet_html(sources, "depliant-impayes")
    assert "La procédure, étape par étape" in impayes and "s\u2019appliquent aussi" not in impayes


def test_paper_no_raw_legifrance_identifier_in_any_document(printed: tuple[Path, PrintReport]) -> None:
    folder, report = printed
    assert len(report.documents) == len(list(folder.glob("*.pdf"))) > 30
    for path in folder.glob("*.pdf"):
        text = whole_text(path)
        assert "Paris" in text, path.name  # the text is read, not an empty layer
        assert not LEGIFRANCE_IDS.search(text), path.name


def test_paper_referentiel_cover_gives_its_edition_and_what_it_holds(
    sources: Sources, printed: tuple[Path, PrintReport]
) -> None:
    folder, _ = printed
    cover = pypdf.PdfReader(folder / "referentiel-a4.pdf").pages[0].extract_text()
    cover = " ".join(cover.replace("\u2019", "'").replace("\u00a0", " ").split())
    assert f"Édition du {french_date(sources.as_of)}" in cover
    assert not re.search(r"\b[0-9a-f]{7,40}\b", cover), "a commit or version id on the cover"
    assert f"Les {len(sources.stages)} étapes de la procédure" in cover
    assert f"Les {len(sources.actions)} actions de la charte" in cover
    assert "14 décembre 2017 par l'État et la Ville de Paris" in cover
    for volume in folder.glob("annuaire-*.pdf"):  # the directory's volumes give their edition the same way
        first = " ".join(pypdf.PdfReader(volume).pages[0].extract_text().split())
        assert f"Édition du {french_date(sources.as_of)}" in first, volume.name
        assert not re.search(r"\b[0-9a-f]{7,40}\b", first), volume.name


def test_layout_findings_name_a_near_empty_page_and_a_heading_alone_at_its_foot() -> None:
    html = (
        "<html lang='fr'><body><p>Un paragraphe.</p><h2>Un titre seul</h2>"
        "<div style='break-before: page'>" + "<p>Une ligne.</p>" * 90 + "</div></body></html>"
    )
    pages = weasyprint.HTML(string=html).render().pages
    assert layout_findings(pages)[:2] == [
        "page 1 vide aux 91 %",
        "page 1 finit par un titre, séparé de son texte",
    ]
    full = weasyprint.HTML(string="<html><body>" + "<p>Une ligne.</p>" * 120 + "</body></html>").render()
    assert layout_findings(full.pages) == []


def test_paper_leaflets_and_posters_hold_their_pages_once_the_site_has_its_address(
    sources: Sources, tmp_path: Path
) -> None:
    """The QR code and the address take room the proofs leave empty: the final documents still fit their paper."""
    territory = sources.territory.model_copy(update={"site_url": HttpUrl("https://www.expulsions-paris.example.fr/")})
    short = [  # the print-shop copies have the same pages: left out, to keep the test short
        f.model_copy(update={"print_shop": False})
        for f in sources.flyers
        if f.layout in (FlyerLayout.leaflet, FlyerLayout.poster)
    ]
    final = dataclasses.replace(sources, territory=territory, flyers=short)
    report = print_documents(final, tmp_path / "out", cache_dir=tmp_path / "cache")  # raises past a page budget
    assert len(report.documents) == 12 and report.layout_faults == []
    back = pdf_text(tmp_path / "out/depliant-troubles-de-jouissance-a5.pdf")
    assert "www.expulsions-paris.example.fr/" in back and "motifs/troubles-de-jouissance/" in back


def test_layout_findings_name_a_proof_band_over_text() -> None:
    band = "<p class='proof-band' style='position: fixed; top: {top}; left: 0; right: 0; border: 1px solid'>Épreuve</p>"
    text = "<p>Une ligne de texte.</p>"
    over = weasyprint.HTML(string=f"<html><body>{band.format(top='0')}{text}</body></html>").render()
    assert layout_findings(over.pages) == ["page 1 : la bande « Épreuve » couvre du texte"]
    clear = weasyprint.HTML(string=f"<html><body>{band.format(top='-15mm')}{text}</body></html>").render()
    assert layout_findings(clear.pages) == []


def test_paper_hotlines_of_each_leaflet_are_those_of_its_web_page(sources: Sources) -> None:
    """A congé leaflet gives the lines its web page gives as call buttons: no unpaid-rent line."""
    from evictionportal.relations import call_lines

    for flyer in sources.flyers:
        if flyer.layout is not FlyerLayout.leaflet:
            continue
        ground = next((g for g in sources.grounds if g.id == flyer.ground), None)
        lines = call_lines(sources, ground.who_can_help) if ground else call_lines(sources, [], every_hotline=True)
        box = leaflet_html(sources, flyer.id).split('<aside class="hotlines">', 1)[1].split("</aside>", 1)[0]
        named = re.findall(r'class="hotline-name">([^<]+)<', box)
        assert named == [o.name.replace("'", "\u2019") for o in lines], flyer.id
    conge = leaflet_html(sources, "depliant-conge-vente-reprise").split('<aside class="hotlines">', 1)[1]
    box = conge.split("</aside>", 1)[0].replace("\u00a0", " ")
    assert "0 805 160 075" not in box and "Allô Prévention Expulsion" in box


def test_paper_poster_lists_the_documents_of_the_home_page(sources: Sources) -> None:
    variant = next(v for v in plan(sources) if v.flyer.id == "affiche-campagne" and v.size == "A4")
    poster = render_html(template_environment(), build_context(sources, variant, None))
    received = poster.split('<section class="received">', 1)[1].split("</section>", 1)[0]
    wanted = [s.document for s in sources.stages if s.document] + [g.document for g in sources.grounds if g.document]
    shown = [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"</span>(.*?)</li>", received, re.S)]
    assert shown == [w.replace("'", "\u2019") for w in wanted if w]
    assert "Un congé de mon propriétaire" in received.replace("\u2019", "'")


def lowest_text(path: Path, index: int) -> float:
    """How far down the page its lowest character reaches, as a share of the page's height (PDFium's boxes)."""
    document = pypdfium2.PdfDocument(path)
    try:
        page = document[index]
        text = page.get_textpage()
        bottoms = [text.get_charbox(i)[1] for i in range(text.count_chars()) if text.get_text_range(i, 1).strip()]
        return 1 - min(bottoms) / page.get_height()
    finally:
        document.close()


def test_paper_folded_leaflets_back_cover_is_filled(printed: tuple[Path, PrintReport]) -> None:
    """The outside back page of an A5 leaflet holds the lines to call, who can help and the site: never a third
    empty. Measured on the PDF as printed, beside layout.py's own reading (report.layout_faults)."""
    folder, report = printed
    for path in sorted(folder.glob("depliant-*-a5.pdf")):
        back = len(pypdf.PdfReader(path).pages) - 1
        assert lowest_text(path, back) > 0.62, path.name  # of the page's height, its margins included
        cover = pdf_text(path).split("Besoin d'aide ? Appelez, c'est gratuit")
        assert len(cover) == 3, path.name  # on the front, and again on the back cover
    assert not [fault for fault in report.layout_faults if "a5" in fault]


def test_layout_findings_read_a_folded_leaflets_back_cover() -> None:
    html = "<html lang='fr'><body>" + "<p>Une ligne.</p>" * 60 + "<p style='break-before: page'>Fin.</p></body></html>"
    pages = weasyprint.HTML(string=html).render().pages
    last = f"page {len(pages)} vide aux"
    assert not any(f.startswith(last) for f in layout_findings(pages))
    assert any(f.startswith(last) for f in layout_findings(pages, back_cover=True))
