"""Bad sources: every problem reported at once, with file, line, field and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from evictionportal.errors import SourceErrors
from evictionportal.load import load_sources
from tests.conftest import edit


def problems(tree: Path) -> list[str]:
    with pytest.raises(SourceErrors) as caught:
        load_sources(tree)
    return [str(p) for p in caught.value.problems]


def test_load_minimal_tree_is_valid(tree: Path) -> None:
    sources = load_sources(tree)
    assert set(sources.organisations) == {"ligne-exemple", "association-quartier-deux", "service-social"}
    assert [s.id for s in sources.stages] == ["premiere-etape", "deuxieme-etape"]


def test_load_yaml_syntax_error_names_file_and_line(tree: Path) -> None:
    edit(tree, "directory/service-social.yml", "role: Le service social", "role: Le service: social")
    assert problems(tree) == [
        "directory/service-social.yml:4: erreur de syntaxe YAML : un « : » inattendu ; "
        "si le texte contient « : », mettez-le entre guillemets"
    ]


def test_load_unknown_field_suggests_the_right_one(tree: Path) -> None:
    edit(tree, "directory/ligne-exemple.yml", "    verified: {date", "    verifed: {date")
    edit(tree, "directory/ligne-exemple.yml", "  - kind: phone", "  - kind: phone\n    telephon: x")
    assert problems(tree) == [
        "directory/ligne-exemple.yml:9: contacts[0].telephon: champ inconnu « telephon » ; "
        "champs possibles : kind, value, note, verified",
        "directory/ligne-exemple.yml:12: contacts[0].verifed: champ inconnu « verifed » ; "
        "vouliez-vous dire « verified » ?",
    ]


def test_load_missing_field_says_what_is_expected(tree: Path) -> None:
    edit(tree, "referentiel/etapes/01-premiere-etape.yml", "summary: Le début de la procédure.\n", "")
    (found,) = problems(tree)
    assert found.startswith("referentiel/etapes/01-premiere-etape.yml:1: summary: champ obligatoire manquant")
    assert "La page en une phrase simple" in found


def test_load_wrong_type_and_bad_date(tree: Path) -> None:
    edit(tree, "referentiel/etapes/01-premiere-etape.yml", "order: 1", "order: premier")
    edit(tree, "referentiel/etapes/01-premiere-etape.yml", "date: 2026-11-20", "date: 2026-13-45")
    found = problems(tree)
    assert "referentiel/etapes/01-premiere-etape.yml:2: order: nombre entier attendu, trouvé « premier »" in found
    assert any(
        p.startswith("referentiel/etapes/01-premiere-etape.yml:21: verified.date: date invalide « 2026-13-45 »")
        for p in found
    ), found


def test_load_malformed_email_phone_and_url(tree: Path) -> None:
    edit(tree, "directory/association-quartier-deux.yml", "contact@exemple.fr", "contact@")
    edit(tree, "directory/association-quartier-deux.yml", "01 23 45 67 89", "01 23 45")
    edit(tree, "referentiel/references.yml", "https://www.legifrance.gouv.fr/", "legifrance point gouv")
    found = problems(tree)
    assert any(
        p.startswith("directory/association-quartier-deux.yml:10: contacts[0].value: numéro de téléphone invalide")
        for p in found
    ), found
    assert any("contacts[1].value: adresse e-mail invalide « contact@ »" in p for p in found), found
    assert any(
        p.startswith("referentiel/references.yml:4: references[0].url: lien invalide « legifrance point gouv »")
        for p in found
    ), found


def test_load_duplicate_id_names_both_files(tree: Path) -> None:
    original = (tree / "directory/service-social.yml").read_text()
    (tree / "directory/copie.yml").write_text(original)
    (found,) = problems(tree)
    assert found == (
        "directory/service-social.yml:1: id: « service-social » est déjà utilisé dans directory/copie.yml ; "
        "chaque id doit être unique"
    )


def test_load_duplicate_key_in_one_file(tree: Path) -> None:
    edit(tree, "directory/service-social.yml", "kind: collectivite", "kind: collectivite\nkind: association")
    assert problems(tree) == [
        "directory/service-social.yml:4: kind: le champ « kind » apparaît deux fois ; gardez-en un seul"
    ]


def test_load_unknown_reference_suggests_a_close_id(tree: Path) -> None:
    edit(
        tree,
        "referentiel/etapes/01-premiere-etape.yml",
        "who_can_help: [ligne-exemple,",
        "who_can_help: [ligne-exempel,",
    )
    edit(tree, "referentiel/motifs/impayes.yml", "stages: [premiere-etape,", "stages: [etape-inconnue,")
    found = problems(tree)
    assert found == [
        "referentiel/etapes/01-premiere-etape.yml:14: who_can_help[0]: organisme de l'annuaire (directory/) "
        "« ligne-exempel » inconnu ; vouliez-vous dire « ligne-exemple » ?",
        "referentiel/motifs/impayes.yml:10: stages[0]: étape (referentiel/etapes/) « etape-inconnue » inconnu",
    ]


def test_load_reports_every_problem_in_every_file_at_once(tree: Path) -> None:
    edit(tree, "directory/service-social.yml", "areas: all", "areas: [42]")
    edit(tree, "content/pages/accueil.yml", "title: Page accueil", "titre: Page accueil")
    edit(tree, "referentiel/actions/01.yml", "coordinators: [service-social]", "coordinators: []")
    found = problems(tree)
    files = {p.split(":")[0] for p in found}
    # the cross references (the area number) are checked in the same run as the files' own problems
    assert files == {"content/pages/accueil.yml", "referentiel/actions/01.yml", "directory/service-social.yml"}
    assert "directory/service-social.yml:6: areas[0]: quartier « 42 » inconnu ; attendu : un numéro de 1 à 3" in found


def test_load_validated_page_must_say_when_and_by_whom(tree: Path) -> None:
    edit(
        tree,
        "content/pages/mise-a-jour.yml",
        "review: {status: reviewed, date: 2026-11-26, by: Jeu d essai}",
        "review: {status: validated}",
    )
    (found,) = problems(tree)
    assert found.startswith("content/pages/mise-a-jour.yml:8: review: une page « validated » indique la date")


def test_load_javascript_link_is_refused(tree: Path) -> None:
    edit(tree, "content/pages/mise-a-jour.yml", "body: Un texte court.", 'body: "[clic](javascript:alert(1))"')
    (found,) = problems(tree)
    assert "sections[0].body: lien non autorisé « javascript:alert(1) »" in found


def test_load_duplicate_key_containing_a_colon(tree: Path) -> None:
    edit(tree, "directory/service-social.yml", "kind: collectivite", 'kind: collectivite\n"a: b": 1\n"a: b": 2')
    found = problems(tree)
    assert "directory/service-social.yml:5: a: b: le champ « a: b » apparaît deux fois ; gardez-en un seul" in found


FIRST, SECOND, GROUND = (
    "referentiel/etapes/01-premiere-etape.yml",
    "referentiel/etapes/02-deuxieme-etape.yml",
    "referentiel/motifs/impayes.yml",
)


def reported(found: list[str], prefix: str, *words: str) -> bool:
    """One of the problems starts with `prefix` (file, line, field) and says every one of `words`."""
    return any(p.startswith(prefix) and all(w in p for w in words) for p in found)


def test_load_reassurance_missing_or_malformed_says_what_is_expected(tree: Path) -> None:
    reassurance = "reassurance:\n  heading: Ce n'est pas encore une expulsion.\n  body: Aucun juge n'a décidé.\n"
    edit(tree, FIRST, reassurance, "")
    edit(tree, SECOND, "  body: Aucun juge n'a décidé.", "  texte: Aucun juge.")
    edit(tree, GROUND, "  heading: Ce n'est pas encore une expulsion.", "  heading: " + "x" * 81)
    found = problems(tree)
    assert reported(found, f"{FIRST}:1: reassurance: champ obligatoire manquant", "Ce qui est vrai et rassurant"), found
    assert reported(found, f"{SECOND}:", "reassurance.texte: champ inconnu"), found
    assert reported(found, f"{SECOND}:", "reassurance.body: champ obligatoire manquant"), found
    assert reported(found, f"{GROUND}:", "reassurance.heading: texte trop long (81 caractères)", "au plus 80"), found


def test_load_practical_box_and_professional_fields_are_checked(tree: Path) -> None:
    box = "practical_box:\n  heading: Le jour de l'audience\n  place: tribunal-inconnu\n  body: Arrivez en avance."
    edit(tree, FIRST, "professional_summary: Étape d'exemple pour les professionnels.", box)
    edit(tree, SECOND, "professional_summary: Étape d'exemple pour les professionnels.", "practical_box: Le jour")
    found = problems(tree)
    assert reported(found, f"{FIRST}:1: professional_summary: champ obligatoire manquant", "pour les professionnels")
    assert reported(found, f"{SECOND}:", "practical_box: groupe de champs attendu"), found

    edit(tree, SECOND, "practical_box: Le jour", "professional_summary: Exemple.")
    edit(tree, FIRST, "practical_box:", "professional_summary: Exemple.\npractical_box:")
    (unknown,) = problems(tree)
    assert unknown.startswith(f"{FIRST}:") and "practical_box.place" in unknown and "tribunal-inconnu" in unknown
