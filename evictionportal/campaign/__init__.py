"""The yearly directory campaign (charter actions 2 and 6), a sibling of `printing/`.

`annuaire campagne` sends each organisation what the portal publishes about
it (`packet.py`, rendered by the print step's renderer) with a return file
(`fields.py` says its lines, `spreadsheet.py` writes and reads XLSX, ODS and
CSV); `annuaire importer` checks returned files and applies them to the YAML
in place (`returns.py`, `record.py`); `annuaire etat` tells who answered
(`state.py`), as the référentiel page does.
"""
