"""A directory of 300 made-up organisations builds to the end: published, no page budget stop.

The organisations come from bench/madeup_directory.py (valid, varied areas and contacts); timings
at 1,000 organisations are measured by bench/scale_bench.py, not asserted here.
"""

from __future__ import annotations

from pathlib import Path

from bench.madeup_directory import write_madeup_organisations
from evictionportal.build import build_site
from tests.test_print import pdf_text


def test_scale_300_organisations_publish_the_site_and_every_document(tree: Path) -> None:
    write_madeup_organisations(tree, 300)
    report = build_site(tree)

    site = tree / "site"
    assert (site / "index.html").is_file()
    assert len(list((site / "professionnels/annuaire").glob("*/index.html"))) == 303
    names = {doc.path.split("/")[-1] for doc in report.printed.documents}
    volumes = {"annuaire-exempleville-a4.pdf", "annuaire-1-a4.pdf", "annuaire-2-a4.pdf", "annuaire-3-a4.pdf"}
    assert volumes | {"referentiel-a4.pdf", "depliant-prevention-a4.pdf"} <= names
    # The volumes outgrow their indicative 10 pages: said, with pages and size, and published all the same.
    long_volumes = [doc for doc in report.printed.documents if doc.flyer_id == "annuaire" and doc.pages > 10]
    assert long_volumes
    for doc in long_volumes:
        said = f"({doc.path.split('/')[-1]}) fait {doc.pages} pages et {doc.kilobytes} Ko"
        assert any(said in warning for warning in report.warnings), said
        assert (site / doc.path).is_file()
    second = pdf_text(site / "documents/annuaire-2-a4.pdf")
    assert "Association du deuxième quartier" in second and "d'exemple n°" in second
