"""Page contexts: what the generated pages show, computed once in pages.py."""

from __future__ import annotations

from evictionportal.load import load_sources
from evictionportal.pages import who_note_beyond
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
