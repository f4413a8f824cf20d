"""The command line: each command parses its options and calls one function.

User errors (`PortalError`) become a message and exit code 1 here, in one place.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import traceback
import typing
from collections.abc import Callable
from pathlib import Path

from .errors import PortalError
from .load import os_reason
from .text import parse_iso_date

ROOT = Path(__file__).resolve().parent.parent


def command_build(args: argparse.Namespace) -> None:
    from .build import build_site

    report = build_site(args.root, args.site_dir, force=args.force, as_of=args.date, edition=args.edition)
    if report.skipped:
        print(f"Site à jour, rien à refaire ({report.seconds:.2f} s) : {report.site_dir}")
    else:
        print(f"Site construit : {report.pages} pages en {report.seconds:.1f} s dans {report.site_dir}")
        printed = report.printed
        if printed.documents:
            print(
                f"Documents à imprimer : {len(printed.documents)} PDF dans {report.site_dir / 'documents'} "
                f"({printed.rendered} refaits, {printed.cached} inchangés) en {printed.seconds:.1f} s"
            )
            for doc in printed.documents:
                if not doc.cached:
                    name = doc.path.split("/")[-1]
                    print(f"  refait : {name} ({doc.pages} p., {doc.kilobytes} Ko) en {doc.seconds:.2f} s")
            for line in printed.growing_documents():
                print(f"  document de référence, {line}")
            for fault in printed.layout_faults:
                print(f"  mise en page à revoir, {fault}", file=sys.stderr)
    for warning in report.warnings:
        print(warning, file=sys.stderr)


def command_print(args: argparse.Namespace) -> None:
    from .load import load_sources
    from .printing import print_documents
    from .printing.plan import PROOF_WARNING, held_back_warnings
    from .relations import visible_sources

    out = (args.out or args.root / "build" / "documents").resolve()
    sources = load_sources(args.root, args.date)
    report = print_documents(sources, out)
    for doc in report.documents:
        state = "inchangé" if doc.cached else "refait"
        print(f"{doc.path.split('/')[-1]:50} {doc.pages:3} p. {doc.kilobytes:6} Ko {doc.seconds:6.2f} s  {state}")
    print(
        f"{len(report.documents)} PDF dans {out} ({report.rendered} refaits, {report.cached} inchangés) "
        f"en {report.seconds:.1f} s"
    )
    for line in report.growing_documents():
        print(f"document de référence, {line}")
    for note in report.notes:
        print(note, file=sys.stderr)
    for fault in report.layout_faults:
        print(f"mise en page à revoir, {fault}", file=sys.stderr)
    if report.proof:
        print(PROOF_WARNING, file=sys.stderr)
    for warning in held_back_warnings(visible_sources(sources, include_drafts=False)):
        print(warning, file=sys.stderr)


def command_validate(args: argparse.Namespace) -> None:
    from .build import checked_sources

    sources, warnings = checked_sources(args.root, args.date or dt.date.today())  # what `build` checks first
    for warning in warnings:
        print(warning, file=sys.stderr)
    print(
        f"Sources valides : {len(sources.organisations)} organismes, {len(sources.stages)} étapes, "
        f"{len(sources.grounds)} motifs, {len(sources.schemes)} dispositifs, {len(sources.actions)} actions."
    )


def command_calendar(args: argparse.Namespace) -> None:
    from .errors import PortalError
    from .text import french_date
    from .timeline import Day, check_days_ahead

    start = args.date or dt.date.today()

    def said(day: Day) -> None:
        state = f"{len(day.problems)} problème(s)" if day.problems else "construit sans erreur"
        title = "point de départ" if day.day == start else f"{len(day.changes)} changement(s)"
        print(f"{french_date(day.day)} ({day.day.isoformat()}) : {title} ; {state} ({day.seconds:.1f} s)")
        for change in day.changes:
            print(f"  {change.file}:{change.line}: {change.what}")
        for problem in day.problems:
            print(f"  problème le {day.day.isoformat()} : {problem}", file=sys.stderr)

    print(f"Ce qui change du {french_date(start)} au {french_date(start + dt.timedelta(days=args.jours))} :")
    calendar = check_days_ahead(args.root, start, args.jours, progress=said)
    changing = len(calendar.days) - 1
    print(
        f"{changing} jour(s) de changement dans les {args.jours} jours ; {len(calendar.days)} construction(s) "
        f"vérifiée(s) en {calendar.seconds:.1f} s"
    )
    if calendar.failed:
        listed = ", ".join(french_date(d.day) for d in calendar.failed)
        raise PortalError(f"la construction échouera le {listed} : corrigez les problèmes ci-dessus")


def command_publication(args: argparse.Namespace) -> None:
    from .publication import publication_blockers

    items = publication_blockers(args.root, args.date)
    if not items:
        print("Rien ne bloque la publication : le site et ses documents seraient publiés sans « Épreuve ».")
        return
    print(f"Avant de publier, {len(items)} point(s) à régler :")
    for item in items:
        print(f"  {item}")
    raise PortalError(f"publication impossible en l'état : {len(items)} point(s) à régler, listés ci-dessus")


def command_schema(args: argparse.Namespace) -> None:
    from .jsonschema import write_json_schemas

    written = write_json_schemas(args.root)
    print(f"{len(written)} schémas JSON écrits dans {args.root / 'schemas'}")


def command_serve(args: argparse.Namespace) -> None:
    from .preview import serve

    serve(args.root, port=args.port, as_of=args.date)


def command_edition(args: argparse.Namespace) -> None:
    from .editor.server import serve_editor

    serve_editor(args.root, port=args.port, preview_port=None if args.sans_apercu else args.port_apercu)


def command_check(args: argparse.Namespace) -> None:
    from . import schema
    from .checks import check_site
    from .checks.contacts import contact_directory
    from .load import load_sources
    from .relations import visible_sources

    directory = None  # a site checked without its sources (another folder): no directory to check contacts against
    if (args.root / schema.SOURCE_KINDS["territory"][0]).is_file():
        sources = visible_sources(load_sources(args.root, args.date or dt.date.today()), include_drafts=False)
        directory = contact_directory(sources)
    else:
        print(f"{args.root} : pas de sources ici ; la vérification des contacts ([contact-injoignable]) est sautée")
    site_dir = args.site_dir or args.root / "site"
    artefacts = args.root / "build" / "artefacts"
    if args.edition is not None:  # that edition, built (or up to date) beside the site, and its own reports
        from .build import build_site

        site_dir = args.site_dir or args.root / "build" / f"site-{args.edition.value}"
        report = build_site(args.root, site_dir, as_of=args.date, edition=args.edition)
        state = "à jour" if report.skipped else f"construite en {report.seconds:.1f} s"
        print(f"Édition {args.edition.value} {state} : {site_dir}")
        artefacts = artefacts / args.edition.value
    check_site(
        site_dir,
        args.config or args.root / "checks.yml",
        artefacts,
        external=args.external,
        directory=directory,
        sample=args.echantillon,
    )


def command_captures(args: argparse.Namespace) -> None:
    from .checks.captures import write_captures

    folder = args.root / "build" / "artefacts"
    site_dir = args.site_dir or args.root / "site"
    if args.edition is not None:  # the edition `check --edition` built beside the site
        site_dir = args.site_dir or args.root / "build" / f"site-{args.edition.value}"
        folder = folder / args.edition.value
    print(write_captures(site_dir, folder).summary(folder))


def command_directory(args: argparse.Namespace) -> None:
    from .campaign.commands import command_directory

    command_directory(args)


def command_letters(args: argparse.Namespace) -> None:
    from .letters.command import run

    run(args)


COMMANDS: dict[str, tuple[Callable[[argparse.Namespace], None], str]] = {
    "build": (command_build, "construit le site public à partir des sources YAML (par défaut)"),
    "validate": (command_validate, "vérifie toutes les sources sans rien construire"),
    "print": (command_print, "produit les documents à imprimer (PDF) décrits dans flyers/"),
    "calendrier": (
        command_calendar,
        "liste les jours où ce qui est publié change (règles datées, coordonnées, barèmes) et construit "
        "le site, les PDF et les modèles de courrier à chacun de ces jours",
    ),
    "publication": (
        command_publication,
        "liste ce qui manque avant une vraie publication (adresse du site, mentions légales, hébergeur, "
        "accessibilité, expéditeur des courriers, pages non validées, barèmes, coordonnées anciennes)",
    ),
    "schema": (command_schema, "écrit les schémas JSON des sources, pour l'éditeur YAML"),
    "serve": (command_serve, "aperçu en direct, brouillons compris, sur http://127.0.0.1:8000"),
    "edition": (
        command_edition,
        "éditeur dans le navigateur, sur http://127.0.0.1:8001, avec l'aperçu du portail à côté",
    ),
    "courriers": (command_letters, "courriers aux ménages et aux bailleurs après un commandement de payer, liste CAF"),
    "check": (command_check, "vérifie le site construit : liens, accessibilité, HTML, vie privée, poids des pages"),
    "captures": (
        command_captures,
        "images à regarder : pages principales en 390 et 1280 px, chaque page de chaque PDF (build/artefacts/)",
    ),
    "annuaire": (command_directory, "campagne annuelle de mise à jour de l'annuaire : campagne, importer, etat"),
}


def build_date(value: str) -> dt.date:
    """`--date` as a French user reads the error: which day does not exist."""
    try:
        return parse_iso_date(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_date_option(sub: argparse.ArgumentParser, meaning: str) -> None:
    """`--date AAAA-MM-JJ` (default: today), whose errors name the day that does not exist."""
    help_text = f"{meaning} (par défaut : aujourd'hui)"
    sub.add_argument("--date", type=build_date, default=None, metavar="AAAA-MM-JJ", help=help_text)


def edition(value: str) -> typing.Any:
    """`--edition etat|collectivite`, said in French when it is neither."""
    from .schema import Edition

    try:
        return Edition(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"édition « {value} » inconnue ; attendu : etat ou collectivite") from None


def add_edition_option(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--edition",
        type=edition,
        default=None,
        metavar="etat|collectivite",
        help="qui publie : etat (DSFR, marque de l'État) ou collectivite (sans DSFR) ; "
        "par défaut : edition de content/territoire.yml",
    )


DATED_COMMANDS = ("build", "validate", "print", "serve", "courriers", "calendrier", "publication")


ARGPARSE_WORDS = {
    "the following arguments are required": "arguments obligatoires manquants",
    "unrecognized arguments": "arguments non reconnus",
    "invalid choice": "choix non prévu",
    "choose from": "choisissez parmi",
    "expected one argument": "une valeur est attendue",
    "invalid int value": "nombre entier attendu",
    "argument ": "option ",
}


class FrenchArgumentParser(argparse.ArgumentParser):
    """argparse, whose errors are in English, saying them in French (exit code 2 as usual)."""

    def error(self, message: str) -> typing.NoReturn:
        for english, french in ARGPARSE_WORDS.items():
            message = message.replace(english, french)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog} : erreur : {message}\n")


def parser() -> argparse.ArgumentParser:
    main = FrenchArgumentParser(
        prog="build.py",
        description="Construit le portail de prévention des expulsions à partir des sources YAML.",
    )
    main.add_argument("--root", type=Path, default=ROOT, help="dossier du projet (par défaut : celui de build.py)")
    commands = main.add_subparsers(dest="command", metavar="COMMANDE")
    for name, (function, help_text) in COMMANDS.items():
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(function=function)
        if name in DATED_COMMANDS:
            add_date_option(sub, "construit comme à cette date : règles en vigueur, coordonnées à jour")
        if name == "build":
            sub.add_argument("--site-dir", type=Path, default=None, help="où écrire le site (par défaut : site/)")
            sub.add_argument("--force", action="store_true", help="reconstruit même si rien n'a changé")
            add_edition_option(sub)
        if name == "calendrier":
            sub.add_argument(
                "--jours", type=int, default=400, metavar="N", help="combien de jours regarder (par défaut : 400)"
            )
        if name == "print":
            sub.add_argument("--out", type=Path, default=None, help="où écrire les PDF (par défaut : build/documents/)")
        if name == "serve":
            sub.add_argument("--port", type=int, default=8000, help="port local (par défaut : 8000)")
        if name == "edition":
            sub.add_argument("--port", type=int, default=8001, help="port local de l'éditeur (par défaut : 8001)")
            sub.add_argument(
                "--port-apercu", type=int, default=8000, help="port local de l'aperçu (par défaut : 8000)"
            )
            sub.add_argument("--sans-apercu", action="store_true", help="l'éditeur seul, sans l'aperçu du portail")
        if name == "annuaire":
            from .campaign.commands import add_arguments

            add_arguments(sub)
        if name == "courriers":
            from .letters.command import add_arguments as add_letter_arguments

            add_letter_arguments(sub)
        if name == "captures":
            sub.add_argument("--site-dir", type=Path, default=None, help="site à montrer (par défaut : site/)")
            sub.add_argument(
                "--edition",
                type=edition,
                default=None,
                metavar="etat|collectivite",
                help="l'édition que `check --edition` a construite (build/site-EDITION/), images dans "
                "build/artefacts/EDITION/",
            )
        if name == "check":
            sub.add_argument("--site-dir", type=Path, default=None, help="site à vérifier (par défaut : site/)")
            sub.add_argument("--config", type=Path, default=None, help="réglages (par défaut : checks.yml)")
            sub.add_argument("--external", action="store_true", help="vérifie aussi les liens externes (internet)")
            sub.add_argument(
                "--echantillon",
                action="store_true",
                help="navigateur, HTML et liens sur les pages sample_pages de checks.yml seulement (plus rapide)",
            )
            add_edition_option(sub)
            add_date_option(sub, "l'annuaire de ce jour (contacts) ; avec --edition, l'édition construite ce jour")
    return main


def main(argv: list[str] | None = None) -> int:
    """Run one command. Every user or environment error is one French message and exit code 1
    (2 for a bad command line); only a bug in the program shows a traceback, with a request to report it."""
    cli = parser()
    args = cli.parse_args(argv)
    if args.command is None:  # plain `python build.py` builds the site
        args.function, args.site_dir, args.force, args.date, args.edition = command_build, None, False, None, None
    try:
        args.function(args)
    except PortalError as error:
        print(str(error), file=sys.stderr)
        return 1
    except OSError as error:
        print(environment_message(error), file=sys.stderr)
        return 1
    except MemoryError:
        print("mémoire insuffisante : fermez d'autres programmes, ou vérifiez la taille des fichiers", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrompu : le site précédent est intact", file=sys.stderr)
        return 130
    except Exception:
        traceback.print_exc()
        print(
            "Erreur du programme lui-même, pas de vos fichiers : le site précédent est intact. "
            "Signalez-la aux développeurs avec le message ci-dessus et la commande lancée.",
            file=sys.stderr,
        )
        return 70
    return 0


def environment_message(error: OSError) -> str:
    """A file-system problem (folder, rights, full disk, link loop) as one line that names the path."""
    where = " → ".join(str(name) for name in (error.filename, error.filename2) if name) or "fichier"
    return f"{where} : {os_reason(error)}. Rien n'a été publié ; le site précédent est intact."
