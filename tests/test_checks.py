"""The site checks: each catches what it exists for, and names the page and the element.

Small hand-written pages specify the static checks; the made-up source tree,
built once, must pass every check, and fail them by name once broken on purpose.
"""

from __future__ import annotations

import gzip
import random
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
import yaml

from evictionportal.build import build_site
from evictionportal.checks import CheckConfig, load_check_config, run_checks
from evictionportal.checks.browser import launch_chromium, measure_search
from evictionportal.checks.config import ConfigError
from evictionportal.checks.headings import check_headings, check_language
from evictionportal.checks.links import check_anchors, external_links, linkchecker_failures
from evictionportal.checks.parse import parse_page, parse_site
from evictionportal.checks.privacy import check_foreign_resources
from evictionportal.checks.server import serve
from evictionportal.search import write_search_index
from tests.conftest import MINIMAL, ROOT

# ------------------------------------------------------------------ static checks, on hand-written pages


def write_page(site: Path, path: str, body: str, head: str = "", lang: str | None = "fr") -> None:
    target = site / (path + "index.html" if path == "" or path.endswith("/") else path)
    target.parent.mkdir(parents=True, exist_ok=True)
    lang_attr = f' lang="{lang}"' if lang else ""
    target.write_text(f"<!doctype html><html{lang_attr}><head>{head}</head><body>{body}</body></html>")


def test_headings_two_h1_are_named(tmp_path: Path) -> None:
    write_page(tmp_path, "etapes/jugement/", "<h1>Le jugement</h1><h1>Encore un titre</h1>")
    [finding] = check_headings(parse_page(tmp_path, "etapes/jugement/"))
    assert finding.page == "etapes/jugement/" and finding.rule == "titres"
    assert "« Le jugement »" in finding.message and "« Encore un titre »" in finding.message


def test_headings_skipped_level_names_the_heading(tmp_path: Path) -> None:
    write_page(tmp_path, "", "<h1>Accueil</h1><h2>Étapes</h2><h4 id='trop-bas'>Détail</h4><h2>Aide</h2>")
    [finding] = check_headings(parse_page(tmp_path, ""))
    assert finding.element.startswith('<h4 id="trop-bas"> « Détail »')
    assert finding.message == "niveau de titre sauté : h4 après un h2"


def test_language_must_be_french(tmp_path: Path) -> None:
    write_page(tmp_path, "", "<h1>Accueil</h1>", lang="en")
    write_page(tmp_path, "aide/", "<h1>Aide</h1>", lang=None)
    write_page(tmp_path, "fr-fr/", "<h1>Aide</h1>", lang="fr-FR")
    assert [f.page for f in check_language(parse_page(tmp_path, ""))] == [""]
    assert [f.page for f in check_language(parse_page(tmp_path, "aide/"))] == ["aide/"]
    assert check_language(parse_page(tmp_path, "fr-fr/")) == []


def test_anchors_missing_fragment_names_the_link(tmp_path: Path) -> None:
    write_page(tmp_path, "", '<h1 id="haut">Accueil</h1><a href="etapes/#delais">Délais</a><a href="#haut">Haut</a>')
    write_page(tmp_path, "etapes/", '<h1 id="etapes">Étapes</h1><a href="../#haut">Accueil</a>')
    [finding] = check_anchors(parse_site(tmp_path))
    assert finding.page == "" and finding.rule == "ancre"
    assert finding.element.startswith('<a href="etapes/#delais"> « Délais »')
    assert finding.message == "l'ancre #delais n'existe pas sur /etapes/"


