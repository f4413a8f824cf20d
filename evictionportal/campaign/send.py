"""`annuaire campagne`: one packet, one return file and one message per organisation, and the tracking table.

Everything is written into a temporary folder that replaces the output folder
only once every organisation's files are done; the campaign's record
(directory/campagnes/ANNEE.yml: who was sent what, on which day) is written last.
"""

from __future__ import annotations

import hashlib
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .. import schema
from ..errors import PortalError
from ..load import Sources
from ..relations import organisation_backlinks, visible_sources
from ..site import swap_in
from ..text import french_date
from . import spreadsheet
from .fields import HEADER, form_lines
from .packet import TEMPLATE, DocumentPrinter, packet_context
from .record import save_campaign

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "campaign"
COLUMN_WIDTHS = (22, 48, 48, 20, 48)


@dataclass
class CampaignReport:
    out_dir: Path
    organisations: int = 0
    files: int = 0
    seconds: float = 0.0
    record: Path | None = None
    tracking: list[list[str]] = field(default_factory=list)


def indicators_asked(sources: Sources) -> dict[str, list[str]]:
    """Action 2: the figures each partner is asked for, from referentiel/indicateurs.yml."""
    asked: dict[str, list[str]] = {}
    for group in sources.indicators.sets:
        asked.setdefault(group.organisation, []).extend(group.indicators)
    return asked


def message_environment() -> jinja2.Environment:
    # Plain text for an e-mail body: nothing here is ever read as HTML.
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def new_token() -> str:
    """The code of one sending: unguessable, short enough to read aloud on the phone."""
    return "-".join(secrets.token_hex(4) for _ in range(4))


def token_digest(token: str) -> str:
    """What directory/campagnes/ANNEE.yml keeps: the code's SHA-256, so that the repository never holds a code."""
    return hashlib.sha256(token.strip().lower().encode("utf-8")).hexdigest()


def return_rows(org: schema.Organisation, year: int, indicators: list[str], token: str = "") -> list[list[str]]:
    return [list(HEADER)] + [
        [line.code, line.label, line.current, line.verified, ""] for line in form_lines(org, year, indicators, token)
    ]


def write_organisation_files(
    folder: Path,
    sources: Sources,
    org: schema.Organisation,
    year: int,
    printer: DocumentPrinter,
    message: jinja2.Template,
    context: dict,
    token: str,
) -> list[str]:
    """The four files sent to one organisation, its return file carrying the sending's code; returns their names."""
    folder.mkdir(parents=True)
    names = {
        "packet": f"dossier-{org.id}-{year}.pdf",
        "xlsx": f"reponse-{org.id}-{year}.xlsx",
        "ods": f"reponse-{org.id}-{year}.ods",
        "message": f"message-{org.id}.txt",
    }
    indicators = context["asked"].get(org.id, [])
    rows = return_rows(org, year, indicators, token)
    spreadsheet.write_xlsx(folder / names["xlsx"], rows, COLUMN_WIDTHS)
    spreadsheet.write_ods(folder / names["ods"], rows, COLUMN_WIDTHS)
    returns = [names["xlsx"], names["ods"]]
    packet = packet_context(sources, org, context["backlinks"][org.id], year, indicators, returns)
    (folder / names["packet"]).write_bytes(printer.pdf(TEMPLATE, packet))
    text = message.render(
        territory=sources.territory,
        org=org,
        year=year,
        packet=names["packet"],
        return_files=returns,
        indicators=indicators,
        reply_by=context["reply_by"],
    )
    (folder / names["message"]).write_text(text, encoding="utf-8")
    return list(names.values())


def require_campaign_folder(out_dir: Path) -> None:
    """The output folder is replaced as a whole: never one that holds anything but a previous campaign."""
    if out_dir.exists() and any(out_dir.iterdir()) and not any(out_dir.glob("suivi-campagne-*.csv")):
        raise PortalError(
            f"le dossier {out_dir} existe et ne contient pas un envoi de campagne : il serait remplacé ; "
            "choisissez un dossier nouveau ou vide avec --sortie"
        )


def run_campaign(sources: Sources, year: int, out_dir: Path, reply_by: str | None = None) -> CampaignReport:
    """Write the campaign's files for every organisation into `out_dir`, then record the sendings."""
    start = time.perf_counter()
    require_campaign_folder(out_dir)
    report = CampaignReport(out_dir)
    shown = visible_sources(sources, include_drafts=False)
    context = {"asked": indicators_asked(sources), "backlinks": organisation_backlinks(shown), "reply_by": reply_by}
    printer = DocumentPrinter()
    message = message_environment().get_template("message.txt.j2")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".campagne-", dir=out_dir.parent))
    sent: dict[str, tuple[list[str], str]] = {}
    try:
        for org in sources.organisations.values():
            token = new_token()
            files = write_organisation_files(scratch / org.id, sources, org, year, printer, message, context, token)
            sent[org.id] = (files, token_digest(token))
            report.files += len(files)
            report.tracking.append([org.id, org.name, ", ".join(files), sources.as_of.isoformat(), "", ""])
        header = ["organisme", "nom", "fichiers envoyés", "envoyé le", "réponse reçue le", "remarques"]
        spreadsheet.write_csv(scratch / f"suivi-campagne-{year}.csv", [header, *report.tracking])
        swap_in(scratch, out_dir)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    report.record = save_campaign(sources, year, sent)
    report.organisations = len(sent)
    report.seconds = time.perf_counter() - start
    return report


def summary(report: CampaignReport, year: int, sources: Sources) -> str:
    return (
        f"Campagne {year} : {report.organisations} organismes, {report.files} fichiers dans {report.out_dir} "
        f"en {report.seconds:.1f} s ; suivi : {report.out_dir / f'suivi-campagne-{year}.csv'} ; "
        f"envois enregistrés le {french_date(sources.as_of)} dans {report.record}"
    )
