"""The two editions of the same sources: the State's (DSFR, marque de l'État) and a local authority's (no DSFR,
no Marianne: both are reserved to the State). Both are read as built by `make test` (site/ and
build/site-collectivite/, which `check --edition collectivite` builds first); only the hostile-title case builds
the small made-up tree, once per edition."""

from __future__ import annotations

import html
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from evictionportal.build import build_site
from evictionportal.checks import is_state_edition
from evictionportal.checks.browser import check_accessibility
from evictionportal.checks.config import load_check_config
from evictionportal.checks.security import check_security
from evictionportal.checks.server import serve
from evictionportal.load import load_sources
from evictionportal.schema import Edition
from evictionportal.site import CONTENT_SECURITY_POLICY
from tests.conftest import ROOT, edit

FOOTER_LINKS = {
    "Plan du site": "plan-du-site/",
    "Accessibilité : non conforme": "accessibilite/",
    "Mentions légales": "mentions-legales/",
    "Données personnelles": "donnees-personnelles/",
    "Gestion des cookies": "gestion-des-cookies/",
}
INSTITUTIONAL = {"legifrance.gouv.fr", "info.gouv.fr", "service-public.fr", "data.gouv.fr"}


@pytest.fixture(scope="module")
def state_site() -> Path:
    site = build_site(ROOT, edition=Edition.etat).site_dir  # site/, as make test built it
    assert is_state_edition(site)
    return site


@pytest.fixture(scope="module")
def local_site() -> Path:
    site = build_site(ROOT, ROOT / "build" / "site-collectivite", edition=Edition.collectivite).site_dir
    assert not is_state_edition(site)
    return site


def pages_of(site: Path) -> Iterator[tuple[str, BeautifulSoup]]:
    for path in sorted(site.rglob("*.html")):
        if "recherche" in path.parts and path.name != "index.html":
            continue
        yield path.relative_to(site).as_posix(), BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_state_edition_every_page_has_the_dsfr_header_and_footer_with_their_links(state_site: Path) -> None:
    territory = load_sources(ROOT).territory
    pages = list(pages_of(state_site))
    assert len(pages) > 100
    for page, soup in pages:
        header = soup.select_one("header.fr-header")
        assert header is not None, page
        logo = header.select_one(".fr-logo")
        assert logo is not None and logo.get_text(" ", strip=True) == " ".join(territory.brand), page
        assert header.select_one(".fr-header__service-title").get_text(strip=True) == territory.site_name, page
        assert header.select_one('form[role="search"] input[name="q"]') is not None, page
        assert header.select_one('a.fr-btn--search[aria-label="Rechercher sur le site"]') is not None, page
        footer = soup.select_one("footer.fr-footer")
        assert footer is not None, page
        links = {a.get_text(" ", strip=True): a.get("href", "") for a in footer.select(".fr-footer__bottom-link[href]")}
        for label, target in FOOTER_LINKS.items():
            assert label in links, (page, label, links)
            reached = ((state_site / page).parent / links[label]).resolve()
            assert reached == (state_site / target).resolve(), (page, label, links[label])
            assert (reached / "index.html").is_file(), (page, label)
        hosts = {a.get_text(strip=True) for a in footer.select(".fr-footer__content-link")}
        assert hosts == INSTITUTIONAL, page
        assert footer.select_one('[aria-controls="parametres-affichage"]') is not None, page
        assert soup.select_one('dialog#parametres-affichage input[name="fr-radios-theme"]') is not None, page


