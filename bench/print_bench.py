"""Time the print step on the real sources: a cold run (empty cache) against an unchanged one.

Run: .venv/bin/python bench/print_bench.py. The cold run is the baseline; the
unchanged run is reported against it. Each document's time in the cold run is
listed too. While content/territoire.yml has no site_url, the QR codes of this
benchmark point to a placeholder address (https://exemple.test/), only here.
"""

from __future__ import annotations

import dataclasses
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pydantic import HttpUrl  # noqa: E402

from evictionportal.load import Sources, load_sources  # noqa: E402
from evictionportal.printing import print_documents  # noqa: E402


def sources_with_address() -> Sources:
    sources = load_sources(ROOT)
    if sources.territory.site_url is not None:
        return sources
    territory = sources.territory.model_copy(update={"site_url": HttpUrl("https://exemple.test/")})
    sources.origins[id(territory)] = sources.origins[id(sources.territory)]
    return dataclasses.replace(sources, territory=territory)


def main() -> None:
    sources = sources_with_address()
    with tempfile.TemporaryDirectory() as folder:
        cache, out = Path(folder) / "print-cache", Path(folder) / "documents"
        start = time.perf_counter()
        cold = print_documents(sources, out, cache_dir=cache)
        cold_seconds = time.perf_counter() - start
        start = time.perf_counter()
        unchanged = print_documents(sources, out, cache_dir=cache)
        unchanged_seconds = time.perf_counter() - start
    for doc in cold.documents:
        print(f"{doc.path.split('/')[-1]:52} {doc.pages:3} p. {doc.kilobytes:5} Ko {doc.seconds:6.2f} s")
    total_kb = sum(d.kilobytes for d in cold.documents)
    print(f"documents: {len(cold.documents)} PDF, {total_kb} Ko")
    print(f"cold print (baseline): {cold_seconds:.2f} s, {cold.rendered} rendered")
    print(
        f"unchanged print:       {unchanged_seconds:.2f} s, {unchanged.rendered} rendered, "
        f"{unchanged.cached} from the cache ({unchanged_seconds / cold_seconds:.1%} of the cold run)"
    )


if __name__ == "__main__":
    main()
