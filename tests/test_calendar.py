"""The days ahead: references that follow a dated rule by id, the landlord letter on both sides of
1 January 2027, `validate --date` refusing what `build --date` refuses, and `build.py calendrier`."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pypdf
import pytest

from evictionportal.build import checked_sources
from evictionportal.cli import main
from evictionportal.errors import SourceErrors
from evictionportal.letters.models import write_model_letters
from evictionportal.load import load_sources
from evictionportal.timeline import changes_between
from tests.conftest import ROOT, edit

CHAPTER = "content/bailleurs/02-aides-locataire-solvable.yml"
CAF_HEADING_2026 = "L'aide au logement et la procédure d'impayé de la CAF"


def pdf_text(path: Path) -> str:
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    return " ".join(text.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ").split())


def copy_sources(target: Path) -> Path:
    """The real sources, in a folder a test may edit."""
    for folder in ("content", "referentiel", "directory", "flyers"):
        shutil.copytree(ROOT / folder, target / folder)
    shutil.copy(ROOT / "mkdocs.yml", target)
    return target


def landlord_model_letter(root: Path, day: dt.date, out: Path) -> str:
    """The landlord model letter as a build of `day` writes it, read back from its PDF."""
    sources, _ = checked_sources(root, day)
    write_model_letters(sources, out)
    return pdf_text(out / "modele-courrier-bailleur.pdf")


@pytest.fixture(scope="module")
def real_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_sources(tmp_path_factory.mktemp("reelles"))


# ------------------------------------------------------------------ the landlord letter follows the rule of its day


def test_calendar_landlord_letter_announces_the_2027_rule_in_december(real_copy: Path, tmp_path: Path) -> None:
    text = landlord_model_letter(real_copy, dt.date(2026, 12, 15), tmp_path)
    assert f"{CAF_HEADING_2026} (jusqu'au 31 décembre 2026)" in text
    assert "l'amende peut aller jusqu'à 8 010 €" in text  # the rule in force, its fine computed for 2026
    assert "À partir du 1er janvier 2027 L'aide au logement pendant un impayé" in text  # the pages' box
    assert "la dette dépasse 450 €" in text and "(CCAPEX), et non plus la CAF, décide" in text


def test_calendar_landlord_letter_gives_the_2027_rule_from_january(real_copy: Path, tmp_path: Path) -> None:
    text = landlord_model_letter(real_copy, dt.date(2027, 1, 15), tmp_path)
    assert "L'aide au logement pendant un impayé" in text and "À partir du" not in text
    assert "(CCAPEX), et non plus la CAF, décide si l'aide continue" in text
    assert "3 mois après un premier impayé" in text and "la dette dépasse 450 €" in text
    assert CAF_HEADING_2026 not in text and "amende" not in text  # the 2026 fine rule is gone
    assert "Signaler l'impayé à la CAF dans les 2 mois" not in text
    assert "Le bailleur signale toujours l'impayé à la CAF (ou à la MSA)" in text  # the duty to report stays


def test_calendar_letter_finds_a_renamed_dated_section_by_its_id(tmp_path: Path) -> None:
    """An editor rewrites the heading of a dated section: the letter cites its id and still takes it."""
    root = copy_sources(tmp_path / "projet")
    edit(root, CHAPTER, f"  - heading: {CAF_HEADING_2026}\n", "  - heading: Ce que fait la CAF en cas d'impayé\n")
    edit(root, CHAPTER, "  - heading: L'aide au logement pendant un impayé\n", "  - heading: Ce que change 2027\n")
    december = landlord_model_letter(root, dt.date(2026, 12, 15), tmp_path / "decembre")
    assert "Ce que fait la CAF en cas d'impayé (jusqu'au 31 décembre 2026)" in december
    assert "À partir du 1er janvier 2027 Ce que change 2027" in december
    assert "Ce que change 2027" in landlord_model_letter(root, dt.date(2027, 1, 15), tmp_path / "janvier")


def test_calendar_unknown_section_id_is_located_with_a_guess(tmp_path: Path) -> None:
    root = copy_sources(tmp_path / "projet")
    edit(root, "content/courriers.yml", "    - aide-au-logement-impaye\n", "    - aide-au-logement-impayes\n")
    with pytest.raises(SourceErrors) as error:
        checked_sources(root, dt.date(2026, 12, 15))
    line = (root / "content/courriers.yml").read_text().splitlines().index("    - aide-au-logement-impayes") + 1
    assert [str(p) for p in error.value.problems] == [
        f"content/courriers.yml:{line}: landlord.sections[1]: partie d'id « aide-au-logement-impayes » absente de "
        f"{CHAPTER} ; vouliez-vous dire « aide-au-logement-impaye » ?"
    ]


# ------------------------------------------------------------------ validate --date refuses what build --date refuses


def test_calendar_validate_refuses_a_day_on_which_the_letter_loses_its_section(tmp_path: Path, capsys) -> None:
    """The 2027 period got another id: from 1 January the letter's section is gone; validate says so, as build."""
    root = copy_sources(tmp_path / "projet")
    text = (root / CHAPTER).read_text(encoding="utf-8")
    (root / CHAPTER).write_text(
        text.replace("    id: aide-au-logement-impaye\n", "    id: caf-2027\n", 2).replace(
            "    id: caf-2027\n", "    id: aide-au-logement-impaye\n", 1
        ),
        encoding="utf-8",
    )
    assert main(["--root", str(root), "validate", "--date", "2026-12-31"]) == 0
    capsys.readouterr()
    assert main(["--root", str(root), "validate", "--date", "2027-01-01"]) == 1
    line = (root / "content/courriers.yml").read_text().splitlines().index("    - aide-au-logement-impaye") + 1
    assert (
        f"content/courriers.yml:{line}: landlord.sections[1]: la partie « aide-au-logement-impaye » de {CHAPTER} "
        "ne s'applique plus le 1er janvier 2027 (dernier jour : 31 décembre 2026) et aucune partie du même id ne "
        "lui succède ; donnez l'id « aide-au-logement-impaye » à la partie qui la remplace (from)"
    ) in capsys.readouterr().err
    assert main(["--root", str(root), "build", "--date", "2027-01-01", "--site-dir", str(tmp_path / "site")]) == 1
    assert not (tmp_path / "site").exists()


