"""Privacy: no page makes the reader's browser contact another host.

A tenant looking up "expulsion" should not tell a font or statistics provider
about it. This static part names the element that would load a foreign
resource; the browser check catches whatever scripts request at run time.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from .findings import Finding
from .parse import ParsedPage

# <link rel> values that make the browser fetch (or connect to) the URL.
FETCHING_RELS = {
    "stylesheet", "icon", "shortcut", "apple-touch-icon", "manifest", "preload", "prefetch",
    "preconnect", "dns-prefetch", "modulepreload", "prerender",
}  # fmt: skip
# Attributes that load a resource, per element; <a href> is a link the reader chooses, not a load.
LOADING_ATTRS = {
    "script": ("src",), "img": ("src", "srcset"), "source": ("src", "srcset"), "iframe": ("src",),
    "frame": ("src",), "video": ("src", "poster"), "audio": ("src",), "track": ("src",),
    "embed": ("src",), "object": ("data",), "input": ("src",), "image": ("href",), "use": ("href",),
}  # fmt: skip
CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""", re.IGNORECASE)


def is_foreign(url: str) -> bool:
    """An absolute or protocol-relative URL leaves the site; relative ones and data: do not."""
    url = url.strip()
    parts = urlsplit(url)
    return url.startswith("//") or (parts.scheme in ("http", "https", "ftp", "ws", "wss") and bool(parts.netloc))


def _urls(attr: str, value: str) -> list[str]:
    if attr == "srcset":
        return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]
    return [value]


def check_foreign_resources(page: ParsedPage) -> list[Finding]:
    findings = []
    for element in page.elements:
        attrs = LOADING_ATTRS.get(element.tag, ())
        if element.tag == "link" and FETCHING_RELS & set((element.attr("rel") or "").lower().split()):
            attrs = ("href",)
        for attr in attrs:
            for url in _urls(attr, element.attr(attr) or ""):
                if is_foreign(url):
                    findings.append(
                        Finding(
                            page.path, str(element), "vie-privee", f"ressource chargée depuis un autre site : {url}"
                        )
                    )
    for line, css in page.styles:
        for url in CSS_URL.findall(css):
            if is_foreign(url):
                findings.append(
                    Finding(
                        page.path, f"style (ligne {line})", "vie-privee", f"CSS chargée depuis un autre site : {url}"
                    )
                )
    return findings


def check_stylesheets(site_dir: Path) -> list[Finding]:
    """Fonts and images that the site's CSS files would fetch from elsewhere."""
    findings = []
    for css_file in sorted(site_dir.rglob("*.css")):
        path = css_file.relative_to(site_dir).as_posix()
        for url in CSS_URL.findall(css_file.read_text(encoding="utf-8", errors="replace")):
            if is_foreign(url):
                findings.append(Finding(path, f"url({url})", "vie-privee", "la feuille de style charge un autre site"))
    return findings
