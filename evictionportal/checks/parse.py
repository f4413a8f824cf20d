"""Read every generated page once, keeping what the static checks need.

Headings, anchors, links and resource URLs come from the HTML as written, with
line numbers, so a finding can point at the exact element in the output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


@dataclass(frozen=True)
class Element:
    """One element as a finding names it: `<a href="…">` at a line of the page."""

    tag: str
    attrs: tuple[tuple[str, str], ...]
    line: int
    text: str = ""

    def attr(self, name: str) -> str | None:
        return next((value for key, value in self.attrs if key == name), None)

    def __str__(self) -> str:
        shown = " ".join(f'{k}="{v}"' for k, v in self.attrs if k in ("id", "href", "src", "rel", "class"))
        label = f" « {self.text[:60]} »" if self.text else ""
        return f"<{self.tag}{' ' + shown if shown else ''}>{label} (ligne {self.line})"


@dataclass
class ParsedPage:
    """What the static checks need from one page."""

    path: str  # as a URL path under the site root: "" (home), "etapes/jugement/", "404.html"
    lang: str | None = None
    headings: list[tuple[int, Element]] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    links: list[Element] = field(default_factory=list)
    elements: list[Element] = field(default_factory=list)  # every start tag with a URL-bearing attribute
    styles: list[tuple[int, str]] = field(default_factory=list)  # inline CSS: <style> blocks and style=""


class _PageParser(HTMLParser):
    URL_ATTRS = ("src", "href", "srcset", "data", "poster", "action")

    def __init__(self, page: ParsedPage) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self._heading: tuple[str, list[tuple[str, str]], int, list[str]] | None = None
        self._link: tuple[list[tuple[str, str]], int, list[str]] | None = None
        self._style: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        clean = [(k, v or "") for k, v in attrs]
        values = dict(clean)
        line = self.getpos()[0]
        if tag == "html":
            self.page.lang = values.get("lang")
        if "id" in values:
            self.page.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.page.ids.add(values["name"])
        if tag in HEADINGS:
            self._heading = (tag, clean, line, [])
        if tag == "a" and "href" in values:
            self._link = (clean, line, [])
        if tag == "style":
            self._style = []
        if "style" in values:
            self.page.styles.append((line, values["style"]))
        if any(k in self.URL_ATTRS for k, _ in clean):
            self.page.elements.append(Element(tag, tuple(clean), line))

    def handle_endtag(self, tag: str) -> None:
        if self._heading and tag == self._heading[0]:
            name, attrs, line, text = self._heading
            self.page.headings.append((HEADINGS[name], Element(name, tuple(attrs), line, _squash(text))))
            self._heading = None
        elif self._link and tag == "a":
            attrs, line, text = self._link
            self.page.links.append(Element("a", tuple(attrs), line, _squash(text)))
            self._link = None
        elif self._style is not None and tag == "style":
            self.page.styles.append((self.getpos()[0], "".join(self._style)))
            self._style = None

    def handle_data(self, data: str) -> None:
        for open_element in (self._heading, self._link):
            if open_element:
                open_element[-1].append(data)
        if self._style is not None:
            self._style.append(data)


def _squash(parts: list[str]) -> str:
    return " ".join("".join(parts).split())


def page_path(site_dir: Path, html_file: Path) -> str:
    """The URL path of a generated file: `etapes/jugement/index.html` is served as `etapes/jugement/`."""
    relative = html_file.relative_to(site_dir).as_posix()
    return relative.removesuffix("index.html")


def site_pages(site_dir: Path) -> list[str]:
    """Every generated page, as URL paths, home first."""
    return sorted(page_path(site_dir, f) for f in site_dir.rglob("*.html"))


def page_file(site_dir: Path, path: str) -> Path:
    return site_dir / (path + "index.html" if path == "" or path.endswith("/") else path)


def parse_page(site_dir: Path, path: str) -> ParsedPage:
    page = ParsedPage(path)
    parser = _PageParser(page)
    parser.feed(page_file(site_dir, path).read_text(encoding="utf-8"))
    parser.close()
    return page


def parse_site(site_dir: Path) -> dict[str, ParsedPage]:
    return {path: parse_page(site_dir, path) for path in site_pages(site_dir)}
