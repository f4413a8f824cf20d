"""The browser editor (build.py edition): forms from the models, in-place saves after the build's checks, security.

Most tests talk HTTP to the editor's server, running in a thread on a copy of the made-up sources, and post
back the form as a browser would (`FormReader`); one journey drives Chromium through it with axe-core.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html.parser
import os
import re
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from evictionportal.campaign.record import dump_yaml, round_trip
from evictionportal.checks.browser import AXE_RUN
from evictionportal.cli import main
from evictionportal.editor.catalogue import KINDS
from evictionportal.editor.fields import Context, build_form, form_data
from evictionportal.editor.save import base_data, merged_text
from evictionportal.editor.server import Editor, make_server
from evictionportal.load import load_sources
from evictionportal.schema import ALL_SOURCE_KINDS
from tests.conftest import ROOT, edit, phone_tab

TODAY = dt.date(2026, 12, 3)
STAGE = "referentiel/etapes/01-premiere-etape.yml"
ORG = "directory/association-quartier-deux.yml"


# ------------------------------------------------------------------ a browser's reading of a form


class FormReader(html.parser.HTMLParser):
    """The fields a browser would post for the form whose action is `action`, and the texts near them."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._selected: str | None = None
        self._first: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("action") == self.action
        if not self.inside or "name" not in a and tag != "option":
            return
        if tag == "input" and a.get("type") not in ("radio", "checkbox") or "checked" in a:
            if tag == "input":
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select, self._selected, self._first = a["name"], None, None
        elif tag == "option" and self._select is not None:
            if self._first is None:
                self._first = a.get("value", "")
            if "selected" in a:
                self._selected = a.get("value", "")
        elif tag == "textarea":
            self._textarea, self._text = a["name"], []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            self.fields.append((self._select, self._selected if self._selected is not None else self._first or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self.fields.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)


def form_fields(page: str, action: str = "/fichier") -> list[tuple[str, str]]:
    reader = FormReader(action)
    reader.feed(page)
    return reader.fields


def changed(fields: list[tuple[str, str]], **values: str) -> list[tuple[str, str]]:
    """The fields with some values replaced (keys with « __ » for « . », « _N_ » for « [N] »)."""
    wanted = {re.sub(r"_(\d+)_", r"[\1]", k).replace("__", "."): v for k, v in values.items()}
    return [(name, wanted.get(name, value)) for name, value in fields]


# ------------------------------------------------------------------ the server in a thread


@dataclass
class Answer:
    status: int
    text: str
    headers: Any


@dataclass
class Running:
    editor: Editor
    url: str

    def request(self, path: str, fields: list[tuple[str, str]] | None = None, **headers: str) -> Answer:
        data = urllib.parse.urlencode(fields).encode() if fields is not None else None
        request = urllib.request.Request(self.url + path, data=data, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return Answer(response.status, response.read().decode(), response.headers)
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read().decode(), error.headers)

    def open(self, rel: str) -> tuple[str, list[tuple[str, str]]]:
        answer = self.request("/fichier?chemin=" + urllib.parse.quote(rel))
        assert answer.status == 200, answer.text
        return answer.text, form_fields(answer.text)

    def post(self, fields: list[tuple[str, str]], op: str = "enregistrer", **headers: str) -> Answer:
        return self.request("/fichier", [*fields, ("op", op)], **headers)


def start(root: Path, **options: Any) -> Iterator[Running]:
    editor = Editor(root, 0, today=lambda: TODAY, **options)
    server = make_server(editor)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Running(editor, f"http://127.0.0.1:{editor.port}")
    finally:
        server.shutdown()
        server.server_close()
        editor.close()


serving = contextlib.contextmanager(start)


@pytest.fixture
def running(tree: Path) -> Iterator[Running]:
    yield from start(tree)


def named(cookie: str = "Camille Exemple") -> dict[str, str]:
    return {"Cookie": "editeur=" + urllib.parse.quote(cookie)}


def field_block(page: str, name: str) -> str:
    """The HTML of the field (or group) named `name`, to look for its message there."""
    at = page.index(f'id="f-{name}"')
    begin = max(page.rfind('<div class="champ', 0, at), page.rfind("<fieldset", 0, at))
    ends = [page.find(mark, at) for mark in ('<div class="champ', "<fieldset", "</fieldset>")]
    return page[begin : min(e for e in ends if e != -1)]


# ------------------------------------------------------------------ forms from the models


def test_editor_every_real_source_comes_back_unchanged_from_its_form() -> None:
    """Real sources of every kind, drawn as a form and posted back untouched, are written exactly as they were
    (the first two files of each kind, and an organisation with a dated field: ruamel reads about ten a
    second)."""
    editor = Editor(ROOT, 0, today=lambda: TODAY)
    context = Context(editor.choices(), TODAY)
    env = editor.templates
    count = 0
    for kind in KINDS:
        files = sorted(ROOT.glob(kind.pattern))
        dated = [f for f in files if kind.key == "organisations" and "until:" in f.read_text(encoding="utf-8")]
        for path in files[:2] + dated[:1]:
            text = path.read_text(encoding="utf-8")
            data = base_data(text)
            nodes = build_form(kind.model, data, context)
            page = env.get_template("form.html.j2").render(
                token="t",
                kinds=KINDS,
                title="t",
                heading="t",
                state=_State(path, kind),
                nodes=nodes,
                unplaced=[],
                placed=[],
                elsewhere=[],
                other=[],
                suggested=set(),
                choices={},
                conflict=None,
                mine="",
                editor_name="",
                preview=None,
                count=0,
            )
            posted = form_data([f for f in form_fields(page) if f[0] not in ("jeton", "chemin", "base")])
            assert merged_text(text, posted, kind.model) == text, path
            count += 1
    assert count >= 20


@dataclass
class _State:
    path: Path
    kind: Any
    new: bool = False
    outcome: None = None
    message: str = ""
    base: str = ""

    @property
    def rel(self) -> str:
        return self.path.relative_to(ROOT).as_posix()


def test_editor_kinds_are_the_build_s_sources() -> None:
    """The editor opens exactly the files the build reads (the letters' settings besides), nothing else."""
    patterns = {kind.pattern for kind in KINDS}
    assert "Autres sources" not in {kind.label for kind in KINDS}  # each kind has its French name
    assert {pattern for pattern, _model in ALL_SOURCE_KINDS.values()} - patterns == {"directory/campagnes/*.yml"}
    assert patterns - {pattern for pattern, _model in ALL_SOURCE_KINDS.values()} == {"content/courriers.yml"}


def test_editor_listing_by_kind_in_french_with_review_and_freshness(running: Running) -> None:
    page = running.request("/").text
    for heading in (
        "Étapes",
        "Motifs",
        "Dispositifs",
        "Annuaire",
        "Pages",
        "Guide des bailleurs",
        "Documents à imprimer",
        "Territoire",
        "Chiffres",
    ):
        assert f">{heading}</h2>" in page
    assert "La première étape" in page and "Relu" in page and "Vérifié le 20 novembre 2026" in page
    row = page[page.index("Association du deuxième quartier") :][:900]
    assert "Arrondissements : 2" in row and "phone 01 23 45 67 89 : à jour" in row
    assert "email contact@exemple.fr : non vérifiée" in row
    filtered = running.request("/?q=quartier").text
    assert "Association du deuxième quartier" in filtered and "La première étape" not in filtered


def test_editor_form_labels_are_the_model_descriptions(running: Running) -> None:
    page, _fields = running.open(STAGE)
    assert "La page en une phrase simple" in page  # summary's description
    assert '<input id="f-review.date" name="review.date" value="2026-11-26" type="date"' in page
    who = field_block(page, "who_can_help[1]")
    assert '<option value="association-quartier-deux" selected>Association du deuxième quartier</option>' in who


def test_editor_many_organisations_are_suggested_by_name_from_one_list(tree: Path) -> None:
    """Past 150 organisations a helper is typed with its name suggested: one list per page, not one per field."""
    from bench.madeup_directory import write_madeup_organisations

    write_madeup_organisations(tree, 150)
    with serving(tree) as running:
        page, fields = running.open(STAGE)
        assert page.count('<datalist id="choix-organisation">') == 1
        assert (
            '<input id="f-who_can_help[0]" name="who_can_help[0]" value="ligne-exemple" list="choix-organisation"'
            in page
        )
        assert "Actuellement : Ligne d&#39;écoute d&#39;exemple." in page
        answer = running.post(changed(fields, who_can_help_1_="service-social"))
        assert "Enregistré" in answer.text
        assert "who_can_help: [ligne-exemple, service-social]" in (tree / STAGE).read_text()


# ------------------------------------------------------------------ saving


def test_editor_save_changes_only_the_value_and_keeps_comments(running: Running, tree: Path) -> None:
    edit(
        tree,
        STAGE,
        "summary: Le début de la procédure.",
        "# Résumé relu par l'équipe\nsummary: 'Le début de la procédure.'",
    )
    before = (tree / STAGE).read_text()
    _page, fields = running.open(STAGE)
    answer = running.post(changed(fields, summary="Le tout début de la procédure."))
    assert answer.status == 200 and "Enregistré" in answer.text
    after = (tree / STAGE).read_text()
    assert after == before.replace("'Le début de la procédure.'", "'Le tout début de la procédure.'")
    assert "+summary: 'Le tout début de la procédure.'" in answer.text.replace("&#39;", "'")
    assert load_sources(tree, TODAY).stages[0].summary == "Le tout début de la procédure."


def test_editor_add_an_item_and_move_it_up(running: Running, tree: Path) -> None:
    _page, fields = running.open(STAGE)
    page = running.post(fields, op="add|what_to_do").text
    fields = changed(form_fields(page), what_to_do_2_="Gardez une copie de chaque lettre.")
    page = running.post(fields, op="up|what_to_do[2]").text
    assert (tree / STAGE).read_text().count("Gardez") == 0  # nothing written before saving
    answer = running.post(form_fields(page))
    assert "Enregistré" in answer.text
    assert load_sources(tree, TODAY).stages[0].what_to_do == [
        "Appelez la ligne d'écoute.",
        "Gardez une copie de chaque lettre.",
        "Rassemblez vos papiers.",
    ]


def test_editor_pick_who_can_help_by_name(running: Running, tree: Path) -> None:
    _page, fields = running.open(STAGE)
    page = running.post(fields, op="add|who_can_help").text
    assert '<option value="service-social">Service social d&#39;exemple</option>' in field_block(
        page, "who_can_help[2]"
    )
    answer = running.post(changed(form_fields(page), who_can_help_2_="service-social"))
    assert "Enregistré" in answer.text
    assert "who_can_help: [ligne-exemple, association-quartier-deux, service-social]" in (tree / STAGE).read_text()


def test_editor_bad_phone_is_refused_at_its_field_and_nothing_written(running: Running, tree: Path) -> None:
    before = (tree / ORG).read_text()
    _page, fields = running.open(ORG)
    answer = running.post(changed(fields, contacts_0___value="01 23 45"))
    assert answer.status == 200 and "rien n'a été écrit" in answer.text
    block = field_block(answer.text, "contacts[0].value")
    assert "numéro de téléphone invalide « 01 23 45 » ; attendu : un numéro français comme 01 23 45 67 89" in block
    assert 'aria-invalid="true"' in block
    assert (tree / ORG).read_text() == before


def test_editor_unknown_id_elsewhere_is_refused_with_its_file(running: Running, tree: Path) -> None:
    """Renaming an organisation breaks the stages that name it: the save is refused, with their file and line."""
    _page, fields = running.open(ORG)
    answer = running.post(changed(fields, id="association-du-quartier"))
    assert "referentiel/etapes/01-premiere-etape.yml:" in answer.text
    assert "« association-quartier-deux » inconnu" in answer.text
    assert "id: association-quartier-deux" in (tree / ORG).read_text()


def test_editor_file_changed_on_disk_is_a_conflict_with_both_versions(running: Running, tree: Path) -> None:
    _page, fields = running.open(STAGE)
    edit(tree, STAGE, "title: La première étape", "title: La première étape (campagne)")
    on_disk = (tree / STAGE).read_text()
    answer = running.post(changed(fields, summary="Ma version."))
    assert answer.status == 409
    assert "a changé sur le disque" in answer.text
    assert "title: La première étape (campagne)" in answer.text  # the disk's version
    assert "summary: Ma version." in answer.text  # the editor's version
    assert (tree / STAGE).read_text() == on_disk


def test_editor_changed_contact_is_verified_again_today_by_the_editor(running: Running, tree: Path) -> None:
    _page, fields = running.open(ORG)
    answer = running.post(changed(fields, contacts_0___value="01 23 45 67 00"), **named())
    block = field_block(answer.text, "contacts[0].verified.source")
    assert "champ obligatoire manquant" in block  # the new number's source must be said
    fields = changed(form_fields(answer.text), contacts_0___verified__source="Appel à l'association")
    assert "Enregistré" in running.post(fields, **named()).text
    assert (
        "verified: {date: 2026-12-03, by: Camille Exemple, source: Appel à l'association}" in (tree / ORG).read_text()
    )


def test_editor_review_steps_record_who_and_when(running: Running, tree: Path) -> None:
    rel = "referentiel/etapes/02-deuxieme-etape.yml"
    _page, fields = running.open(rel)
    page = running.post(fields, op="etape|reviewed", **named()).text
    assert 'aria-current="step" class="actuelle">Relu' in page
    assert "Enregistré" in running.post(form_fields(page), **named()).text
    review = load_sources(tree, TODAY).stages[1].review
    assert (review.status.value, review.by, review.date) == ("reviewed", "Camille Exemple", TODAY)


def test_editor_new_organisation_from_its_template(running: Running, tree: Path) -> None:
    page = running.request("/").text
    token = dict(form_fields(page, "/nouveau"))["jeton"]
    page = running.request(
        "/nouveau", [("jeton", token), ("type", "organisations"), ("nom", "Maison de l'Égalité")]
    ).text
    assert "directory/maison-de-l-egalite.yml" in page and not (tree / "directory/maison-de-l-egalite.yml").exists()
    refused = running.post(form_fields(page)).text
    assert "champ obligatoire manquant" in field_block(refused, "role")
    answer = running.post(changed(form_fields(refused), role="Elle reçoit les locataires."))
    assert "Enregistré" in answer.text
    text = (tree / "directory/maison-de-l-egalite.yml").read_text()
    assert text.startswith("# Nouvelle fiche de l'annuaire")
    assert "id: maison-de-l-egalite\nname: Maison de l'Égalité\n" in text
    assert load_sources(tree, TODAY).organisations["maison-de-l-egalite"].role == "Elle reçoit les locataires."


def test_editor_dated_rule_shows_its_period_and_today(running: Running, tree: Path) -> None:
    edit(tree, STAGE, "  - label: 6 semaines pour agir\n", "  - label: 6 semaines pour agir\n    until: 2026-12-31\n")
    page, _fields = running.open(STAGE)
    assert "Règle datée : depuis toujours au 31 décembre 2026 — <strong>en vigueur aujourd&#39;hui</strong>" in page


def test_editor_markdown_preview_uses_the_site_s_safe_path(running: Running) -> None:
    _page, fields = running.open(STAGE)
    page = running.post(changed(fields, what_it_means="Lisez **tout**. <script>alert(1)</script>"), op="apercu").text
    assert "<strong>tout</strong>" in page and "<script>alert" not in page


def test_editor_my_changes_and_commit(running: Running, tree: Path) -> None:
    for command in (
        ["init", "-q"],
        ["add", "-A"],
        ["-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", "départ"],
    ):
        subprocess.run(["git", "-C", str(tree), *command], check=True)
    subprocess.run(["git", "-C", str(tree), "config", "user.email", "t@example.org"], check=True)
    subprocess.run(["git", "-C", str(tree), "config", "user.name", "T"], check=True)
    _page, fields = running.open(STAGE)
    running.post(changed(fields, summary="Un résumé neuf."))
    page = running.request("/modifications").text
    assert STAGE in page and "+summary: Un résumé neuf." in page
    token = dict(form_fields(page, "/modifications"))["jeton"]
    done = running.request("/modifications", [("jeton", token), ("message", "Résumé de l'étape 1")], **named()).text
    assert "Modifications enregistrées dans git" in done
    log = subprocess.run(["git", "-C", str(tree), "log", "-1", "--format=%B"], capture_output=True, text=True).stdout
    assert "Résumé de l'étape 1" in log and "Modifié dans l'éditeur par : Camille Exemple" in log


# ------------------------------------------------------------------ security


def test_editor_refuses_foreign_origin_host_and_missing_token(running: Running, tree: Path) -> None:
    before = (tree / STAGE).read_text()
    _page, fields = running.open(STAGE)
    fields = changed(fields, summary="Par un autre site.")
    assert running.post(fields, Origin="http://evil.example").status == 403
    assert running.post(fields, Host="evil.example:8001").status == 403
    assert running.request("/", Host=f"rebinding.example:{running.editor.port}").status == 403
    assert running.post([f for f in fields if f[0] != "jeton"]).status == 403
    assert running.post(changed(fields, jeton="x")).status == 403
    assert running.post(fields, **{"Sec-Fetch-Site": "cross-site"}).status == 403
    assert (tree / STAGE).read_text() == before


@pytest.mark.parametrize(
    "path",
    [
        "../../etc/passwd",
        "/etc/passwd",
        "content/../../secret.yml",
        "build/x.yml",
        "mkdocs.yml",
        "directory/campagnes/2027.yml",
        "registre.csv",
        "content/lien.yml",
        "content/pages/absente.yml",
    ],
)
def test_editor_opens_only_source_files(running: Running, tree: Path, path: str) -> None:
    (tree.parent / "secret.yml").write_text("id: secret\n")
    os.symlink(tree.parent / "secret.yml", tree / "content" / "lien.yml")
    answer = running.request("/fichier?chemin=" + urllib.parse.quote(path))
    assert answer.status in (403, 404) and "secret" not in answer.text
    _page, fields = running.open(STAGE)
    assert running.post(changed(fields, chemin=path)).status in (403, 404)


def test_editor_file_with_a_syntax_error_says_the_loader_s_message(running: Running, tree: Path) -> None:
    edit(tree, ORG, "kind: association", "kind: association: oui")
    answer = running.request("/fichier?chemin=" + ORG)
    assert answer.status == 422
    assert f"{ORG}:3: erreur de syntaxe YAML : un « : » inattendu" in answer.text
    assert "Les sources du portail" in running.request("/").text  # the listing still opens, with the problem


def test_editor_symlinked_source_leading_out_is_refused(running: Running, tree: Path) -> None:
    outside = tree.parent / "ailleurs.yml"
    outside.write_text((tree / ORG).read_text())
    (tree / ORG).unlink()
    os.symlink(outside, tree / ORG)
    assert running.request("/fichier?chemin=" + ORG).status == 404


def test_editor_headers_and_size_limit(running: Running) -> None:
    answer = running.request("/")
    policy = answer.headers["Content-Security-Policy"]
    assert "default-src 'self'; script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert "http://" not in re.sub(r'href="http://127\.0\.0\.1[^"]*"', "", answer.text)  # nothing from elsewhere
    _page, fields = running.open(STAGE)
    assert running.post([*fields, ("summary", "x" * 1_100_000)]).status == 413


def test_editor_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["edition", "--help"])
    assert done.value.code == 0 and "127.0.0.1:8001" in capsys.readouterr().out


