"""Stage 4 of the pipeline: the search index, built from the pages the site engine wrote.

A tenant searches on a phone, often on a poor connection: a query must download a few kilobytes,
not the whole site's text (the theme's own index: 273 kB compressed at 1,000 organisations). The
index is cut in small static files that the search page (assets/javascripts/recherche.js) fetches
for the words typed:

- `recherche/termes/XYZ.json`: every indexed word that starts with XYZ, with the pages and sections
  that hold it and a precomputed score (a query fetches one such file per word);
- `recherche/pages/N.json`: page N's title, address and the readable text of each of its sections,
  from which the excerpt is chosen (a query fetches one per result shown).

Built from the HTML, not from the Markdown or from an engine plugin, so that any site engine will do.
The readers' own words (content/recherche.yml: « huissier » for « commissaire de justice ») are filed
with the words the pages use, so that a query still fetches one file per word.
Excerpts come from prose only (paragraphs, lists): a table's cells are searched but never shown run
together ("Étape Quoi Quand Qui 1…"). The same word rules run in the browser (`search_terms`, mirrored
by recherche.js; the stop words reach it through the search page).
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup, Comment, NavigableString, Tag


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


SEARCH_FOLDER = "recherche"  # the search page and its index files
NOT_SEARCHED = (f"{SEARCH_FOLDER}/", "plan-du-site/")  # lists of every title: a result there would say nothing
TERMS_FOLDER = "termes"
PAGES_FOLDER = "pages"
# Words too common to tell pages apart. The search page hands the same list to the browser.
STOP_WORDS = words(
    "au aux avec ce ces cet cette dans de des du elle en est et il ils je la le les leur leurs lui ma mais me mes "
    "mon ne nous on ou par pas pour qu que qui sa se ses si son sont sur ta te tes ton tu un une vos votre vous y"
)
SECTION_HEADINGS = ("h2", "h3")
# A word of the page's title, or of a section's heading, adds this much to the section's score (a word's
# count in a text saturates: ten mentions in a long page must not outrank the page whose title it is).
TITLE_BONUS = 3.0
HEADING_BONUS = 1.0
# Who each part of the site is written for, said under each result. Tenant pages come before the
# professionals' and the landlords' pages that share their words (the same stage, the same scheme).
TENANTS = "Pour les locataires"
AUDIENCES = (
    ("professionnels/", "Pour les professionnels", 0.6),
    ("bailleurs/", "Pour les propriétaires bailleurs", 0.6),
    ("etapes/", TENANTS, 1.0),
    ("motifs/", TENANTS, 1.0),
    ("pres-de-chez-moi/", TENANTS, 1.0),
)
EVERYONE = "Pour tous"  # the documents, the accessibility statement, the legal notice…
BLOCK_TAGS = words(
    "address article aside blockquote caption dd details div dl dt figcaption figure footer header li ol p pre "
    "section summary table tbody td tfoot th thead tr ul"
)
SKIPPED_TAGS = words("script style template noscript nav form button input select textarea svg")
SKIPPED_ATTRIBUTES = ("data-search-exclude", "data-needs-javascript", "hidden")
SECTION_TEXT_LIMIT = 900  # characters of readable text kept per section, to choose an excerpt from
SCORE_SCALE = 10  # scores are stored as integers: tenths
BM25_K1, BM25_B = 1.2, 0.5


@dataclass
class Section:
    """A part of a page, from one h2 or h3 to the next: what a result points at."""

    heading: str
    anchor: str
    prose: list[str] = field(default_factory=list)  # paragraphs and list items, as read
    words: list[str] = field(default_factory=list)  # every term, heading and tables included
    bonus: float = HEADING_BONUS  # what a term of the heading adds: TITLE_BONUS for the page's opening

    def readable_text(self, limit: int = SECTION_TEXT_LIMIT) -> str:
        """The section's prose, one block a line, cut at a word before `limit` characters: the excerpt is
        chosen from it, and a block without a full stop (a label, a button) stays a sentence of its own."""
        text = "\n".join(self.prose)
        if len(text) <= limit:
            return text
        return text[:limit].rsplit(" ", 1)[0] + " …"


# A word readers type → the phrases of the pages that answer it, each as its terms.
Synonyms = dict[str, list[list[str]]]


@dataclass
class SearchPage:
    url: str  # relative to the site root: "" (home), "etapes/jugement/"
    title: str
    sections: list[Section]


# ------------------------------------------------------------------ words


def fold(text: str) -> str:
    """Lower case without accents: « Trêve » and « treve » are the same word for a reader typing fast."""
    text = unicodedata.normalize("NFD", text.lower().replace("œ", "oe").replace("æ", "ae"))
    return "".join(c for c in text if not unicodedata.category(c).startswith("M"))


def stem(word: str) -> str:
    """A plural and its singular are one word (« délais », « délai »); nothing subtler, the browser does the same."""
    return word[:-1] if len(word) > 3 and word[-1] in "sx" else word


def search_terms(text: str) -> list[str]:
    """The words of `text` as the index stores them: folded, split at apostrophes, stop words out."""
    words = re.findall(r"[^\W_]+", fold(text))
    return [stem(w) for w in words if len(w) > 1 and w not in STOP_WORDS]


def synonym_terms(synonyms: dict[str, list[str]] | None) -> Synonyms:
    """The synonyms of content/recherche.yml as terms: « Huissiers » → « huissier », its phrases cut the same way."""
    terms: Synonyms = {}
    for word, phrases in (synonyms or {}).items():
        for key in search_terms(word)[:1]:
            terms.setdefault(key, []).extend(t for t in map(search_terms, phrases) if t)
    return terms


def synonym_marks(synonyms: Synonyms) -> str:
    """What the search page hands the browser to mark the words that answered a query:
    « huissier:commissaire,justice ». Terms hold letters and digits only: safe in an HTML attribute."""
    entries = (f"{word}:{','.join(dict.fromkeys(t for p in phrases for t in p))}" for word, phrases in synonyms.items())
    return " ".join(entries)


def phrase_count(terms: list[str], phrase: list[str]) -> int:
    first, size = phrase[0], len(phrase)
    return sum(1 for i, term in enumerate(terms) if term == first and terms[i : i + size] == phrase)


def with_synonyms(terms: list[str], synonyms: Synonyms) -> list[str]:
    """`terms`, and a reader's word once more for each phrase of the page that answers it."""
    extra = [word for word, phrases in synonyms.items() for p in phrases for _ in range(phrase_count(terms, p))]
    return terms + extra


