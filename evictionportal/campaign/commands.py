"""`python build.py annuaire campagne | importer | etat`: the options, then one call each."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import PortalError
from ..load import load_sources
from ..text import french_date

SUBCOMMANDS = {
    "campagne": "écrit pour chaque organisme son dossier PDF, son fichier de réponse, son message ; et le suivi",
    "importer": "vérifie les fichiers de réponse renvoyés, montre les changements et les applique à l'annuaire",
    "etat": "qui a répondu à la campagne en cours, qui n'a pas répondu, quelles fiches ont plus de 12 mois",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..cli import add_date_option

    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    for name, help_text in SUBCOMMANDS.items():
        sub = actions.add_parser(name, help=help_text, description=help_text)
        add_date_option(sub, "le jour de l'envoi, de la réception des retours ou de l'état")
        if name == "campagne":
            sub.add_argument("--annee", type=int, required=True, help="année de la campagne, ex. : 2027")
            sub.add_argument("--sortie", type=Path, required=True, help="dossier où écrire les fichiers à envoyer")
            sub.add_argument("--retour-avant", default=None, metavar="DATE", help="date limite citée dans le message")
        if name == "importer":
            sub.add_argument(
                "returns", nargs="+", type=Path, metavar="RETOUR", help="fichiers renvoyés (.xlsx, .ods, .csv)"
            )
            sub.add_argument("--dry-run", action="store_true", help="montre les changements sans rien écrire")


def command_directory(args: argparse.Namespace) -> None:
    from .record import finish_interrupted_write

    recovered = finish_interrupted_write(args.root)  # a killed import: finished or undone before reading
    if recovered:
        print(recovered, file=sys.stderr)
    sources = load_sources(args.root, args.date)
    if args.action == "campagne":
        from .send import run_campaign, summary

        if args.sortie.resolve().is_relative_to(args.root.resolve() / "directory"):
            raise PortalError("le dossier de sortie ne peut pas être dans directory/ ; choisissez un autre dossier")
        report = run_campaign(sources, args.annee, args.sortie.resolve(), args.retour_avant)
        print(summary(report, args.annee, sources))
    elif args.action == "importer":
        from .returns import diff_lines, import_returns

        report = import_returns(sources, args.returns, dry_run=args.dry_run)
        print("\n".join(diff_lines(report, sources.root)))
    else:
        print("\n".join(state_lines(sources)))


def state_lines(sources) -> list[str]:  # noqa: ANN001 - Sources, imported lazily by the CLI
    from .state import campaign_state

    state = campaign_state(sources)
    if state is None:
        return [
            "Aucune campagne en cours : lancez « python build.py annuaire campagne --annee AAAA --sortie DOSSIER »."
        ]
    lines = [f"{state.headline} (campagne lancée le {french_date(state.campaign.started)})."]
    lines.append(f"Ont répondu ({len(state.answered)}) :")
    lines += [f"  {org.id} : {org.name}, le {french_date(org.verified.date)}" for org in state.answered if org.verified]
    lines.append(f"N'ont pas répondu ({len(state.waiting)}) :")
    lines += [f"  {org.id} : {org.name}" for org in state.waiting]
    lines.append(f"Fiches jamais confirmées ou confirmées il y a plus de 12 mois ({len(state.old_records)}) :")
    lines += [
        f"  {org.id} : " + (f"confirmée le {french_date(org.verified.date)}" if org.verified else "jamais confirmée")
        for org in state.old_records
    ]
    return lines
