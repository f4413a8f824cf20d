"""The print documents: what each PDF says, how many pages, tagged and accessible, QR code, cache, errors.

The made-up tree is printed once for the module; tests that change a source copy it again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from evictionportal.build import build_site
from evictionportal.errors import SourceErrors
from evictionportal.load import load_sources
from evictionportal.printing import print_documents
from evictionportal.printing.context import first_sentence
from evictionportal.text import french_date
from tests.conftest import MINIMAL, ROOT, edit
from tests.test_build import page_text

FONTS = ("Atkinson-Hyperlegible", "Noto-Sans-Math")
BLEED_PT = 3 * 72 / 25.4


def pdf_text(path: Path) -> str:
    """The text of a PDF as a reader would copy it, spaces and apostrophes made plain."""
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    return " ".join(text.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ").split())


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The made-up tree built once, PDFs included."""
    root = tmp_path_factory.mktemp("print") / "project"
    shutil.copytree(MINIMAL, root)
    report = build_site(root)
    assert report.printed.documents and not report.warnings
    return root / "site"


def docs(site: Path) -> Path:
    return site / "documents"


# ------------------------------------------------------------------ what is printed


def test_print_every_flyer_gives_its_pdfs(site: Path) -> None:
    assert sorted(p.name for p in docs(site).glob("*.pdf")) == [
        "affiche-campagne-a3.pdf",
        "affiche-campagne-a4.pdf",
        "annuaire-2-a4.pdf",  # the 2nd quartier's own organisation
        "annuaire-exempleville-a4.pdf",  # who serves the whole territory, and national lines
        "depliant-impayes-a4-imprimeur.pdf",
        "depliant-impayes-a4.pdf",
        "depliant-impayes-a5-imprimeur.pdf",
        "depliant-impayes-a5.pdf",
        "depliant-prevention-a4-imprimeur.pdf",
        "depliant-prevention-a4.pdf",
        "depliant-prevention-a5-imprimeur.pdf",
        "depliant-prevention-a5.pdf",
        "guide-bailleurs-a4.pdf",
        "referentiel-a4.pdf",
    ]


def test_print_leaflet_has_hotline_stages_deadlines_helpers_and_verification(site: Path) -> None:
    text = pdf_text(docs(site) / "depliant-prevention-a4.pdf")
    for expected in [
        "Page accueil",  # the intro page's title
        "Besoin d'aide ? Appelez, c'est gratuit",
        "Ligne d'écoute d'exemple",
        "0 805 160 075",
        "Une partie",  # the section taken from the home page
        "La procédure, étape par étape",
        "La première étape",
        "6 semaines pour agir",
        "Qui peut vous aider ?",
        "Association du deuxième quartier",
        "01 23 45 67 89",
        "exemple.test/pres-de-chez-moi/",
        "Vérifié le 20 novembre 2026 par Tests",
    ]:
        assert expected in text, expected
    assert "La deuxième étape" not in text  # a draft stage is never printed
    assert "contact@exemple.fr" not in text  # an unverified contact is never printed


def test_print_ground_leaflet_says_what_to_do_and_its_stages(site: Path) -> None:
    text = pdf_text(docs(site) / "depliant-impayes-a4.pdf")
    for expected in [
        "Loyers impayés",
        "Le loyer n'est pas payé.",
        "Que faire maintenant ?",
        "Parlez à votre propriétaire.",
        "Ce qu'il faut savoir",
        "C'est la procédure de référence.",
        "La procédure, étape par étape",  # the ground takes every published stage
        "La première étape",
        "exemple.test/motifs/impayes/",
    ]:
        assert expected in text, expected


def test_print_poster_guide_and_referentiel_hold_their_parts(site: Path) -> None:
    poster = pdf_text(docs(site) / "affiche-campagne-a3.pdf")
    assert "Quel document avez-vous reçu ?" in poster and "Une lettre d'exemple" in poster
    guide = pdf_text(docs(site) / "guide-bailleurs-a4.pdf")
    assert "Au premier impayé" in guide and "Parlez à votre locataire" in guide and "Aide d'exemple" in guide
    ref = pdf_text(docs(site) / "referentiel-a4.pdf")
    for expected in [
        "Référentiel d'exemple",
        f"Édition du {french_date(dt.date.today())}",  # the day the build shows the law as of
        "Contenu vérifié au 20 novembre 2026",
        "Sommaire",
        "Étape 1 : La première étape",
        "6 semaines pour agir",
        "Service social d'exemple : Reçoit le ménage.",
        "Action 1 : Informer les locataires",
        "Écrire un dépliant",
        "Page 2 sur",
        "Loi d'exemple, article 1",
    ]:
        assert expected in ref, expected
    assert "Elle accompagne les locataires du 2e quartier" not in ref  # the directory is a document of its own
    assert "L'annuaire des acteurs est un document à part, en 2 volume(s) : annuaire-exempleville-a4.pdf, " in ref


