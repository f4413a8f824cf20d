"""Page contexts: what the generated pages show, computed once in pages.py."""

from __future__ import annotations

import re

from evictionportal.load import load_sources
from evictionportal.pages import render_pages, who_note_beyond
from tests.conftest import ROOT


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