def shard_name(term: str) -> str:
    """The file that holds `term`: its first three letters (two for a two-letter word), hex if not a-z0-9."""
    prefix = term[:3]
    return prefix if re.fullmatch(r"[a-z0-9]+", prefix) else "u" + prefix.encode("utf-8").hex()


# ------------------------------------------------------------------ reading the pages


def squash(text: str) -> str:
    return " ".join(text.split())


def is_skipped(tag: Tag) -> bool:
    return (
        tag.name in SKIPPED_TAGS
        or any(tag.has_attr(a) for a in SKIPPED_ATTRIBUTES)
        or "headerlink" in (tag.get("class") or [])
    )


class _PageReader:
    """Walks a page's article in reading order, cutting it into sections of prose and table text."""

    def __init__(self, title: str) -> None:
        self.sections = [Section(title, "", words=search_terms(title), bonus=TITLE_BONUS)]
        self.buffer: list[str] = []

    def flush(self, in_table: bool) -> None:
        text = squash("".join(self.buffer))
        self.buffer.clear()
        if not text:
            return
        section = self.sections[-1]
        section.words += search_terms(text)
        if not in_table:
            section.prose.append(text)

    def walk(self, node: Tag, in_table: bool = False) -> None:
        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                self.buffer.append(str(child))
            elif isinstance(child, Tag) and not is_skipped(child):
                self.visit(child, in_table)

    def visit(self, tag: Tag, in_table: bool) -> None:
        if tag.name == "h1":
            return  # the title, already counted
        if tag.name in SECTION_HEADINGS:
            self.flush(in_table)
            heading = squash(tag.get_text(" "))
            self.sections.append(Section(heading, str(tag.get("id") or ""), words=search_terms(heading)))
            return
        if tag.name in BLOCK_TAGS or tag.name.startswith("h"):
            self.flush(in_table)
            self.walk(tag, in_table or tag.name == "table")
            self.flush(in_table or tag.name == "table")
        else:
            self.walk(tag, in_table)


def read_page(html: str, url: str) -> SearchPage | None:
    """The title and sections of one built page; None for a page without an article (redirects)."""
    start, end = html.find("<article"), html.rfind("</article>")
    if start < 0 or end < start:
        return None
    # Only the article is read: the menu and the footer, two thirds of a page, would slow the parser down.
    article = BeautifulSoup(html[start : end + len("</article>")], "html.parser").find("article")
    h1 = article.find("h1") if isinstance(article, Tag) else None
    if not isinstance(article, Tag) or not isinstance(h1, Tag):
        return None
    reader = _PageReader(squash(h1.get_text(" ")))
    reader.walk(article)
    reader.flush(False)
    sections = [s for s in reader.sections if s.words or s.prose]
    return SearchPage(url, reader.sections[0].heading, sections)


def site_pages(site_dir: Path) -> list[SearchPage]:
    """Every page of the built site a reader may look for, tenants' pages first."""
    pages = []
    for path in sorted(site_dir.rglob("index.html")):
        url = path.parent.relative_to(site_dir).as_posix()
        url = "" if url == "." else url + "/"
        if url in NOT_SEARCHED:
            continue
        page = read_page(path.read_text(encoding="utf-8"), url)
        if page:
            pages.append(page)
    return sorted(pages, key=lambda p: (audience_weight(p.url) < 1, p.url))