def test_print_directory_has_a_volume_for_the_territory_and_one_per_area_with_its_own_organisations(
    site: Path,
) -> None:
    whole = pdf_text(docs(site) / "annuaire-exempleville-a4.pdf")
    assert "Annuaire d'exemple : tout Exempleville" in whole
    assert "Service social d'exemple" in whole and "Coordonnées pas encore vérifiées par l'organisme" in whole
    assert "Ligne d'écoute d'exemple" in whole and "ligne nationale" in whole and "0 805 160 075" in whole
    assert "Association du deuxième quartier" not in whole
    area = pdf_text(docs(site) / "annuaire-2-a4.pdf")
    assert "Annuaire d'exemple : 2e quartier" in area
    assert "Association du deuxième quartier" in area and "01 23 45 67 89" in area
    assert "contact@exemple.fr" not in area  # not verified: never printed
    assert "Service social d'exemple" not in area
    assert "tout Exempleville sont dans le volume annuaire-exempleville-a4.pdf" in area
    assert not (docs(site) / "annuaire-1-a4.pdf").exists()  # no organisation of its own: no volume


def test_print_referentiel_contents_give_the_right_page_numbers(site: Path) -> None:
    reader = pypdf.PdfReader(docs(site) / "referentiel-a4.pdf")
    contents = reader.pages[1].extract_text(extraction_mode="layout").replace("\u2019", "'")
    entries = re.findall(r"^\s*(\S[^.\n]*?)\s*\.{3,}\s*(\d+)\s*$", contents, flags=re.MULTILINE)
    assert len(entries) >= 7
    for title, number in entries:
        assert title in reader.pages[int(number) - 1].extract_text().replace("\u2019", "'"), (title, number)
    pages = len(reader.pages)
    assert f"Page {pages} sur {pages}" in reader.pages[-1].extract_text()


@pytest.mark.parametrize(
    ("name", "pages"),
    [
        ("depliant-prevention-a4.pdf", 2),
        ("depliant-prevention-a4-imprimeur.pdf", 2),
        ("depliant-impayes-a4.pdf", 2),
        ("depliant-prevention-a5.pdf", 4),  # folded from an A4 sheet: 2 pages of text, then 2 blank back pages
        ("affiche-campagne-a3.pdf", 1),
        ("affiche-campagne-a4.pdf", 1),
    ],
)
def test_print_page_counts(site: Path, name: str, pages: int) -> None:
    assert len(pypdf.PdfReader(docs(site) / name).pages) == pages


def test_print_folded_a5_leaflet_ends_with_blank_pages(site: Path) -> None:
    reader = pypdf.PdfReader(docs(site) / "depliant-prevention-a5.pdf")
    texts = [page.extract_text().strip() for page in reader.pages]
    assert texts[0] and texts[1]
    assert all(len(t) < 80 for t in texts[2:]), texts[2:]  # nothing, or the proof band alone


# ------------------------------------------------------------------ accessible and durable


def test_print_every_pdf_is_tagged_titled_french_with_bookmarks_and_embedded_subset_fonts(site: Path) -> None:
    for path in docs(site).glob("*.pdf"):
        reader = pypdf.PdfReader(path)
        root = reader.trailer["/Root"]
        assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"], path.name
        assert root["/Lang"] == "fr", path.name
        assert root["/ViewerPreferences"]["/DisplayDocTitle"], path.name
        assert reader.metadata.title, path.name
        assert reader.outline, f"{path.name} has no bookmarks"
        assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data(), path.name
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                name = str(font["/BaseFont"])
                descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
                descriptor = descendant["/FontDescriptor"]
                assert any(key.startswith("/FontFile") for key in descriptor), f"{name} not embedded in {path.name}"
                assert re.match(r"^/[A-Z]{6}\+", name), f"{name} not a subset in {path.name}"
                assert any(f in name for f in FONTS), f"{name} is not a vendored font ({path.name})"


