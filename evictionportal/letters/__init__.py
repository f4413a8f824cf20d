"""Stage 5 of the pipeline: the letters after each commandement de payer (charter, actions 11, 16, 17).

`register.py` reads the register (CSV, XLSX, ODS), `records.py` turns each row into a commandement
or a reject, `address.py` formats window-envelope addresses, `context.py` says what each letter
contains (words from the sources), `render.py` lays letters out in batches with the print step's
renderer, `listings.py` writes the CAF and complex-case listings, `run.py` ties them together,
`models.py` makes the model letters the site publishes, `purge.py` deletes old batches.
"""

from __future__ import annotations

from .run import LettersReport, make_letters

__all__ = ["LettersReport", "make_letters"]
