"""Page contexts: what the generated pages show, computed once in pages.py."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from evictionportal.errors import SourceErrors
from evictionportal.load import Sources, load_sources
from evictionportal.pages import render_pages, who_note_beyond
from evictionportal.text import TermsExplained, inline, markdown_for_page
from tests.conftest import ROOT, edit


def test_who_note_beyond_keeps_only_who_is_not_linked() -> None:
    orgs = load_sources(ROOT).organisations
    note = "DRIHL, Département de Paris, CAF, ADIL, associations"
    assert who_note_beyond(["drihl", "departement-paris", "caf-paris", "adil-paris"], note, orgs) == "associations"
    note = "DRIHL, Département de Paris et partenaires de la charte"
    assert who_note_beyond(["drihl", "departement-paris"], note, orgs) == "partenaires de la charte"
    assert who_note_beyond(["drihl", "action-logement"], "DRIHL à Action Logement", orgs) == "DRIHL à Action Logement"
    assert who_note_beyond([], "Tous les partenaires", orgs) == "Tous les partenaires"
    assert who_note_beyond(["drihl"], None, orgs) == ""


TENANT_VOICE = re.compile(r"\b(vous|votre|vos|Allez|Appelez|Payez|Demandez|Notez|Acceptez|Apportez)\b")


def test_professional_stage_pages_do_not_speak_to_the_tenant() -> None:
    """The référentiel's stage sheets are written to professionals: no « Allez à l'audience », no « vous »."""
    pages = {p.path: p.markdown for p in render_pages(load_sources(ROOT))}
    pro = {path: text for path, text in pages.items() if path.startswith("professionnels/etapes/")}
    assert len(pro) == 7
    for path, text in pro.items():
        sheet = text.split("Page publique pour les locataires", 1)[1]  # the title and the lead's link excepted
        assert not TENANT_VOICE.findall(sheet), (path, TENANT_VOICE.findall(sheet))
    assert "Allez à l'audience" in pages["etapes/assignation-audience.md"]  # the tenant page keeps its voice
    assert "délai prévu au contrat" in pro["professionnels/etapes/commandement-de-payer.md"]


# ------------------------------------------------------------------ the landlord's voice and the glossary


@pytest.fixture(scope="module")
def real() -> tuple[Sources, dict[str, str]]:
    sources = load_sources(ROOT, dt.date(2026, 12, 3))
    return sources, {p.path: p.markdown for p in render_pages(sources)}


def test_landlord_pages_give_each_scheme_the_landlord_sentence(real: tuple[Sources, dict[str, str]]) -> None:
    """A scheme the landlord guide cites speaks to the landlord, never « pour vous aider à garder votre logement »."""
    sources, pages = real
    for chapter in sources.landlord_guide:
        page = pages[f"bailleurs/{chapter.id}.md"]
        for scheme_id in chapter.schemes:
            scheme = sources.schemes[scheme_id]
            assert scheme.landlord_summary and str(inline(scheme.landlord_summary)) in page, scheme_id
    landlord = " ".join(text for path, text in pages.items() if path.startswith("bailleurs/"))
    assert "garder votre logement" not in landlord and "votre aide au logement peut" not in landlord.casefold()
    assert "garder votre logement" in pages["professionnels/dispositifs/fsl.md"]  # the tenant's sentence stays


def test_landlord_guide_opens_with_the_first_week(real: tuple[Sources, dict[str, str]]) -> None:
    _, pages = real
    index = pages["bailleurs/index.md"]
    first_week = index[: index.index("## 1.")]
    assert "La première semaine après un loyer impayé" in first_week
    for said in ("SOS Loyers impayés", 'href="tel:+33805160075"', "Parlez avec votre locataire", "caution"):
        assert said in first_week, said
    assert "dans les 15 jours" in first_week and "art. 24" in first_week
    assert 'href="tel:3230"' in first_week  # how to reach the CAF: its confirmed number
    assert "Jusqu'au 31 décembre 2026" in first_week and "À partir du 1er janvier 2027" in first_week
    assert "La première semaine" in pages["bailleurs/premier-loyer-impaye.md"]
    january = {p.path: p.markdown for p in render_pages(load_sources(ROOT, dt.date(2027, 1, 15)))}
    later = january["bailleurs/index.md"]
    assert "dépasse 450 €" in later and "deux fois le loyer mensuel net" not in later and "Jusqu'au" not in later


def test_landlord_scheme_without_its_sentence_is_a_located_error(tree: Path) -> None:
    edit(tree, "referentiel/dispositifs/aide-exemple.yml", "landlord_summary: Une aide", "# landlord_summary: Une aide")
    with pytest.raises(SourceErrors) as error:
        load_sources(tree)
    assert (
        "content/bailleurs/01-premier-impaye.yml:8: schemes[0]: le dispositif « aide-exemple » n'a pas de phrase "
        "pour les propriétaires ; ajoutez landlord_summary dans referentiel/dispositifs/aide-exemple.yml"
    ) in str(error.value)


def test_tenant_pages_explain_each_word_at_its_first_use(real: tuple[Sources, dict[str, str]]) -> None:
    """CCAPEX, SCI familiale, protocole de cohésion sociale, FSL…: an info-bubble and plain words, once per page."""
    sources, pages = real
    assignation = pages["etapes/assignation-audience.md"]
    assert '<abbr title="société civile immobilière">SCI</abbr> familiale, une société familiale' in assignation
    ccapex = '<abbr title="commission de coordination des actions de prévention des expulsions locatives">CCAPEX</abbr>'
    assert ccapex + " (la commission de l'État et du Département" in assignation
    assert "<strong>protocole de cohésion sociale</strong> (un accord signé avec le bailleur social" in assignation
    impayes = pages["motifs/impayes.md"]
    assert '<abbr title="fonds de solidarité pour le logement">FSL</abbr></strong> (une aide du Département' in impayes
    assert ccapex in pages["etapes/concours-force-publique.md"]  # « la CCAPEX, la commission qui… »: said already
    assert "(la commission de l'État" not in pages["etapes/concours-force-publique.md"]
    glossary = sources.glossary
    assert glossary is not None
    tenant = [p for p in pages if p.startswith(("etapes/", "motifs/", "pres-de-chez-moi/")) or p == "index.md"]
    for path in tenant:
        for term in glossary.terms:
            if term.plain:
                assert pages[path].count(term.plain) <= 1, (path, term.acronym)
    # The référentiel keeps its professional words as they are.
    assert "<abbr" not in pages["professionnels/etapes/assignation-audience.md"]


def test_glossary_words_are_explained_once_per_page_never_inside_a_link() -> None:
    sources = load_sources(ROOT)
    assert sources.glossary is not None
    explained = TermsExplained([t.as_term() for t in sources.glossary.terms])
    first = str(markdown_for_page("[Le FSL](https://exemple.test) : demandez le FSL.", "etapes/x.md", None, explained))
    second = str(markdown_for_page("Le FSL encore.", "etapes/x.md", None, explained))
    assert '<a href="https://exemple.test">Le FSL</a>' in first
    assert 'le <abbr title="fonds de solidarité pour le logement">FSL</abbr> (une aide du Département' in first
    assert second == "<p>Le FSL encore.</p>"


def test_glossary_form_given_to_two_terms_is_a_located_error(tree: Path) -> None:
    (tree / "referentiel/glossaire.yml").write_text(
        "terms:\n"
        "  - {acronym: FSL, expansion: fonds de solidarité pour le logement, source: Exemple}\n"
        "  - {acronym: FSL, expansion: fonds social local, source: Exemple}\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceErrors) as error:
        load_sources(tree)
    assert "referentiel/glossaire.yml:2: terms: « FSL » est déjà la forme d'un autre terme" in str(error.value)


def test_referentiel_lists_the_acronyms_of_the_glossary(real: tuple[Sources, dict[str, str]]) -> None:
    sources, pages = real
    assert sources.glossary is not None
    acronyms = pages["professionnels/sigles.md"]
    for term in sources.glossary.acronyms:
        assert f"<dt>{inline(term.acronym or '')}</dt>" in acronyms
    assert "<dd>commission de coordination des actions de prévention des expulsions locatives</dd>" in acronyms
    assert "[Les sigles](sigles.md)" in pages["professionnels/index.md"]