def test_privacy_foreign_font_script_and_image_are_named(tmp_path: Path) -> None:
    write_page(
        tmp_path,
        "",
        '<h1>Accueil</h1><script src="https://stats.example.org/s.js"></script>'
        '<img src="//cdn.example.org/i.png" alt="i"><img src="assets/ok.png" alt="ok">'
        '<a href="https://www.service-public.fr/">un lien, pas un chargement</a>'
        "<style>@font-face { src: url(https://fonts.example.org/f.woff2) }</style>",
        head='<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Roboto">'
        '<link rel="canonical" href="https://portail.example.fr/">',
    )
    findings = check_foreign_resources(parse_page(tmp_path, ""))
    assert {f.rule for f in findings} == {"vie-privee"}
    shown = " ".join(f.message for f in findings)
    for url in ("fonts.googleapis.com", "stats.example.org", "cdn.example.org", "fonts.example.org"):
        assert url in shown
    assert len(findings) == 4


def test_external_links_are_listed_with_their_pages(tmp_path: Path) -> None:
    write_page(tmp_path, "", '<h1>A</h1><a href="https://www.adil75.org/">ADIL</a><a href="tel:+33100000000">tel</a>')
    write_page(tmp_path, "aide/", '<h1>B</h1><a href="https://www.adil75.org/">ADIL</a><a href="../">accueil</a>')
    assert external_links(parse_site(tmp_path)) == {
        "https://www.adil75.org/": ["", "aide/"],
        "tel:+33100000000": [""],
    }


def test_linkchecker_failures_name_the_page_and_the_link() -> None:
    base = "http://127.0.0.1:8123/"
    csv_text = (
        "# created by LinkChecker\n"
        "urlname;parentname;base;result;warningstring;infostring;valid;url;line;column;name\n"
        f"../aide/;{base}etapes/jugement/;;404 File not found;;;False;{base}aide/;42;7;Qui peut aider\n"
        f"https://exemple.invalid/;{base};;ConnectionError;;;False;https://exemple.invalid/;9;3;\n"
        f"../ok/;{base};;200 OK;;;True;{base}ok/;10;3;ok\n"
    )
    local, external = linkchecker_failures(csv_text, base)
    assert str(local) == (
        '/etapes/jugement/ : <a href="../aide/"> « Qui peut aider » (ligne 42) : [lien] lien cassé : 404 File not found'
    )
    assert (external.page, external.rule) == ("", "lien-externe")
    assert external.element == "https://exemple.invalid/ (ligne 9)"


def test_config_unknown_key_is_reported_with_its_line(tmp_path: Path) -> None:
    config = tmp_path / "checks.yml"
    config.write_text("checks:\n  page_weight:\n    budget_kb: 100\n    pages: ['']\n  viewport_widht: 390\n")
    with pytest.raises(ConfigError) as caught:
        load_check_config(config)
    assert str(caught.value).startswith("checks.yml:5: checks.viewport_widht:")