def audience(url: str) -> tuple[str, float]:
    """Who the page at `url` is written for, and the weight of its words: the home page is the tenants'."""
    if url == "":
        return TENANTS, 1.0
    return next(((label, weight) for prefix, label, weight in AUDIENCES if url.startswith(prefix)), (EVERYONE, 1.0))


def audience_weight(url: str) -> float:
    return audience(url)[1]


# ------------------------------------------------------------------ the index


def page_scores(flat: list[int]) -> dict[int, float]:
    """Each page's score for one term, as recherche.js adds it up: its best section, a quarter of the others."""
    sections: dict[int, list[int]] = defaultdict(list)
    for k in range(0, len(flat), 3):
        sections[flat[k]].append(flat[k + 2])
    return {p: max(v) + 0.25 * (sum(v) - max(v)) for p, v in sections.items()}


def put_first(postings: dict[str, list[int]], pages: list[SearchPage], first: dict[str, str]) -> None:
    """The page an editor chose for a word (content/recherche.yml, `first`) comes before every other page
    holding that word: its section that says the word best (else its opening) gets a score above the best
    page's, so that the result still shows the sentence with the word."""
    number = {page.url: p for p, page in enumerate(pages)}
    for word, address in first.items():
        p = number.get(address.strip("/") + "/" if address.strip("/") else "")
        for term in search_terms(word)[:1]:
            if p is None:
                continue
            flat = postings.get(term, [])
            triples = [flat[k : k + 3] for k in range(0, len(flat), 3)]
            own = [t for t in triples if t[0] == p]
            section = max(own, key=lambda t: t[2])[1] if own else 0
            top = max(page_scores(flat).values(), default=0)
            triples = [t for t in triples if t[:2] != [p, section]] + [[p, section, math.ceil(top) + SCORE_SCALE]]
            postings[term] = [n for triple in sorted(triples) for n in triple]


def term_postings(pages: list[SearchPage], synonyms: Synonyms | None = None) -> dict[str, list[int]]:
    """For every term, flat [page, section, score, …] triples, scores in tenths: BM25 over sections, plus a
    bonus where the term is in the page's title or the section's heading, times the page's audience weight.
    A phrase of `synonyms` counts as its reader's word, in the text and in the heading alike."""
    synonyms = synonyms or {}
    counts: dict[str, dict[tuple[int, int], int]] = defaultdict(lambda: defaultdict(int))
    lengths: dict[tuple[int, int], int] = {}
    bonuses: dict[tuple[int, int], tuple[set[str], float]] = {}
    for p, page in enumerate(pages):
        for s, section in enumerate(page.sections):
            lengths[p, s] = len(section.words)
            bonuses[p, s] = (set(with_synonyms(search_terms(section.heading), synonyms)), section.bonus)
            for term in with_synonyms(section.words, synonyms):
                counts[term][p, s] += 1
    average = sum(lengths.values()) / max(len(lengths), 1)
    postings: dict[str, list[int]] = {}
    for term, places in sorted(counts.items()):
        pages_with_term = len({p for p, _ in places})
        idf = math.log(1 + (len(pages) - pages_with_term + 0.5) / (pages_with_term + 0.5))
        flat: list[int] = []
        for (p, s), count in sorted(places.items()):
            norm = count * (BM25_K1 + 1) / (count + BM25_K1 * (1 - BM25_B + BM25_B * lengths[p, s] / average))
            heading_terms, bonus = bonuses[p, s]
            score = idf * (norm + (bonus if term in heading_terms else 0)) * audience_weight(pages[p].url)
            flat += [p, s, max(1, round(score * SCORE_SCALE))]
        postings[term] = flat
    return postings


def page_record(page: SearchPage) -> dict[str, object]:
    """What a result shows: the title, the address, each section's heading, anchor and readable text."""
    return {
        "t": page.title,
        "u": page.url,
        "p": audience(page.url)[0],
        "s": [[s.heading, s.anchor, s.readable_text()] for s in page.sections],
    }


def write_search_index(
    site_dir: Path, synonyms: dict[str, list[str]] | None = None, first: dict[str, str] | None = None
) -> int:
    """Write the index files into the built site; return how many pages they cover. `synonyms` and `first`:
    the readers' words of content/recherche.yml, and the page each of some words leads to first."""
    pages = site_pages(site_dir)
    folder = site_dir / SEARCH_FOLDER
    shards: dict[str, dict[str, list[int]]] = defaultdict(dict)
    postings = term_postings(pages, synonym_terms(synonyms))
    put_first(postings, pages, first or {})
    for term, flat in postings.items():
        shards[shard_name(term)][term] = flat
    for name, terms in shards.items():
        write_json(folder / TERMS_FOLDER / f"{name}.json", terms)
    for number, page in enumerate(pages):
        write_json(folder / PAGES_FOLDER / f"{number}.json", page_record(page))
    return len(pages)


def write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