def test_print_pdf_title_is_the_flyer_title(site: Path) -> None:
    assert pypdf.PdfReader(docs(site) / "depliant-impayes-a4.pdf").metadata.title == "Dépliant : Loyers impayés"


def test_print_qr_code_has_alternative_text(site: Path) -> None:
    reader = pypdf.PdfReader(docs(site) / "depliant-impayes-a4.pdf")
    figures = []

    def walk(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, dict):
            if node.get("/S") == "/Figure":
                figures.append(node)
            walk(node.get("/K", []))
        elif isinstance(node, list):
            for kid in node:
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    assert [str(f.get("/Alt")) for f in figures] == ["Code QR vers la page exemple.test/motifs/impayes/"]


def zbar(pdf: Path, page: int, tmp_path: Path) -> str:
    png = tmp_path / f"{pdf.stem}-{page}"
    subprocess.run(
        ["pdftoppm", "-r", "150", "-f", str(page), "-l", str(page), "-png", "-singlefile", str(pdf), str(png)],
        check=True,
    )
    result = subprocess.run(["zbarimg", "--quiet", "--raw", f"{png}.png"], capture_output=True, text=True)
    return result.stdout.strip()


@pytest.mark.skipif(
    not (shutil.which("zbarimg") and shutil.which("pdftoppm")),
    reason="zbar-tools and poppler-utils are installed by `make test` (scripts/system-deps.sh)",
)
@pytest.mark.parametrize(
    ("name", "page", "url"),
    [
        ("depliant-prevention-a4.pdf", 2, "https://exemple.test/"),
        ("depliant-impayes-a4-imprimeur.pdf", 2, "https://exemple.test/motifs/impayes/"),
        ("depliant-impayes-a5.pdf", 2, "https://exemple.test/motifs/impayes/"),
        ("affiche-campagne-a4.pdf", 1, "https://exemple.test/"),
        ("guide-bailleurs-a4.pdf", -1, "https://exemple.test/bailleurs/"),
        ("referentiel-a4.pdf", 1, "https://exemple.test/professionnels/"),
    ],
)
def test_print_qr_code_decodes_to_the_matching_page(site: Path, tmp_path: Path, name: str, page: int, url: str) -> None:
    pdf = docs(site) / name
    if page == -1:
        page = len(pypdf.PdfReader(pdf).pages)
    assert zbar(pdf, page, tmp_path) == url


def test_print_shop_variant_has_3_mm_bleed_and_room_for_crop_marks(site: Path) -> None:
    page = pypdf.PdfReader(docs(site) / "depliant-prevention-a4-imprimeur.pdf").pages[0]
    trim = [float(x) for x in page.trimbox]
    bleed = [float(x) for x in page.bleedbox]
    media = [float(x) for x in page.mediabox]
    assert round(trim[2] - trim[0]) == 595 and round(trim[3] - trim[1]) == 842  # A4
    assert [round(b - t, 2) for b, t in zip(bleed, trim, strict=True)] == [
        round(x, 2) for x in (-BLEED_PT, -BLEED_PT, BLEED_PT, BLEED_PT)
    ]
    assert media[0] < bleed[0] and media[2] > bleed[2]  # the marks sit outside the bleed
    office = pypdf.PdfReader(docs(site) / "depliant-prevention-a4.pdf").pages[0]
    assert [round(float(x)) for x in office.mediabox] == [0, 0, 595, 842]


# ------------------------------------------------------------------ on the site


def test_print_documents_page_lists_every_pdf_with_format_size_and_date(site: Path) -> None:
    text = page_text(site, "documents")
    rows = re.findall(r"\| (.+?) \|", (site / "documents/index.html").read_text())
    assert rows is not None
    for pdf in docs(site).glob("*.pdf"):
        assert f'href="{pdf.name}"' in (site / "documents/index.html").read_text(), pdf.name
    # Grouped by audience, then the print shop; every link says which document and which format.
    assert text.index("Pour les locataires") < text.index("Pour les professionnels") < text.index("Pour l'imprimeur")
    assert "Dépliant d'exemple, format A5, version imprimeur : PDF, 4 pages" in text
    assert re.search(r"Référentiel d'exemple, format A4 : PDF, \d+ pages, \d+ Ko\. Vérifié le 20 novembre 2026", text)
    names = re.findall(r'<a href="[^"]+\.pdf">([^<]+)</a>', (site / "documents/index.html").read_text())
    assert len(names) == len(set(names)) == len(list(docs(site).glob("*.pdf")))
    assert "Documents à imprimer" in (site / "index.html").read_text()  # in the menu


