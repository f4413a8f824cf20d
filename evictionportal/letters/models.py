"""The two model letters the site publishes (charter, action 16, step 3): partners see what is sent.

Same templates and words as the real letters; every personal detail is a placeholder in brackets.
"""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
import time
from pathlib import Path
from types import SimpleNamespace

from pypdf import PdfReader
from weasyprint.text.fonts import FontConfiguration

from .. import schema
from ..delays import counted_deadlines
from ..errors import BuildFailed
from ..load import Sources
from ..printing.plan import OUTPUT_FOLDER, PrintedDocument
from ..printing.render import render_pdf, static_print_inputs
from ..relations import visible_sources
from .config import CONFIG_FILE, load_letters_config
from .context import Fact, Letter, LetterSources, area_helpers, forms_of_address, letter_sources
from .render import LetterHtml

LETTER_STYLESHEET = Path(__file__).parent.parent / "templates" / "letters" / "letters.css"

MODEL_FILES = {"menage": "modele-courrier-menage.pdf", "bailleur": "modele-courrier-bailleur.pdf"}
MODEL_TITLES = {
    "menage": "Modèle de courrier au ménage après un commandement de payer",
    "bailleur": "Modèle de courrier au propriétaire après un commandement de payer",
}
SERVED = "[date du commandement]"
MODEL_BAND = "Modèle : les mentions entre crochets changent pour chaque courrier"


def has_letters(root: Path) -> bool:
    return (root / CONFIG_FILE).exists()


def model_letters(common: LetterSources) -> list[Letter]:
    household, landlord = common.config.household, common.config.landlord
    date_line = f"{common.sender.place}, le [date du courrier]"
    ends = household.deadline_value.format(fin_delai="[date de fin du délai]")
    delays = tuple(Fact(d.label, (ends,)) for d in counted_deadlines(common.stage.deadlines))
    return [
        Letter(
            kind="menage",
            reference="[référence]",
            area=0,
            postcode="",
            address=(
                "[Civilité Prénom Nom]",
                "[Appartement, étage, escalier]",
                "[Bâtiment, résidence]",
                "[Numéro et voie]",
                "[CODE POSTAL COMMUNE]",
            ),
            date_line=date_line,
            facts=(Fact(household.served_label, (SERVED,)), *delays),
            note=household.deadline_unknown,
            **forms_of_address(common, None),
        ),
        Letter(
            kind="bailleur",
            reference="[référence]",
            area=0,
            postcode="",
            address=("[Nom du bailleur]", "[Numéro et voie]", "[CODE POSTAL COMMUNE]"),
            date_line=date_line,
            facts=(
                Fact(landlord.served_label, (SERVED,)),
                *delays,
                Fact(landlord.dwelling_label, ("[adresse du logement]",)),
            ),
            note=landlord.deadline_unknown,
        ),
    ]


def write_model_letters(sources: Sources, out_dir: Path) -> list[PrintedDocument]:
    """Render both model letters into the site's documents folder; what the documents page lists."""
    config, _ = load_letters_config(sources)
    common = letter_sources(sources, config)
    # The model shows the help of every arrondissement in general terms: no household, no arrondissement.
    placeholder_area = SimpleNamespace(number=0, name=f"[{sources.territory.area_label} du ménage]")
    # Area 0 is none: organisations_serving gives the territory-wide and national helpers only.
    shown = visible_sources(sources, include_drafts=False)
    common.helpers_by_area[0] = dataclasses.replace(area_helpers(shown, common.stage, 0), no_local=False)
    html = LetterHtml(common, MODEL_BAND, extra_areas={0: placeholder_area})
    out_dir.mkdir(parents=True, exist_ok=True)
    documents = []
    for letter in model_letters(common):
        begin = time.perf_counter()
        target = out_dir / MODEL_FILES[letter.kind]
        document = html.wrap(MODEL_TITLES[letter.kind], [html.front(letter), html.back_side(letter)])
        cached = copy_from_cache(sources.root, document, target)
        if not cached:
            pdf, _, errors = render_pdf(document, FontConfiguration(), print_shop=False)
            if errors:
                raise BuildFailed(
                    "la mise en page des modèles de courrier a échoué (WeasyPrint) :\n" + "\n".join(errors)
                )
            target.write_bytes(pdf)
            store_in_cache(sources.root, document, target)
        target.chmod(0o644)  # a public document, unlike the real letters
        documents.append(
            PrintedDocument(
                flyer_id=target.stem,
                title=MODEL_TITLES[letter.kind],
                layout="courrier",
                audience=(schema.Audience.tenants if letter.kind == "menage" else schema.Audience.landlords).value,
                ground=None,
                size="A4",
                print_shop=False,
                path=f"{OUTPUT_FOLDER}/{target.name}",
                url=None,
                pages=len(PdfReader(target).pages),
                bytes=target.stat().st_size,
                verified=common.verified,
                seconds=time.perf_counter() - begin,
                cached=cached,
            )
        )
    return documents


MODEL_CACHE = Path("build") / "model-letters-cache"


def _model_key(document: str) -> str:
    """What a model letter is made of: its HTML (title and author included), the letter stylesheet and the
    house print inputs."""
    digest = hashlib.sha256(static_print_inputs() + LETTER_STYLESHEET.read_bytes())
    digest.update(document.encode("utf-8"))
    return digest.hexdigest()


def copy_from_cache(root: Path, document: str, target: Path) -> bool:
    """An edit elsewhere in the sources does not render the model letters again (issue 12)."""
    cached = root / MODEL_CACHE / f"{target.stem}-{_model_key(document)[:32]}.pdf"
    if not cached.is_file():
        return False
    shutil.copyfile(cached, target)
    return True


def store_in_cache(root: Path, document: str, target: Path) -> None:
    folder = root / MODEL_CACHE
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"{target.stem}-*.pdf"):  # one version per model letter
        old.unlink()
    shutil.copyfile(target, folder / f"{target.stem}-{_model_key(document)[:32]}.pdf")