def test_calendar_validate_refuses_a_leaflet_section_gone_that_day(tree: Path, capsys) -> None:
    edit(tree, "content/pages/accueil.yml", "    id: une-partie\n", "    id: une-partie\n    until: 2027-01-31\n")
    edit(
        tree,
        "content/pages/accueil.yml",
        "    body: Un texte court.\n",
        "    body: Un texte court.\n  - heading: La suite\n    from: 2027-02-01\n    body: Un autre texte.\n",
    )
    assert main(["--root", str(tree), "validate", "--date", "2027-01-31"]) == 0
    capsys.readouterr()
    assert main(["--root", str(tree), "validate", "--date", "2027-02-01"]) == 1
    assert (
        "flyers/depliant-prevention.yml:11: sections[0].section: la partie « une-partie » de "
        "content/pages/accueil.yml ne s'applique plus le 1er février 2027"
    ) in capsys.readouterr().err


def test_calendar_section_ids_shared_only_by_periods_that_do_not_overlap(tree: Path) -> None:
    edit(
        tree,
        "content/pages/accueil.yml",
        "    body: Un texte court.\n",
        "    body: Un texte court.\n  - heading: Une autre\n    id: une-partie\n    body: Un autre texte.\n",
    )
    with pytest.raises(SourceErrors) as error:
        load_sources(tree, dt.date(2026, 12, 15))
    assert (
        "content/pages/accueil.yml:6: sections: id de partie « une-partie » en double (parties « Une partie » et "
        in (str(error.value))
    )
    edit(
        tree, "content/pages/accueil.yml", "  - heading: Une autre\n", "  - heading: Une autre\n    from: 2027-01-01\n"
    )
    edit(tree, "content/pages/accueil.yml", "    id: une-partie\n", "    id: une-partie\n    until: 2026-12-31\n")
    load_sources(tree, dt.date(2026, 12, 15))  # two periods of one rule: one id


# ------------------------------------------------------------------ the days ahead


def test_calendar_lists_each_day_something_changes(tree: Path) -> None:
    edit(tree, "content/pages/accueil.yml", "    id: une-partie\n", "    id: une-partie\n    until: 2027-01-31\n")
    edit(
        tree,
        "content/pages/accueil.yml",
        "    body: Un texte court.\n",
        "    body: Un texte court.\n  - heading: La suite\n    id: une-partie\n    from: 2027-02-01\n"
        "    body: Un autre texte.\n",
    )
    sources = load_sources(tree, dt.date(2026, 12, 2))
    days = {
        d.day: [c.what for c in d.changes] for d in changes_between(sources, dt.date(2026, 12, 2), dt.date(2027, 2, 28))
    }
    assert days[dt.date(2026, 12, 3)] == ["annoncée (encadré « À partir du … ») : La suite"]  # 60 days before
    assert sorted(days[dt.date(2027, 2, 1)]) == ["entre en vigueur : La suite", "ne s'applique plus : Une partie"]


def test_calendar_lists_contacts_growing_old_and_missing_figures(tree: Path) -> None:
    sources = load_sources(tree, dt.date(2026, 12, 2))
    changes = [c for d in changes_between(sources, dt.date(2026, 12, 2), dt.date(2028, 6, 30)) for c in d.changes]
    assert any(re.search(r"coordonnée « .+ » de .+ : plus de 12 mois, « à revérifier »", c.what) for c in changes)
    assert any(c.what.endswith("plus de 18 mois, retirée") for c in changes)


def test_calendar_command_fails_naming_the_day_and_the_line(tree: Path, capsys) -> None:
    """A rule that ends with nothing after it: today builds, the day after its end does not."""
    edit(tree, "content/pages/accueil.yml", "    id: une-partie\n", "    id: une-partie\n    until: 2026-12-20\n")
    assert main(["--root", str(tree), "calendrier", "--date", "2026-12-02", "--jours", "30"]) == 1
    out, err = capsys.readouterr()
    assert "2 décembre 2026 (2026-12-02) : point de départ ; construit sans erreur" in out
    assert "21 décembre 2026 (2026-12-21) : 1 changement(s) ; 1 problème(s)" in out
    assert "content/pages/accueil.yml:8: ne s'applique plus : Une partie" in out
    assert (
        "problème le 2026-12-21 : content/pages/accueil.yml:8: sections[0].until: règle expirée le 20 décembre 2026"
    ) in err
    assert "la construction échouera le 21 décembre 2026" in err