def test_print_stage_and_ground_pages_link_to_their_leaflet(site: Path) -> None:
    stage = (site / "etapes/premiere-etape/index.html").read_text()
    assert 'href="../../documents/depliant-prevention-a4.pdf"' in stage
    assert "Dépliant d'exemple, format A4 : PDF de 2 pages" in page_text(site, "etapes/premiere-etape")
    ground = (site / "motifs/impayes/index.html").read_text()
    assert 'href="../../documents/depliant-impayes-a5.pdf"' in ground
    assert "imprimeur" not in ground


# ------------------------------------------------------------------ one source, web page and leaflet


def test_print_changed_yaml_reaches_both_the_web_page_and_the_leaflet(site: Path, tree: Path) -> None:
    edit(
        tree,
        "referentiel/etapes/01-premiere-etape.yml",
        "label: 6 semaines pour agir",
        "label: 2 mois pour agir désormais",
    )
    report = build_site(tree)
    assert "2 mois pour agir désormais" in page_text(tree / "site", "etapes/premiere-etape")
    assert "2 mois pour agir désormais" in pdf_text(tree / "site/documents/depliant-prevention-a4.pdf")
    assert "6 semaines pour agir" not in pdf_text(tree / "site/documents/depliant-prevention-a4.pdf")
    redone = {d.path.split("/")[-1] for d in report.printed.documents if not d.cached}
    assert "depliant-prevention-a4.pdf" in redone and "referentiel-a4.pdf" in redone
    assert "guide-bailleurs-a4.pdf" not in redone  # the guide does not show stages: not rendered again


def test_print_unchanged_inputs_are_not_rendered_again(tree: Path, tmp_path: Path) -> None:
    sources = load_sources(tree)
    first = print_documents(sources, tmp_path / "one")
    again = print_documents(load_sources(tree), tmp_path / "two")
    assert again.cached == len(again.documents) == len(first.documents)
    assert sorted((tree / "build/print-cache").glob("*.pdf")), "the cache lives in build/print-cache/"
    for doc in again.documents:
        name = doc.path.split("/")[-1]
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_print_editing_one_organisation_re_renders_only_the_documents_that_show_it(tree: Path) -> None:
    build_site(tree)
    edit(tree, "directory/association-quartier-deux.yml", "value: 01 23 45 67 89", "value: 01 23 45 67 00")
    report = build_site(tree)
    redone = {d.path.split("/")[-1] for d in report.printed.documents if not d.cached}
    leaflets = {
        f"depliant-{name}-{size}{shop}.pdf"
        for name in ("prevention", "impayes")
        for size in ("a4", "a5")
        for shop in ("", "-imprimeur")
    }
    # Its phone is printed in the leaflets that name it and in its area's volume of the directory; the
    # référentiel (which names it only), the poster, the guide and the other volume are not rendered again.
    assert redone == leaflets | {"annuaire-2-a4.pdf"}
    assert "01 23 45 67 00" in pdf_text(tree / "site/documents/annuaire-2-a4.pdf")


# ------------------------------------------------------------------ errors


def test_print_referentiel_over_its_page_count_is_published_and_reports_pages_and_size(tree: Path) -> None:
    edit(tree, "flyers/referentiel.yml", "  - {size: A4, pages: 20}", "  - {size: A4, pages: 2}")
    report = build_site(tree)
    referentiel = next(d for d in report.printed.documents if d.flyer_id == "referentiel")
    assert (tree / "site/documents/referentiel-a4.pdf").exists() and referentiel.pages > 2
    assert (
        f"« Référentiel d'exemple » (referentiel-a4.pdf) fait {referentiel.pages} pages et {referentiel.kilobytes} Ko, "
        "pour 2 prévue(s) dans flyers/referentiel.yml : il est publié quand même" in report.warnings[0]
    )
    assert f"referentiel : 1 PDF, {referentiel.pages} p., {referentiel.kilobytes} Ko" in (
        report.printed.growing_documents()
    )


