"""Time the site build: cold (forced) against an unchanged rebuild, on the real sources.

Run: .venv/bin/python bench/build_bench.py [repeats]. The cold build is the
baseline; the unchanged rebuild is reported against it, in the same run.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from evictionportal.build import build_site  # noqa: E402


def timed(function) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main(repeats: int = 3) -> None:
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        cold = [timed(lambda: build_site(ROOT, site, force=True)) for _ in range(repeats)]
        unchanged = [timed(lambda: build_site(ROOT, site)) for _ in range(repeats)]
        pages = sum(1 for _ in site.rglob("index.html"))
    cold_median, unchanged_median = statistics.median(cold), statistics.median(unchanged)
    print(f"pages: {pages}")
    print(f"cold build (baseline): median {cold_median:.2f} s over {repeats} runs {[round(t, 2) for t in cold]}")
    print(
        f"unchanged rebuild:     median {unchanged_median:.3f} s over {repeats} runs "
        f"({unchanged_median / cold_median:.1%} of the cold build)"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