def test_server_gzips_text_and_counts_what_it_sends(tmp_path: Path) -> None:
    write_page(tmp_path, "", "<h1>Accueil</h1>" + "<p>Vous risquez de perdre votre logement ?</p>" * 200)
    with serve(tmp_path) as server:
        request = urllib.request.Request(server.url, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            body = response.read()
            assert response.headers["Content-Encoding"] == "gzip"
        assert b"perdre votre logement" in gzip.decompress(body)
        assert len(body) < server.bytes_sent < len(body) + 400  # the body plus the headers


# ------------------------------------------------------------------ the made-up site: clean, then broken on purpose

Broken = tuple[subprocess.CompletedProcess[str], Path]  # the failed `check` run and its project folder


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = tmp_path_factory.mktemp("checks") / "project"
    shutil.copytree(MINIMAL, tree)
    build_site(tree)
    return tree / "site"


def fixture_config() -> CheckConfig:
    """The project's checks.yml, weighing pages that the made-up tree has."""
    config = load_check_config(ROOT / "checks.yml")
    weight = config.page_weight.model_copy(update={"pages": ["", "etapes/premiere-etape/"]})
    return config.model_copy(update={"page_weight": weight})


def test_checks_fixture_site_passes_every_check(fixture_site: Path) -> None:
    from evictionportal.checks.contacts import contact_directory
    from evictionportal.load import load_sources
    from evictionportal.relations import visible_sources

    directory = contact_directory(visible_sources(load_sources(fixture_site.parent), include_drafts=False))
    report = run_checks(fixture_site, fixture_config(), directory=directory)
    assert [str(f) for f in report.findings] == []
    assert len(report.pages) == len(list(fixture_site.rglob("*.html")))
    assert set(report.weights) == {"", "etapes/premiere-etape/"}
    assert all(10_000 < weight < 250_000 for weight in report.weights.values())


def test_checks_first_search_fetches_only_the_query_files_of_a_grown_index(fixture_site: Path, tmp_path: Path) -> None:
    """500 made-up pages make the whole index weigh over 250 kB compressed; a search still adds under 60 kB."""
    from playwright.sync_api import sync_playwright

    site = tmp_path / "site"
    shutil.copytree(fixture_site, site)
    rng = random.Random(12)
    for n in range(500):
        words = " ".join(f"{rng.getrandbits(64):x}" for _ in range(60))
        page = site / "annuaire" / str(n) / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(f"<html><body><article><h1>Organisme {n}</h1><p>Quartier {words}</p></article></body></html>")
    write_search_index(site)
    index = list((site / "recherche").rglob("*.json"))
    whole = sum(len(gzip.compress(f.read_bytes())) for f in index)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            visit, search = measure_search(browser, site, "", "quartier", fixture_config())
        finally:
            browser.close()
    assert whole > 250_000
    assert visit < 150_000, f"première visite : {visit} octets"
    assert search < 60_000, f"première recherche : {search} octets, index entier : {whole}"


def break_page(site: Path, page: str, old: str, new: str) -> None:
    """Change the first `old` inside the page's article (or its head) into `new`."""
    path = site / page / "index.html"
    html = path.read_text(encoding="utf-8")
    start = html.index("<article") if old != "</head>" else 0
    assert old in html[start:], f"{old!r} not in {page}"
    path.write_text(html[:start] + html[start:].replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def broken(fixture_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Broken:
    """One `build.py check` run over a copy of the site with five deliberate faults, on five pages."""
    work = tmp_path_factory.mktemp("broken")
    site = work / "site"
    shutil.copytree(fixture_site, site)
    near_me = 'href="../../pres-de-chez-moi/"'
    break_page(site, "etapes/premiere-etape", near_me, near_me.replace("moi/", "moi/nulle-part/"))
    break_page(site, "motifs/impayes", "</article>", '<img src="../../assets/images/favicon.png"></article>')
    break_page(
        site,
        "pres-de-chez-moi",
        "</article>",
        '<p><font color="#c0c0c0">Texte trop pâle</font></p>'
        '<p style="color: red">Style écrit dans la page</p></article>',
    )
    break_page(
        site,
        "bailleurs/premier-impaye",
        "</head>",
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Roboto"></head>',
    )
    (site / "assets/masque.css").write_text("article p { display: none }")  # a file of the site: the CSP lets it in
    break_page(
        site, "motifs", "</head>", '<noscript><link rel="stylesheet" href="../assets/masque.css"></noscript></head>'
    )
    config = work / "checks.yml"
    config.write_text(yaml.safe_dump({"checks": fixture_config().model_dump()}, allow_unicode=True))
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--root", str(work), "check"]
        + ["--site-dir", str(site), "--config", str(config)],
        capture_output=True,
        text=True,
    )
    return result, work


def findings_on(result: subprocess.CompletedProcess[str], page: str, rule: str) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith(f"/{page} :") and f"[{rule}]" in line]


def test_check_broken_link_fails_naming_the_page(broken: Broken) -> None:
    result, _ = broken
    assert result.returncode == 1 and "Traceback" not in result.stderr
    [line] = findings_on(result, "etapes/premiere-etape/", "lien")
    assert '<a href="../../pres-de-chez-moi/nulle-part/"> « De l\'aide près de chez moi »' in line
    assert "lien cassé : 404" in line


def test_check_image_without_alt_fails_naming_the_page(broken: Broken) -> None:
    result, _ = broken
    [line] = findings_on(result, "motifs/impayes/", "axe:image-alt")
    assert '<img src="../../assets/images/favicon.png">' in line
    assert findings_on(result, "motifs/impayes/", "html")  # the validator sees it too


def test_check_low_contrast_fails_naming_the_page(broken: Broken) -> None:
    result, _ = broken
    [line] = findings_on(result, "pres-de-chez-moi/", "axe:color-contrast")
    assert '<font color="#c0c0c0">Texte trop pâle</font>' in line
    assert "foreground color: #c0c0c0" in line


def test_check_content_security_policy_violation_fails_naming_the_page(broken: Broken) -> None:
    """An inline style (or script) would be blocked for readers: the check says so, with the page."""
    result, _ = broken
    lines = findings_on(result, "pres-de-chez-moi/", "csp")
    assert lines and "bloqué par la politique de sécurité" in lines[0] and "style-src" in lines[0]


def test_check_foreign_font_fails_naming_the_page(broken: Broken) -> None:
    result, _ = broken
    lines = findings_on(result, "bailleurs/premier-impaye/", "vie-privee")
    assert any('<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Roboto">' in x for x in lines)
    assert any("stylesheet https://fonts.googleapis.com/" in x for x in lines)  # the browser's attempt, stopped


def test_check_text_hidden_without_javascript_fails_naming_the_page(broken: Broken) -> None:
    result, _ = broken
    [line] = findings_on(result, "motifs/", "sans-javascript")
    assert "sans JavaScript, seuls" in line and "du texte de la page s'affichent" in line


def test_check_faults_stay_on_their_pages_and_are_counted(broken: Broken) -> None:
    result, work = broken
    pages = {line.split(" :", 1)[0] for line in result.stderr.splitlines()[:-1]}
    assert pages == {
        "/etapes/premiere-etape/",
        "/motifs/impayes/",
        "/pres-de-chez-moi/",
        "/bailleurs/premier-impaye/",
        "/motifs/",
    }
    assert result.stderr.splitlines()[-1].endswith("problèmes sur le site : corrigez-les avant de publier.")
    report = yaml.safe_load((work / "build" / "artefacts" / "checks.json").read_text())  # JSON is YAML
    assert len(report["findings"]) == len(result.stderr.splitlines()) - 1


# ------------------------------------------------------------------ no reader told to call someone they cannot reach


def made_up_directory() -> list:
    """Three made-up organisations: a line with a confirmed phone, an agency reached only through it, and a
    service with nothing confirmed."""
    from types import SimpleNamespace

    from evictionportal.checks.contacts import contact_directory
    from evictionportal.schema import Organisation

    verified = {"date": "2026-11-01", "by": "Tests", "source": "Jeu d'essai"}
    records = [
        {
            "id": "ligne-exemple",
            "name": "Ligne d'exemple",
            "contacts": [{"kind": "phone", "value": "01 23 45 67 89", "verified": verified}],
        },
        {
            "id": "agence-exemple",
            "name": "Agence départementale d'exemple",
            "short_name": "AGEX",
            "aliases": ["Agence d'exemple"],
            "reached_through": ["ligne-exemple"],
        },
        {"id": "service-muet", "name": "Service sans contact"},
    ]
    common = {"kind": "association", "role": "Un rôle.", "audiences": ["locataires"], "areas": "all"}
    orgs = [Organisation.model_validate({**common, **record}) for record in records]
    return contact_directory(SimpleNamespace(organisations={o.id: o for o in orgs}))


def test_contacts_page_asking_to_call_an_organisation_without_its_way_in_fails(tmp_path: Path) -> None:
    from evictionportal.checks.contacts import check_contacts

    write_page(
        tmp_path,
        "etapes/exemple/",
        "<nav><p>Appelez l'AGEX (menu du thème, pas le contenu).</p></nav><article><h1>Exemple</h1><ol>"
        "<li>Appelez tout de suite l'Agence d'exemple.</li>"
        "<li>Demandez conseil au Service sans contact.</li></ol>"
        "<p>Ligne d'exemple : 01 23 45 67 89.</p></article>",
    )
    findings = check_contacts(tmp_path, ["etapes/exemple/"], made_up_directory())
    assert [(f.page, f.rule) for f in findings] == [("etapes/exemple/", "contact-injoignable")] * 2
    first, second = (f.message for f in findings)
    assert first.startswith(
        "dans la page /etapes/exemple/, la phrase « Appelez tout de suite l'Agence d'exemple. » demande de joindre "
        "AGEX, sans moyen de la joindre dans la phrase ni dans son paragraphe ; écrivez dans la phrase ou son "
        "paragraphe le numéro de Ligne d'exemple, qui la joint"
    )
    assert "« Demandez conseil au Service sans contact. » demande de joindre Service sans contact" in second
    assert "l'annuaire n'a aucune coordonnée confirmée : ne demandez pas de la joindre" in second
    assert "[contact-injoignable] dans la page /etapes/exemple/, la phrase" in str(findings[0])


def test_contacts_page_with_the_way_in_in_the_same_paragraph_passes(tmp_path: Path) -> None:
    from evictionportal.checks.contacts import check_contacts

    write_page(
        tmp_path,
        "",
        "<article><ul>"
        "<li>Appelez l'AGEX : la Ligne d'exemple vous oriente vers elle. "
        "Téléphone : 01\u00a023\u00a045\u00a067\u00a089.</li>"
        "<li>Appelez la Ligne d'exemple au 01 23 45 67 89.</li>"
        "<li>Prenez rendez-vous à l'accueil du Service sans contact.</li>"  # a noun, not « rendez-vous à »
        "<li>Demandez à votre travailleur social de présenter votre dossier au Service sans contact.</li>"
        "<li>Le Service sans contact vous écrira.</li>"  # no request to the reader
        "</ul></article>",
    )
    assert check_contacts(tmp_path, [""], made_up_directory()) == []


def test_contacts_pdf_lines_are_joined_before_sentences_are_cut(tmp_path: Path) -> None:
    """A sentence cut by a line break is one sentence; a number in its paragraph counts, one in another not."""
    from weasyprint import HTML

    from evictionportal.checks.contacts import check_contacts, pdf_paragraphs

    documents = tmp_path / "documents"
    documents.mkdir()
    HTML(
        string="<html lang='fr'><body style='width: 9cm; font-size: 12pt'>"
        "<p>Vous ne savez pas par où commencer ? Appelez la Ligne d'exemple, gratuitement, du lundi au vendredi,"
        " au 01 23 45 67 89.</p>"
        "<p>Quand vous aurez reçu le papier du tribunal, appelez tout de suite l'Agence départementale d'exemple"
        " pour faire le point avec elle.</p>"
        "<p>Ligne d'exemple : 01 23 45 67 89.</p></body></html>"
    ).write_pdf(documents / "depliant-exemple-a4.pdf")
    shutil.copy(documents / "depliant-exemple-a4.pdf", documents / "depliant-exemple-a4-imprimeur.pdf")
    paragraphs = pdf_paragraphs(documents / "depliant-exemple-a4.pdf")
    assert len(paragraphs) == 3 and paragraphs[0].endswith("du lundi au vendredi, au 01 23 45 67 89.")
    findings = check_contacts(tmp_path, [], made_up_directory())
    assert len(findings) == 1  # the print-shop copy holds the same text: not said twice
    assert findings[0].page == "documents/depliant-exemple-a4.pdf"
    assert (
        "dans le PDF /documents/depliant-exemple-a4.pdf, la phrase « Quand vous aurez reçu le papier du tribunal, "
        "appelez tout de suite l'Agence départementale d'exemple pour faire le point avec elle. » demande de joindre "
        "AGEX"
    ) in findings[0].message