def test_print_overflowing_leaflet_fails_the_build_naming_the_document(tree: Path) -> None:
    edit(tree, "flyers/depliant-prevention.yml", "  - {size: A4, pages: 2}", "  - {size: A4, pages: 1}")
    with pytest.raises(SourceErrors) as caught:
        build_site(tree)
    messages = [str(p) for p in caught.value.problems]
    assert messages == [
        "flyers/depliant-prevention.yml:6: formats[0].pages: le document « Dépliant d'exemple » "
        "(depliant-prevention-a4-imprimeur.pdf) fait 2 pages pour 1 prévue(s) : raccourcissez les textes qu'il "
        "reprend, retirez un bloc de flyers/ ou augmentez « pages »",
        "flyers/depliant-prevention.yml:6: formats[0].pages: le document « Dépliant d'exemple » "
        "(depliant-prevention-a4.pdf) fait 2 pages pour 1 prévue(s) : raccourcissez les textes qu'il "
        "reprend, retirez un bloc de flyers/ ou augmentez « pages »",
    ]
    assert not (tree / "site").exists()  # nothing half-built was published


def test_print_without_site_url_gives_marked_proofs_without_qr_code(tree: Path) -> None:
    """No public address yet: proofs that say so on every page, no QR code, and a warning naming the file."""
    edit(tree, "content/territoire.yml", "site_url: https://exemple.test/\n", "")
    report = build_site(tree)
    assert report.warnings and "content/territoire.yml" in report.warnings[0] and "site_url" in report.warnings[0]
    leaflet = tree / "site/documents/depliant-prevention-a4.pdf"
    reader = pypdf.PdfReader(leaflet)
    for page in reader.pages:
        assert "Épreuve, ne pas imprimer" in page.extract_text()
    assert "exemple.test" not in "".join(p.extract_text() for p in reader.pages)
    assert not any(page.images for page in reader.pages)  # the QR code is the leaflet's only image
    documents_page = (tree / "site/documents/index.html").read_text()
    assert (
        "Ne les envoyez pas à l&#39;imprimeur" in documents_page or "Ne les envoyez pas à l'imprimeur" in documents_page
    )
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--root", str(tree), "print"], capture_output=True, text=True
    )
    assert result.returncode == 0 and "content/territoire.yml n'indique pas site_url" in result.stderr


def test_print_flyer_naming_a_missing_section_is_a_source_error(tree: Path) -> None:
    edit(tree, "flyers/depliant-prevention.yml", "section: une-partie", "section: une-partye")
    edit(tree, "flyers/affiche-campagne.yml", "intro: accueil", "intro: acceuil")
    with pytest.raises(SourceErrors) as caught:
        load_sources(tree)
    assert [str(p) for p in caught.value.problems] == [
        "flyers/affiche-campagne.yml:8: intro: page (content/pages/) « acceuil » inconnu ; "
        "vouliez-vous dire « accueil » ?",
        "flyers/depliant-prevention.yml:11: sections[0].section: partie d'id « une-partye » absente de "
        "content/pages/accueil.yml ; vouliez-vous dire « une-partie » ?",
    ]


def test_print_leaflet_without_intro_or_ground_is_a_source_error(tree: Path) -> None:
    edit(tree, "flyers/affiche-campagne.yml", "intro: accueil\n", "")
    with pytest.raises(SourceErrors) as caught:
        load_sources(tree)
    assert "commence par une page (intro) ou par un motif (ground)" in str(caught.value)


def test_print_first_sentence_introduces_an_organisation() -> None:
    assert first_sentence("Elle verse les aides (APL, ALS).\nDans la charte, elle aide. Fin.") == (
        "Elle verse les aides (APL, ALS)."
    )


# ------------------------------------------------------------------ the real content, end to end