def test_state_edition_serves_the_dsfr_from_the_site_and_marianne_in_the_weights_it_uses(state_site: Path) -> None:
    home = (state_site / "index.html").read_text(encoding="utf-8")
    assert 'href="assets/dsfr/dsfr.min.css"' in home and 'src="assets/dsfr/dsfr.module.min.js"' in home
    assert '<script src="assets/dsfr/theme-init.js"></script>' in home  # the anti-flash script, from a file
    css = (state_site / "assets/dsfr/dsfr.min.css").read_text(encoding="utf-8")
    faces = re.findall(r"@font-face\{[^}]*\}", css)
    assert [re.search(r"font-weight:(\d+)", face).group(1) for face in faces] == ["400", "700"]
    for url in re.findall(r"url\(([^)\"']+)\)", css):
        assert (state_site / "assets/dsfr" / url).is_file(), url
    assert sorted(p.name for p in (state_site / "assets/dsfr/fonts").iterdir()) == [
        "Marianne-Bold.woff2",
        "Marianne-Regular.woff2",
    ]


def test_local_edition_has_no_dsfr_class_asset_font_or_marianne(local_site: Path) -> None:
    publisher = load_sources(ROOT).territory.publisher_name
    assert not (local_site / "assets/dsfr").exists()
    for path in local_site.rglob("*"):
        if path.suffix in (".html", ".css", ".js"):
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"""class="[^"]*\bfr-""", text), path
            assert "Marianne" not in text and "dsfr" not in text.lower().replace("portail-dsfr", ""), path
        assert "Marianne" not in path.name, path
    home = BeautifulSoup((local_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.select_one("header .portail-editeur").get_text(strip=True) == f"Un site de {publisher}"


@pytest.mark.parametrize("edition", ["state_site", "local_site"])
def test_both_editions_have_the_same_csp_and_no_inline_script(edition: str, request: pytest.FixtureRequest) -> None:
    site: Path = request.getfixturevalue(edition)
    assert check_security(site) == []
    for page, soup in pages_of(site):
        policy = soup.select_one('meta[http-equiv="Content-Security-Policy"]')
        assert policy is not None and policy["content"] == CONTENT_SECURITY_POLICY, page
        inline = [s for s in soup.find_all("script") if not s.get("src")]
        # Data only, never run: an organisation's schema.org record, the theme's settings (local edition).
        assert all(s.get("type") in ("application/ld+json", "application/json") for s in inline), page


def test_sitemap_lists_every_page(state_site: Path) -> None:
    sitemap = BeautifulSoup((state_site / "plan-du-site/index.html").read_text(encoding="utf-8"), "html.parser")
    listed = {
        (state_site / "plan-du-site" / a["href"]).resolve()
        for a in sitemap.select("article a[href]")
        if not a["href"].startswith(("http", "mailto:", "tel:", "#"))
    }
    pages = {p.parent.resolve() for p in state_site.rglob("index.html") if "termes" not in p.parts}
    assert pages - {p if p.suffix == "" else p.parent for p in listed} == set()


def pdf_fonts(pdf: Path) -> str:
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_pdfs_carry_the_marque_de_l_etat_or_the_publisher_name(state_site: Path, local_site: Path) -> None:
    publisher = load_sources(ROOT).territory.publisher_name
    state_pdf, local_pdf = (site / "documents/depliant-prevention-a4.pdf" for site in (state_site, local_site))
    assert "Marianne" in pdf_fonts(state_pdf)
    assert "RÉPUBLIQUE" in pdf_text(state_pdf).upper() and "Fraternité" in pdf_text(state_pdf)
    assert "Marianne" not in pdf_fonts(local_pdf)
    assert publisher in pdf_text(local_pdf) and "Fraternité" not in pdf_text(local_pdf)


@pytest.mark.parametrize("edition", ["state_site", "local_site"])
def test_axe_finds_nothing_on_a_stage_page_of_each_edition(
    edition: str, request: pytest.FixtureRequest, browser: Any
) -> None:
    site: Path = request.getfixturevalue(edition)
    config = load_check_config(ROOT / "checks.yml")
    with serve(site) as server:
        findings = check_accessibility(browser, server.url, ["etapes/commandement-de-payer/", "plan-du-site/"], config)
    assert findings == []


ACCESSIBILITY_PAGE = """id: accessibilite
order: 4
title: Déclaration d'accessibilité
conformity: partiellement
sections:
  - heading: État de conformité
    body: Ce site est partiellement conforme.
review: {status: reviewed, date: 2026-11-26, by: Jeu d essai}
verified: {date: 2026-11-20, by: Tests, source: Jeu d essai}
"""


def test_state_edition_keeps_hostile_titles_as_text_and_says_the_statement_s_state(tree: Path) -> None:
    edit(
        tree,
        "content/territoire.yml",
        "site_name: Prévenir les expulsions à Exempleville",
        'site_name: "Prévenir <script>alert(4)</script> \\" onmouseover=\\"alert(5)"',
    )
    edit(tree, "content/territoire.yml", "area_label:", 'brand_entity: "Service <b>gras</b>"\narea_label:')
    edit(
        tree,
        "referentiel/etapes/01-premiere-etape.yml",
        "title: La première étape",
        'title: "La première </title><script>alert(3)</script> étape"',
    )
    (tree / "content/pages/accessibilite.yml").write_text(ACCESSIBILITY_PAGE, encoding="utf-8")
    site = build_site(tree, edition=Edition.etat).site_dir
    assert check_security(site) == []
    page = (site / "etapes/premiere-etape/index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page
    attributes = [name for tag in BeautifulSoup(page, "html.parser").find_all(True) for name in tag.attrs]
    assert not [name for name in attributes if name.startswith("on")]
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    site_name = 'Prévenir <script>alert(4)</script> " onmouseover="alert(5)'
    assert html.unescape(title) == f"La première </title><script>alert(3)</script> étape - {site_name}"
    soup = BeautifulSoup(page, "html.parser")
    assert soup.select_one(".fr-header__service-title").get_text(strip=True).startswith("Prévenir <script>")
    assert soup.select_one(".fr-header__service-tagline").get_text() == "Service <b>gras</b>"
    footer = {a.get_text(strip=True) for a in soup.select(".fr-footer__bottom-link")}
    assert "Accessibilité : partiellement conforme" in footer


# ------------------------------------------------------------------ before going online


def test_publication_names_site_url_while_it_is_unset(capsys: pytest.CaptureFixture[str]) -> None:
    from evictionportal import cli

    assert cli.main(["publication"]) == 1
    said = capsys.readouterr()
    assert "content/territoire.yml: site_url : à renseigner" in said.out
    assert "content/territoire.yml: host.phone : à renseigner" in said.out
    assert "publication impossible en l'état" in said.err


REQUIRED = {
    "accessibilite": "Déclaration d'accessibilité",
    "mentions-legales": "Mentions légales",
    "donnees-personnelles": "Données personnelles",
    "gestion-des-cookies": "Gestion des cookies",
}


def test_publication_passes_when_everything_is_set(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from evictionportal import cli

    contact = "accessibility_contact: accessibilite@exemple.test\n"
    edit(tree, "content/territoire.yml", "area_label:", contact + "area_label:")
    validated = "review: {status: validated, date: 2026-11-26, partners: [service-social]}"
    for path in tree.rglob("*.yml"):
        text = path.read_text(encoding="utf-8")
        text = text.replace("review: {status: reviewed, date: 2026-11-26, by: Jeu d essai}", validated)
        path.write_text(text.replace("review: {status: draft}", validated), encoding="utf-8")
    for order, (page_id, title) in enumerate(REQUIRED.items(), start=10):
        (tree / f"content/pages/{page_id}.yml").write_text(
            f"id: {page_id}\norder: {order}\ntitle: {title}\nsections:\n  - heading: Texte\n    body: Texte.\n"
            f"{validated}\nverified: {{date: 2026-11-20, by: Tests, source: Jeu d essai}}\n",
            encoding="utf-8",
        )
    assert cli.main(["--root", str(tree), "publication", "--date", "2026-12-03"]) == 0, capsys.readouterr()
    assert "Rien ne bloque la publication" in capsys.readouterr().out
