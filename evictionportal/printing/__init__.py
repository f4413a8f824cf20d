"""Stage 4 of the pipeline: the print documents, as tagged PDFs.

`flyers/*.yml` says which source blocks each document takes and in which
formats; `context.py` builds one typed context per layout (words come from the
sources only), the templates in `templates/print/` lay it out with one shared
stylesheet, and `render.py` turns it into a PDF with WeasyPrint, checks the
page budget, and skips documents whose inputs have not changed.
"""

from __future__ import annotations

from .plan import PrintedDocument, PrintReport, Variant, plan
from .render import print_documents

__all__ = ["PrintReport", "PrintedDocument", "Variant", "plan", "print_documents"]