def test_print_real_leaflets_state_the_deadlines_and_hotlines(tmp_path: Path) -> None:
    """The five A4 leaflets of the real content (site_url given here: the real one is not decided yet)."""
    from pydantic import HttpUrl

    sources = load_sources(ROOT)
    territory = sources.territory.model_copy(update={"site_url": HttpUrl("https://exemple.test/")})
    leaflets = []
    for flyer in sources.flyers:
        if flyer.layout.value == "depliant":
            a4 = [f for f in flyer.formats if f.size.value == "A4"]
            leaflets.append(flyer.model_copy(update={"formats": a4, "print_shop": False}))
    for model in [territory, *leaflets]:
        original = sources.territory if model is territory else next(f for f in sources.flyers if f.id == model.id)
        sources.origins[id(model)] = sources.origins[id(original)]
    sources = dataclasses.replace(sources, territory=territory, flyers=leaflets)
    report = print_documents(sources, tmp_path / "documents", cache_dir=tmp_path / "cache")
    assert len(report.documents) == len(sources.grounds) + 1
    assert all(d.pages == 2 for d in report.documents)
    text = {d.flyer_id: pdf_text(tmp_path / d.path) for d in report.documents}
    for words in text.values():
        assert "0 805 299 049" in words  # Allô Prévention Expulsion: every ground's web page gives it too
        assert not re.search(r"0\s?810\s?001\s?505", words)
        assert re.search(r"Vérifié le \d{1,2} \w+ 20\d\d", words)
    # The unpaid-rent line where the web page gives it, not on a congé leaflet (test_print_paper: the same lines).
    assert "0 805 160 075" in text["depliant-prevention"] and "0 805 160 075" in text["depliant-impayes"]
    conge_lines = text["depliant-conge-vente-reprise"].split("Besoin d'aide ? Appelez, c'est gratuit", 1)[1][:200]
    assert "0 805 160 075" not in conge_lines and "0 805 299 049" in conge_lines
    single = text["depliant-prevention"]
    for deadline in [
        "6 semaines pour payer ou demander des délais au juge",
        "2 mois",
        "Le juge de l'exécution peut accorder de 1 mois à 1 an",
        "1er novembre au 31 mars",
    ]:
        assert deadline in single, deadline
    assert "6 mois avant la fin du bail pour un logement vide" in text["depliant-conge-vente-reprise"]
    assert "3 mois avant la fin du bail pour un logement meublé" in text["depliant-conge-vente-reprise"]


def test_print_flyer_waits_for_the_pages_it_takes_to_be_validated(tree: Path) -> None:
    edit(
        tree,
        "content/pages/mise-a-jour.yml",
        "review: {status: reviewed, date: 2026-11-26, by: Jeu d essai}",
        "review: {status: draft}",
    )
    edit(tree, "flyers/affiche-campagne.yml", "intro: accueil", "intro: mise-a-jour")
    report = print_documents(load_sources(tree), tree / "out")
    names = {doc.path.split("/")[-1] for doc in report.documents}
    assert names and not any(name.startswith("affiche-campagne") for name in names)


def test_print_documents_page_shows_page_one_of_each_document_small_lazy_and_decorative(site: Path) -> None:
    html = (site / "documents/index.html").read_text()
    images = re.findall(r"<img ([^>]+)>", html)
    shown = [d for d in docs(site).glob("*.pdf") if "imprimeur" not in d.name]
    assert len(images) == len(shown)  # the print-shop copies, listed apart, go without
    for attributes in images:
        src = re.search(r'src="([^"]+)"', attributes).group(1)
        picture = (site / "documents" / src).read_bytes()
        assert picture[:4] == b"RIFF" and picture[8:12] == b"WEBP", src
        assert len(picture) < 12_000, (src, len(picture))
        # The link beside names the document: the picture says nothing more to a screen reader.
        assert 'alt=""' in attributes and 'loading="lazy"' in attributes, attributes
        assert re.search(r'width="88" height="1\d\d"', attributes), attributes  # no jump while it loads


def test_print_facts_left_out_must_begin_a_sentence_of_the_ground(tree: Path) -> None:
    flyer = "flyers/depliant-impayes.yml"
    edit(tree, flyer, "who_can_help:", 'facts_left_out: ["C\'est la procédure de réference"]\nwho_can_help:')
    with pytest.raises(SourceErrors) as caught:
        load_sources(tree)
    assert [str(p) for p in caught.value.problems] == [
        "flyers/depliant-impayes.yml:10: facts_left_out[0]: aucune phrase de « differences » dans "
        "referentiel/motifs/impayes.yml ne commence par « C'est la procédure de réference » ; recopiez le début "
        "exact de la phrase à ne pas imprimer, ou retirez cette ligne"
    ]
    edit(tree, flyer, "réference", "référence")
    build_site(tree)
    text = pdf_text(tree / "site/documents/depliant-impayes-a4.pdf")
    # Its only fact left out, the leaflet has no « Ce qu'il faut savoir » heading over an empty list.
    assert "Que faire maintenant ?" in text and "Ce qu'il faut savoir" not in text
    assert "procédure de référence" not in text
    assert "procédure de référence" in page_text(tree / "site", "motifs/impayes")  # the web page keeps it
