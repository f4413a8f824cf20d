"""Defence in depth: nothing in a built page or PDF can run code or lead to a script.

The sources are escaped and sanitised on the way in (`text.py`); this check
looks at what actually came out, so that a mistake anywhere in the pipeline —
a template, the site engine, a new extension — is caught before publication.
It reads the HTML as a browser would (character references decoded) and the
PDFs' link annotations and actions.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from .findings import Finding
from .parse import page_path

# Attributes whose value a browser follows or loads as a URL.
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "data", "poster", "background", "cite", "longdesc", "manifest",
    "ping", "codebase", "xlink:href", "lowsrc", "dynsrc", "srcset", "archive", "classid", "profile", "usemap",
}  # fmt: skip
DANGEROUS_SCHEMES = ("javascript", "vbscript", "data", "livescript", "mocha")
EMBEDDING_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"}
# <script type> values that hold data, not code: the theme's configuration block is one.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
# What a browser removes from a URL before reading its scheme (WHATWG URL standard).
URL_STRIPPED = re.compile(r"[\x00-\x20]")
PDF_LINK_SCHEMES = ("https://", "mailto:", "tel:")
PDF_ACTIONS_THAT_RUN = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/ResetForm", "/GoToR", "/GoToE"}


def url_scheme(url: str) -> str | None:
    """The scheme a browser sees in `url` (already entity-decoded), lower-case; None for a relative URL."""
    cleaned = URL_STRIPPED.sub("", url)
    match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):", cleaned)
    return match.group(1).lower() if match else None


class _ActiveContentParser(HTMLParser):
    """Collects every element of a page that could run code: handlers, script URLs, scripts, embeds."""

    def __init__(self, page: str, site_dir: Path, html_file: Path) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.site_dir = site_dir
        self.folder = html_file.parent
        self.findings: list[Finding] = []
        self._inline_script: int | None = None  # line of an open inline executable <script>

    def _find(self, tag: str, message: str) -> None:
        self.findings.append(Finding(self.page, f"<{tag}> (ligne {self.getpos()[0]})", "securite", message))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self._find(tag, f"gestionnaire d'événement « {name} » : du code s'exécuterait dans la page")
            if name in URL_ATTRIBUTES or (tag == "meta" and name == "content" and "url=" in value.lower()):
                for url in value.split(",") if name == "srcset" else [value.split("url=", 1)[-1]]:
                    scheme = url_scheme(url.strip().split(" ")[0] if name == "srcset" else url)
                    if scheme in DANGEROUS_SCHEMES:
                        self._find(tag, f"adresse « {scheme}: » dans l'attribut {name} : elle exécuterait du code")
        if tag in EMBEDDING_TAGS:
            self._find(tag, "élément qui intègre un autre document ou change l'adresse de base : interdit")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self._find(tag, "redirection automatique (meta refresh) : interdite")
        if tag == "script":
            self._check_script(values)

    handle_startendtag = handle_starttag

    def _check_script(self, values: dict[str, str]) -> None:
        if values.get("type", "").lower() in DATA_SCRIPT_TYPES:
            return
        src = values.get("src")
        if not src:
            self._inline_script = self.getpos()[0]
            return
        if url_scheme(src) is not None or src.startswith("//"):
            self._find("script", f"script chargé depuis une autre adresse : {src}")
            return
        target = (self.site_dir / src.lstrip("/")) if src.startswith("/") else (self.folder / src)
        target = target.resolve()
        assets = (self.site_dir / "assets").resolve()
        if not (target.is_relative_to(assets) and target.is_file()):
            self._find("script", f"script qui n'est pas un fichier du thème ou du site (assets/) : {src}")

    def handle_data(self, data: str) -> None:
        if self._inline_script is not None and data.strip():
            self.findings.append(
                Finding(
                    self.page,
                    f"<script> (ligne {self._inline_script})",
                    "securite",
                    "script écrit dans la page : seuls les fichiers de script du site sont permis "
                    "(CSP script-src 'self')",
                )
            )
            self._inline_script = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._inline_script = None


def check_page_security(site_dir: Path, html_file: Path) -> list[Finding]:
    """Every element of one built page that could run code."""
    parser = _ActiveContentParser(page_path(site_dir, html_file), site_dir, html_file)
    parser.feed(html_file.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser.findings


def check_pdf_security(site_dir: Path, pdf_file: Path) -> list[Finding]:
    """Link annotations lead only to https:, mailto: or tel:, and no action runs code or opens a file."""
    page = pdf_file.relative_to(site_dir).as_posix()
    findings: list[Finding] = []

    def find(where: str, message: str) -> None:
        findings.append(Finding(page, where, "securite-pdf", message))

    try:
        reader = PdfReader(pdf_file)
        catalog = reader.trailer["/Root"]
        if "/AA" in catalog:
            find("document", "actions automatiques du document (AA)")
        opening = catalog.get("/OpenAction")
        opening = opening.get_object() if opening is not None else None
        if opening is not None and not isinstance(opening, list) and opening.get("/S") != "/GoTo":
            find("document", f"action à l'ouverture {opening.get('/S')}")  # a destination (list) is harmless
        names = catalog.get("/Names")
        if names is not None and "/JavaScript" in names.get_object():
            find("document", "JavaScript dans le document")
        for number, pdf_page in enumerate(reader.pages, 1):
            for annotation in pdf_page.get("/Annots") or []:
                annotation = annotation.get_object()
                action = annotation.get("/A")
                if action is None:
                    continue
                action = action.get_object()
                kind = action.get("/S")
                where = f"page {number}, lien"
                if kind in PDF_ACTIONS_THAT_RUN:
                    find(where, f"action {kind} : elle exécuterait du code ou ouvrirait un autre fichier")
                elif kind == "/URI":
                    uri = str(action.get("/URI", ""))
                    if not URL_STRIPPED.sub("", uri).lower().startswith(PDF_LINK_SCHEMES):
                        find(where, f"lien « {uri[:80]} » : seuls https:, mailto: et tel: sont permis")
    except (PdfReadError, OSError, KeyError, ValueError) as error:
        find("document", f"PDF illisible : {error}")
    return findings


def check_security(site_dir: Path) -> list[Finding]:
    """The active-content check over every page and every PDF of a built site."""
    findings: list[Finding] = []
    for html_file in sorted(site_dir.rglob("*.html")):
        findings += check_page_security(site_dir, html_file)
    for pdf_file in sorted(site_dir.rglob("*.pdf")):
        findings += check_pdf_security(site_dir, pdf_file)
    return findings