# ------------------------------------------------------------------ in Chromium


def test_editor_journey_in_chromium_with_axe(browser: Any, tree: Path) -> None:
    """A communications officer changes a stage, picks a helper by name, then meets a refused phone number."""
    with serving(tree) as running:
        with phone_tab(browser, axe=True) as tab:
            requested: list[str] = []
            tab.on("request", lambda request: requested.append(request.url))
            tab.set_viewport_size({"width": 1280, "height": 900})
            tab.goto(running.url + "/")
            assert tab.evaluate(AXE_RUN, ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]) == []
            tab.keyboard.press("Tab")
            assert tab.evaluate("document.activeElement.textContent") == "Aller au contenu"
            tab.get_by_label("Filtrer les sources").fill("première")
            tab.get_by_role("link", name="La première étape").click()
            assert tab.evaluate(AXE_RUN, ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]) == []
            tab.locator("#f-summary").fill("Le début de la procédure, dit autrement.")
            tab.get_by_role("button", name="Ajouter un élément : Organismes qui peuvent aider").click()
            tab.locator('[id="f-who_can_help[2]"]').select_option(label="Service social d'exemple")
            tab.get_by_role("button", name="Vérifier et enregistrer").first.click()
            assert tab.get_by_role("heading", name="Enregistré").is_visible()
            tab.screenshot(path=str(artefact("editeur-etape.png")), full_page=False)
            text = (tree / STAGE).read_text()
            assert "summary: Le début de la procédure, dit autrement." in text and "service-social]" in text

            tab.goto(running.url + "/fichier?chemin=" + ORG)
            tab.locator('[id="f-contacts[0].value"]').fill("01 23 45")
            tab.get_by_role("button", name="Vérifier et enregistrer").first.click()
            message = tab.locator('[id="e-contacts[0].value-1"]')
            assert "numéro de téléphone invalide « 01 23 45 »" in message.inner_text()
            assert tab.evaluate(AXE_RUN, ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]) == []
            tab.set_viewport_size({"width": 390, "height": 844})
            assert tab.evaluate("document.documentElement.scrollWidth") <= 390
            tab.screenshot(path=str(artefact("editeur-organisme-refuse.png")), full_page=False)
            assert "01 23 45 67 89" in (tree / ORG).read_text()
            foreign = [url for url in requested if not url.startswith((running.url + "/", "data:"))]
            assert not foreign, foreign  # nothing from another site

        without_script = browser.new_context(java_script_enabled=False, locale="fr-FR")
        tab = without_script.new_page()
        tab.goto(running.url + "/fichier?chemin=" + STAGE)
        tab.get_by_role("button", name="Monter : Que faire maintenant n° 2").click()
        tab.get_by_role("button", name="Vérifier et enregistrer").first.click()
        assert tab.get_by_role("heading", name="Enregistré").is_visible()
        without_script.close()
        steps = load_sources(tree, TODAY).stages[0].what_to_do
        assert steps == ["Rassemblez vos papiers.", "Appelez la ligne d'écoute."]  # works without JavaScript


def artefact(name: str) -> Path:
    folder = ROOT / "build" / "artefacts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def test_editor_writes_through_the_campaign_s_writer(running: Running, monkeypatch: pytest.MonkeyPatch) -> None:
    """One writer of YAML: a save goes through campaign/record.py's atomic write (temporary file, rename)."""
    from evictionportal.campaign import record
    from evictionportal.editor import save

    written: list[Path] = []

    def recorded(root: Path, texts: dict[Path, str]) -> None:
        written.extend(texts)
        record.write_files(root, texts)

    monkeypatch.setattr(save, "write_files", recorded)
    _page, fields = running.open(STAGE)
    running.post(changed(fields, summary="Autre résumé."))
    assert [p.name for p in written] == ["01-premiere-etape.yml"]
    assert dump_yaml(round_trip().load("a: 1 # c\n")) == "a: 1 # c\n"
