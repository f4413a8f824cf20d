"""Untrusted text never runs: every field is text, every link is checked, every fault is a French message.

Each test writes what a careless or hostile editor (or a partner's returned file) could write, and
checks what a reader would get: an error naming file, line and field, or a page where it is inert.
"""

from __future__ import annotations

import errno
import html
import os
import re
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.annotations import Link

from evictionportal import cli
from evictionportal.build import build_site
from evictionportal.checks.security import check_page_security, check_pdf_security, check_security
from evictionportal.errors import SourceErrors
from evictionportal.load import load_sources
from evictionportal.site import CONTENT_SECURITY_POLICY
from evictionportal.text import markdown_for_page, markdown_problems
from tests.conftest import ROOT, edit

STAGE = "referentiel/etapes/01-premiere-etape.yml"


def problems(tree: Path) -> list[str]:
    with pytest.raises(SourceErrors) as caught:
        load_sources(tree)
    return [str(p) for p in caught.value.problems]


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.err


def visible_text(page: Path) -> str:
    """The page's text as a reader sees it: tags removed, character references decoded."""
    body = page.read_text(encoding="utf-8")
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def start_tags(markup: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every element as a browser parses it, with its attributes."""
    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, attrs))

    Parser().feed(markup)
    return found


# ------------------------------------------------------------------ every text field is text


def test_markup_in_titles_names_and_site_name_is_shown_as_text_never_run(tree: Path) -> None:
    edit(tree, STAGE, "title: La première étape", 'title: "La première <script>alert(3)</script> étape {: onclick=x }"')
    edit(
        tree,
        "content/territoire.yml",
        "site_name: Prévenir les expulsions à Exempleville",
        'site_name: "Prévenir <script>alert(4)</script> \\" onmouseover=\\"alert(5)"',
    )
    edit(
        tree,
        "directory/service-social.yml",
        "name: Service social d'exemple",
        'name: "X </title><script>alert(6)</script>"',
    )
    edit(
        tree,
        "directory/service-social.yml",
        "Le service social de la ville.",
        '"**Rôle**{: onmouseover=\\"alert(7)\\" }"',
    )
    build_site(tree)
    site = tree / "site"
    assert check_security(site) == []
    stage = site / "etapes/premiere-etape/index.html"
    page = stage.read_text(encoding="utf-8")
    assert "<script>alert" not in page and not re.search(r"<[^>]*\sonclick=", page)
    assert "La première <script>alert(3)</script> étape {: onclick=x }" in visible_text(stage)
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert html.unescape(title).startswith("La première <script>alert(3)</script> étape")
    org = site / "professionnels/annuaire/service-social/index.html"
    assert "<title>X &lt;/title&gt;&lt;script&gt;" in org.read_text(encoding="utf-8")
    assert '{: onmouseover="alert(7)" }' in visible_text(org)
    assert 'aria-label="Prévenir &lt;script&gt;alert(4)&lt;/script&gt; &quot; onmouseover=' in page


@pytest.mark.parametrize(
    ("markdown", "refused"),
    [
        ("Voir [ce lien][a].\n\n[a]: javascript:alert(7)", "javascript:alert(7)"),
        ("[clic](JaVaScRiPt:alert(1))", "JaVaScRiPt:alert(1)"),
        ("[clic]( \tjavascript:alert(1))", "javascript:alert(1)"),
        ("[clic](java\tscript:alert(1))", "java"),
        ("[clic](&#106;avascript:alert(1))", "&#106;avascript:alert(1)"),
        ("[clic](data:text/html;base64,PHNjcmlwdD4=)", "data:text/html"),
        ("[clic](vbscript:msgbox(1))", "vbscript:msgbox(1)"),
        ("[clic](//evil.example/x)", "//evil.example/x"),
        ("[clic](page.md)", "page.md"),
        ("![image](https://exemple.test/x.png)", "les images ne sont pas permises"),
    ],
)
def test_every_markdown_link_form_is_refused_with_file_line_and_field(tree: Path, markdown: str, refused: str) -> None:
    block = "\n".join("  " + line for line in markdown.splitlines())
    edit(tree, STAGE, "what_it_means: Vous devez agir vite.", f"what_it_means: |\n{block}")
    (found,) = problems(tree)
    assert found.startswith(f"{STAGE}:6: what_it_means: ")
    assert refused in found


@pytest.mark.parametrize(
    "markdown",
    [
        "[lien](https://exemple.test/a) [écrire](mailto:contact@exemple.test) [appeler](tel:+33100000000)",
        "<https://exemple.test/autolien> et [ancre](#les-delais) et [étape](/etapes/premiere-etape/)",
        "[lien](http://exemple.test/ancien)",
    ],
)
def test_allowed_links_pass(markdown: str) -> None:
    assert markdown_problems(markdown) == []


def test_attribute_lists_and_raw_html_in_markdown_stay_inert_text() -> None:
    source = (
        '**gras**{: onmouseover="alert(1)" } [lien](https://exemple.test){: onclick="alert(2)" }\n\n'
        '<img src=x onerror=alert(3)> <a href="javascript:alert(4)">a</a> &lt;b&gt;'
    )
    out = str(markdown_for_page(source, "etapes/x.md"))
    elements = start_tags(out)
    assert [tag for tag, _ in elements] == ["p", "strong", "a", "p"]
    assert [name for _, attrs in elements for name, _ in attrs] == ["href"]
    shown = html.unescape(re.sub(r"<[^>]+>", "", out))
    assert '{: onmouseover="alert(1)" }' in shown and "<img src=x onerror=alert(3)>" in shown


def test_link_to_a_page_of_the_site_is_made_relative_to_each_page(tree: Path) -> None:
    edit(
        tree,
        STAGE,
        "what_it_means: Vous devez agir vite.",
        "what_it_means: Voir [l'accueil](/) et [la mise à jour](/mise-a-jour/).",
    )
    build_site(tree)
    stage = (tree / "site/etapes/premiere-etape/index.html").read_text(encoding="utf-8")
    assert 'href="../../"' in stage and 'href="../../mise-a-jour/"' in stage


# ------------------------------------------------------------------ the output check and the CSP


def test_built_site_has_the_csp_and_no_inline_script(tree: Path) -> None:
    build_site(tree)
    home = (tree / "site/index.html").read_text(encoding="utf-8")
    metas = [dict(attrs) for tag, attrs in start_tags(home) if tag == "meta"]
    assert {"http-equiv": "Content-Security-Policy", "content": CONTENT_SECURITY_POLICY} in metas
    assert check_security(tree / "site") == []
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY and "unsafe-inline" not in CONTENT_SECURITY_POLICY


def test_server_configuration_sends_the_same_policy() -> None:
    conf = (ROOT / "deploy/nginx-securite.conf").read_text(encoding="utf-8")
    assert f'add_header Content-Security-Policy "{CONTENT_SECURITY_POLICY}" always;' in conf
    static_host = (ROOT / "deploy/_headers").read_text(encoding="utf-8")  # the static hosts' recipe
    assert f"  Content-Security-Policy: {CONTENT_SECURITY_POLICY}\n" in static_host
    assert "/recherche/termes/*\n  Cache-Control:" in static_host


@pytest.mark.parametrize(
    ("snippet", "rule"),
    [
        ('<p onclick="alert(1)">x</p>', "gestionnaire d'événement « onclick »"),
        ('<a href=" JaVa&#x09;script:alert(1)">x</a>', "javascript"),
        ('<img src="data:text/html,x">', "data"),
        ('<a href="vbscript:x">x</a>', "vbscript"),
        ("<script>alert(1)</script>", "script écrit dans la page"),
        ('<script src="https://evil.example/x.js"></script>', "autre adresse"),
        ('<script src="../ailleurs/x.js"></script>', "pas un fichier du thème"),
        ('<iframe src="https://exemple.test"></iframe>', "intègre un autre document"),
        ('<object data="x.swf"></object>', "intègre un autre document"),
        ('<embed src="x">', "intègre un autre document"),
        ('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', "javascript"),
    ],
)
def test_security_check_names_each_active_element(tmp_path: Path, snippet: str, rule: str) -> None:
    (tmp_path / "assets").mkdir()
    page = tmp_path / "page" / "index.html"
    page.parent.mkdir()
    page.write_text(f"<!doctype html><html lang=fr><body>{snippet}</body></html>", encoding="utf-8")
    findings = check_page_security(tmp_path, page)
    assert findings and rule in " ".join(f.message for f in findings)
    assert findings[0].page == "page/"


def test_security_check_refuses_a_javascript_link_in_a_pdf(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    for uri in ("javascript:alert(1)", "https://exemple.test/", "tel:+33100000000"):
        writer.add_annotation(0, Link(rect=(10, 10, 50, 50), url=uri))
    pdf = tmp_path / "documents" / "x.pdf"
    pdf.parent.mkdir()
    with pdf.open("wb") as out:
        writer.write(out)
    (finding,) = check_pdf_security(tmp_path, pdf)
    assert finding.page == "documents/x.pdf" and "javascript:alert(1)" in finding.message


# ------------------------------------------------------------------ bounded YAML


def test_alias_bomb_fails_fast_with_a_clear_message(tree: Path) -> None:
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, 9):
        previous = chr(ord("a") + n - 1)
        levels.append(f"{chr(ord('a') + n)}: &{chr(ord('a') + n)} [{', '.join(['*' + previous] * 9)}]")
    (tree / "directory/bombe.yml").write_text("\n".join(levels) + "\n", encoding="utf-8")
    began = time.perf_counter()
    (found,) = problems(tree)
    assert time.perf_counter() - began < 1
    assert found.startswith("directory/bombe.yml:1: « &a » (une ancre YAML) n'est pas permise")


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("id: x\nname: y\nrole: *z\n", "« *z » (un alias YAML) n'est pas permis"),
        ("id: x\n" + "a:\n" + "".join("  " * n + "- \n" for n in range(1, 40)), "niveaux d'indentation"),
        ("id: x\n1: y\n", "« 1 » n'est pas un nom de champ"),
        ("id: x\n? [a, b]\n: c\n", "n'est pas un nom de champ"),
        ('id: x\nname: "a\x07b"\n', "caractère invisible non permis (U+0007)"),
        ("id: x\nname: !!python/object:os.system ls\n", "erreur de syntaxe YAML"),
        ("", "le fichier est vide"),
    ],
)
def test_hostile_yaml_is_a_located_french_error(tree: Path, content: str, said: str) -> None:
    (tree / "directory/hostile.yml").write_text(content, encoding="utf-8")
    found = problems(tree)
    assert any(p.startswith("directory/hostile.yml:") and said in p for p in found), found


def test_oversized_and_non_utf8_files_are_refused(tree: Path) -> None:
    (tree / "directory/enorme.yml").write_text("id: x\nname: " + "a" * 300_000 + "\n", encoding="utf-8")
    (tree / "directory/latin1.yml").write_bytes("id: x\nname: Société\n".encode("latin-1"))
    found = problems(tree)
    assert "directory/enorme.yml: le fichier fait 292 Ko ; une source fait au plus 256 Ko" in found
    assert "directory/latin1.yml:2: le fichier n'est pas en UTF-8 ; enregistrez-le en UTF-8" in found


# ------------------------------------------------------------------ every problem in one run


def test_a_syntax_error_does_not_hide_an_unknown_id_elsewhere(tree: Path) -> None:
    edit(tree, "directory/association-quartier-deux.yml", "name:", "name: : :")
    edit(tree, "referentiel/motifs/impayes.yml", "stages: [premiere-etape,", "stages: [etape-inconnue,")
    found = problems(tree)
    assert [p.split(":")[0] for p in found] == [
        "directory/association-quartier-deux.yml",
        "referentiel/motifs/impayes.yml",
    ]
    # the organisation whose file is broken is not also reported as unknown where it is named
    assert not any("association-quartier-deux » inconnu" in p for p in found)


def test_accented_id_and_impossible_date_say_what_is_expected(tree: Path) -> None:
    edit(tree, STAGE, "who_can_help: [ligne-exemple,", "who_can_help: [ligne-éxemple,")
    edit(tree, STAGE, "verified: {date: 2026-11-20", "verified: {date: 2026-02-30")
    found = problems(tree)
    assert (
        f"{STAGE}:14: who_can_help[0]: forme incorrecte « ligne-éxemple » ; attendu : un identifiant en minuscules "
        "sans accent, chiffres et tirets, comme adil-paris ; vouliez-vous dire « ligne-exemple » ?"
    ) in found
    impossible = "date invalide « 2026-02-30 » : le 30 février 2026 n'existe pas ; attendu : AAAA-MM-JJ"
    assert f"{STAGE}:21: verified.date: {impossible}" in found


# ------------------------------------------------------------------ no traceback, the previous site intact


def test_symlink_loop_is_an_error_and_never_up_to_date(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build_site(tree)
    (tree / "directory/boucle.yml").symlink_to("boucle.yml")
    code, err = run_cli(capsys, "--root", str(tree), "build")
    assert code == 1 and "Traceback" not in err
    assert "directory/boucle.yml: fichier illisible : lien symbolique qui boucle sur lui-même" in err
    assert run_cli(capsys, "--root", str(tree), "validate")[0] == 1


def test_site_that_is_a_file_and_stray_site_old(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "site").write_text("pas un dossier")
    code, err = run_cli(capsys, "--root", str(tree), "build")
    assert code == 1 and f"{tree / 'site'} est un fichier, pas un dossier" in err
    (tree / "site").unlink()
    (tree / "site.old").mkdir()
    (tree / "site.old/reste.html").write_text("x")
    assert run_cli(capsys, "--root", str(tree), "build")[0] == 0
    assert (tree / "site/index.html").is_file() and not (tree / "site.old").exists()


def test_site_dir_on_another_file_system(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shm = Path("/dev/shm")
    if not shm.is_dir() or os.stat(shm).st_dev == os.stat(tree).st_dev:
        pytest.skip("no second file system here")
    target = Path(os.path.realpath(shm)) / f"site-test-{os.getpid()}"
    try:
        for _ in range(2):  # the second build replaces the first across file systems too
            assert run_cli(capsys, "--root", str(tree), "build", "--site-dir", str(target), "--force")[0] == 0
        assert (target / "index.html").is_file()
    finally:
        import shutil

        shutil.rmtree(target, ignore_errors=True)


@pytest.mark.parametrize(
    ("code", "said"),
    [(errno.ENOSPC, "le disque est plein"), (errno.EACCES, "accès refusé"), (errno.EROFS, "lecture seule")],
)
def test_disk_faults_are_one_line_and_keep_the_previous_site(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, code: int, said: str
) -> None:
    build_site(tree)
    before = (tree / "site/index.html").read_bytes()
    edit(tree, STAGE, "Vous devez agir vite.", "Vous devez agir très vite.")

    def failing_write(pages: object, docs_dir: Path, *_: object) -> None:
        raise OSError(code, os.strerror(code), str(docs_dir / "etapes/premiere-etape.md"))

    monkeypatch.setattr("evictionportal.build.write_docs", failing_write)
    status, err = run_cli(capsys, "--root", str(tree), "build")
    assert status == 1 and "Traceback" not in err
    assert said in err and "etapes/premiere-etape.md" in err and "le site précédent est intact" in err
    assert (tree / "site/index.html").read_bytes() == before
    assert not list((tree / "build").glob("site-*"))  # no scratch folder left behind


def test_a_real_bug_shows_its_traceback_and_asks_to_report_it(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("bug")

    monkeypatch.setattr("evictionportal.build.build_site", broken)
    code, err = run_cli(capsys, "--root", str(tree), "build")
    assert code == 70 and "Traceback" in err and "Signalez-la aux développeurs" in err


def test_bad_command_line_is_french_with_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["construire"])
    assert caught.value.code == 2
    assert "erreur : option COMMANDE: choix non prévu" in capsys.readouterr().err


def test_flyer_held_back_by_a_draft_ground_is_a_warning_naming_it(tree: Path) -> None:
    edit(tree, "referentiel/motifs/impayes.yml", "review: {status: reviewed", "review: {status: draft")
    edit(tree, "referentiel/motifs/impayes.yml", ", date: 2026-11-26, by: Jeu d essai}", "}")
    report = build_site(tree)
    assert any(
        w.startswith("flyers/depliant-impayes.yml : le document « Dépliant : Loyers impayés » n'est pas produit")
        and "le motif « impayes »" in w
        for w in report.warnings
    ), report.warnings


def test_glossary_abbr_is_the_only_abbr_and_its_title_is_text() -> None:
    """`abbr` is allowlisted with `title` only, and only the glossary writes it: a source's own stays text."""
    from evictionportal.text import Term, TermsExplained

    hostile = Term("X", "XYZ", 'x" onmouseover="alert(1)', "mots <b>simples</b>", ("XYZ",))
    source = '<abbr title="a" onclick="alert(2)">ABC</abbr> puis XYZ.'
    out = str(markdown_for_page(source, "etapes/x.md", None, TermsExplained([hostile])))
    elements = start_tags(out)
    assert [tag for tag, _ in elements] == ["p", "abbr"]
    assert elements[1][1] == [("title", 'x" onmouseover="alert(1)')]  # one attribute, its quote escaped
    shown = html.unescape(re.sub(r"<[^>]+>", "", out))
    assert '<abbr title="a" onclick="alert(2)">ABC</abbr>' in shown and "(mots <b>simples</b>)" in shown
