"""Stage 2 of the pipeline: turn the sources into Markdown pages.

One context function per kind of page; templates only lay the context out.
The output is a list of `Page`s and the navigation, nothing is written here.
"""

from __future__ import annotations

import json
import posixpath
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import schema
from .campaign.state import campaign_state
from .delays import calculator_years, counted_deadlines, lease_condition, public_holidays, without_script_sentences
from .errors import BuildFailed, SourceErrors, SourceProblem
from .figures import partner_tables
from .freshness import thresholds
from .load import Sources
from .opendata import organisation_jsonld
from .relations import (
    HOME_PAGE,
    NEAR_ME_PAGE,
    call_lines,
    is_published,
    organisation_backlinks,
    organisations_serving,
    routes_to,
)
from .search import STOP_WORDS, synonym_marks, synonym_terms
from .text import (
    TermsExplained,
    capitalize_first,
    engine_text,
    first_sentence,
    french_date,
    inline,
    inline_explained,
    markdown_for_page,
    page_url,
    relative_url,
)

TEMPLATES = Path(__file__).parent / "templates" / "site"


@dataclass(frozen=True)
class Page:
    path: str  # relative to the docs folder, e.g. "etapes/jugement.md"
    title: str
    markdown: str


@dataclass(frozen=True)
class RoleLine:
    """Organisations without a confirmed contact that do the same thing: one line on a tenant page."""

    role: str
    organisations: list[schema.Organisation]


@dataclass(frozen=True)
class HelpCard:
    """An organisation with the confirmed contacts the page has not given yet."""

    org: schema.Organisation
    contacts: list[schema.Contact]


@dataclass(frozen=True)
class HelpGroups:
    cards: list[HelpCard]  # with confirmed contacts, shown with them
    lines: list[RoleLine]  # without: their role and a link to their page


# ------------------------------------------------------------------ where each page lives


class Paths:
    """The one place that decides every page's address."""

    home = "index.md"
    stages = "etapes/index.md"
    grounds = "motifs/index.md"
    near_me = "pres-de-chez-moi/index.md"
    landlords = "bailleurs/index.md"
    professionals = "professionnels/index.md"
    schemes = "professionnels/dispositifs/index.md"
    directory = "professionnels/annuaire/index.md"
    directory_update = "professionnels/mise-a-jour-annuaire.md"
    actions = "professionnels/charte/index.md"
    indicators = "professionnels/indicateurs.md"
    references = "professionnels/textes.md"
    acronyms = "professionnels/sigles.md"
    documents = "documents/index.md"  # the PDFs sit beside it, in documents/
    search = "recherche/index.md"  # its index files are written beside it, after the engine (search.py)
    sitemap = "plan-du-site/index.md"  # every page, generated (the State footer's « Plan du site »)

    @staticmethod
    def stage(stage_id: str) -> str:
        return f"etapes/{stage_id}.md"

    @staticmethod
    def ground(ground_id: str) -> str:
        return f"motifs/{ground_id}.md"

    @staticmethod
    def area(number: int) -> str:
        return f"pres-de-chez-moi/{number}.md"

    @staticmethod
    def landlord_chapter(page_id: str) -> str:
        return f"bailleurs/{page_id}.md"

    @staticmethod
    def guide_page(page_id: str) -> str:
        return f"{page_id}.md"

    @staticmethod
    def pro_stage(stage_id: str) -> str:
        return f"professionnels/etapes/{stage_id}.md"

    @staticmethod
    def scheme(scheme_id: str) -> str:
        return f"professionnels/dispositifs/{scheme_id}.md"

    @staticmethod
    def organisation(org_id: str) -> str:
        return f"professionnels/annuaire/{org_id}.md"

    @staticmethod
    def action(number: int) -> str:
        return f"professionnels/charte/action-{number:02d}.md"


def relative_link(from_page: str, to_page: str) -> str:
    return posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")


# ------------------------------------------------------------------ rendering


@jinja2.pass_context
def _markdown_filter(context: jinja2.runtime.Context, text: str | None) -> str:
    """Source Markdown as inert HTML; links to site paths made relative to the page being rendered."""
    return markdown_for_page(text, context["page_path"], context["site_links"], context.get("explained"))


@jinja2.pass_context
def _term_inline_filter(context: jinja2.runtime.Context, text: str | None) -> Markup:
    """A plain-text label (a deadline) on one line; on a tenant page, its glossary words explained at first use."""
    return inline_explained(text, context.get("explained"))


def with_title(markdown: str, title: str) -> str:
    """Give the page its title in its front matter, as the engine expects it: HTML-escaped text.

    Without it the engine takes the first heading and un-escapes it on the way to `<title>`.
    """
    line = f"title: {json.dumps(engine_text(title), ensure_ascii=True)}\n"
    if markdown.startswith("---\n"):
        return "---\n" + line + markdown[4:]
    return f"---\n{line}---\n{markdown}"


def template_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # output is Markdown: the `md` and `inline` filters make source text inert
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        md=_markdown_filter,
        inline=inline,
        term_inline=_term_inline_filter,
        date=french_date,
        capitalize_first=capitalize_first,
        first_sentence=first_sentence,
    )
    env.globals.update(
        paths=Paths,
        counted_deadlines=counted_deadlines,
        lease_condition=lease_condition,
        without_script_sentences=without_script_sentences,
        who_note_beyond=who_note_beyond,
    )
    return env


class Renderer:
    """Renders pages that share the sources, the environment and the draft mode."""

    def __init__(
        self, sources: Sources, preview: bool, documents: Sequence[Any] = (), data_files: Sequence[Any] = ()
    ) -> None:
        self.sources = sources
        self.preview = preview
        self.documents = list(documents)  # printing.PrintedDocument, once the PDFs are written
        self.data_files = list(data_files)  # opendata.DataFile, the /donnees/ files
        self.env = template_environment()
        self.backlinks = organisation_backlinks(sources)
        self.hotlines = [sources.organisations[i] for i in sources.territory.hotlines]
        self.recheck_before = thresholds(sources).recheck_before
        # The calculator's holidays: every year a reader of a page built today may count into (delays.py).
        self.delay_holidays = public_holidays(sources.territory.public_holidays, calculator_years(sources.as_of))
        self.site_links: list[tuple[str, str]] = []  # (page, /path/) written in source Markdown
        self.terms = [t.as_term() for t in sources.glossary.terms] if sources.glossary else []

    def tenant_page(self, path: str, template: str, title: str, **context: Any) -> Page:
        """A page for tenants: each glossary word is explained at its first use on the page."""
        return self.page(path, template, title, explained=TermsExplained(self.terms).said_in(title), **context)

    def page(self, path: str, template: str, title: str, **context: Any) -> Page:
        def link(target: str) -> str:
            return relative_link(path, target)

        def url(target: str) -> str:
            """The served address of a page, for links in raw HTML, which the engine does not rewrite."""
            return relative_url(path, "/" + page_url(target))

        source = context.get("source")
        draft = source is not None and not is_published(source)
        site_links: list[str] = []
        text = self.env.get_template(template).render(
            title=title,
            link=link,
            url=url,
            page_path=path,
            site_links=site_links,
            territory=self.sources.territory,
            dsfr=self.sources.edition is schema.Edition.etat,  # the State edition's DSFR components
            hotlines=self.hotlines,
            organisations=self.sources.organisations,
            references=self.sources.references,
            schemes=self.sources.schemes,
            stage_count=len(self.sources.stages),
            has_landlord_guide=bool(self.sources.landlord_guide),
            draft=draft and self.preview,
            recheck_before=self.recheck_before,
            routes=self.routes,
            delay_holidays=self.delay_holidays,
            editor_notes=source.editor_notes if self.preview and source is not None else None,
            **context,
        )
        self.site_links += [(path, href) for href in site_links]
        return Page(path, title, with_title(text, title))

    def routes(self, org: schema.Organisation) -> list[schema.Organisation]:
        """The confirmed lines that reach an organisation without a contact of its own (ADIL: SOS Loyers impayés)."""
        return routes_to(self.sources, org)

    def orgs(self, ids: list[str]) -> list[schema.Organisation]:
        return [self.sources.organisations[i] for i in ids]

    def call_lines(
        self, helper_ids: list[str], every_hotline: bool = False, limit: int = 2
    ) -> list[schema.Organisation]:
        """The lines to call first on a tenant page (relations.call_lines: the leaflets print the same)."""
        return call_lines(self.sources, helper_ids, every_hotline, limit)

    def help_groups(self, helper_ids: list[str], call_lines: list[schema.Organisation]) -> HelpGroups:
        """« Qui peut vous aider ? » on a tenant page, each organisation and each contact once: those with
        confirmed contacts first (without the phone a call button already gives), then those without, one
        line per role (the four MJD share theirs)."""
        called = {o.id for o in call_lines}
        cards: list[HelpCard] = []
        by_role: dict[str, list[schema.Organisation]] = {}
        for org in self.orgs(helper_ids):
            if not org.public_contacts:
                if self.routes(org):
                    cards.append(HelpCard(org, []))
                    continue
                by_role.setdefault(first_sentence(org.role), []).append(org)
                continue
            contacts = [c for c in org.public_contacts if not (org.id in called and c.kind.value == "phone")]
            if contacts:
                cards.append(HelpCard(org, contacts))
        return HelpGroups(cards, [RoleLine(role, orgs) for role, orgs in by_role.items()])

    def visible_schemes(self, ids: list[str]) -> list[schema.Scheme]:
        return [self.sources.schemes[i] for i in ids if i in self.sources.schemes]

    def scheme_lines(self, ids: list[str], landlord: bool = False) -> list[tuple[schema.Scheme, str]]:
        """The schemes a page cites, each with the sentence for its reader: the landlord guide speaks to the
        landlord (`landlord_summary`, required there by crossrefs), never « votre logement »."""
        return [(s, (s.landlord_summary or s.summary) if landlord else s.summary) for s in self.visible_schemes(ids)]

    def leaflets(self, ground: str | None = None) -> list[Any]:
        """The leaflets a page offers to print: the single leaflet (ground None) or the ground's own."""
        return [d for d in self.documents if d.is_leaflet and not d.print_shop and d.ground == ground]


def tenant_help(r: Renderer, helper_ids: list[str], call_lines: list[schema.Organisation]) -> dict[str, Any]:
    """The call buttons and « Qui peut vous aider ? » of a tenant page, from the same list of helpers."""
    return {"call_lines": call_lines, "help": r.help_groups(helper_ids, call_lines)}


def public_pages(r: Renderer) -> Iterator[Page]:
    s = r.sources
    home = s.pages[HOME_PAGE]  # relations.require_home_page ran before rendering
    yield r.tenant_page(Paths.home, "home.md.j2", home.title, source=home, stages=s.stages, grounds=s.grounds)
    yield r.tenant_page(Paths.stages, "stages.md.j2", "La procédure, étape par étape", stages=s.stages)
    for stage in s.stages:
        yield r.tenant_page(
            Paths.stage(stage.id),
            "stage.md.j2",
            stage.title,
            source=stage,
            stage=stage,
            stages=s.stages,
            **tenant_help(r, stage.who_can_help, r.call_lines(stage.who_can_help, every_hotline=True)),
            leaflets=r.leaflets(),
        )
    yield r.tenant_page(Paths.grounds, "grounds.md.j2", "Selon le motif de l'expulsion", grounds=s.grounds)
    for ground in s.grounds:
        yield r.tenant_page(
            Paths.ground(ground.id),
            "ground.md.j2",
            ground.title,
            source=ground,
            ground=ground,
            **tenant_help(r, ground.who_can_help, r.call_lines(ground.who_can_help)),
            ground_stages=[st for st in s.stages if st.id in ground.stages],
            leaflets=r.leaflets(ground.id),
        )
    near_me = s.pages.get(NEAR_ME_PAGE)
    yield r.tenant_page(
        Paths.near_me,
        "near_me.md.j2",
        near_me.title if near_me else "Qui peut m'aider près de chez moi ?",
        source=near_me,
        intro=near_me,
        areas=s.territory.areas,
    )
    for area in s.territory.areas:
        yield r.tenant_page(
            Paths.area(area.number),
            "area.md.j2",
            f"Qui peut m'aider dans le {area.name} ?",
            area=area,
            groups=organisations_serving(s, area.number),
            areas_by_number={a.number: a for a in s.territory.areas},
        )
    if s.landlord_guide:
        yield r.page(
            Paths.landlords,
            "landlords.md.j2",
            "Guide des propriétaires bailleurs",
            chapters=s.landlord_guide,
            checklists=[c.checklist for c in s.landlord_guide if c.checklist][:1],
        )
        for chapter in s.landlord_guide:
            yield r.page(
                Paths.landlord_chapter(chapter.id),
                "guide_page.md.j2",
                chapter.title,
                source=chapter,
                page=chapter,
                helpers=r.orgs(chapter.who_can_help),
                page_schemes=r.scheme_lines(chapter.schemes, landlord=True),
            )
    for page in other_guide_pages(s):
        yield r.page(
            Paths.guide_page(page.id),
            "guide_page.md.j2",
            page.title,
            source=page,
            page=page,
            helpers=r.orgs(page.who_can_help),
            page_schemes=r.scheme_lines(page.schemes),
        )


def referentiel_pages(r: Renderer) -> Iterator[Page]:
    s = r.sources
    yield r.page(
        Paths.professionals,
        "pro_home.md.j2",
        "Référentiel pour les professionnels",
        stages=s.stages,
        actions=s.actions,
        has_acronyms=bool(s.glossary and s.glossary.acronyms),
        referentiel_documents=[
            d for d in r.documents if d.layout == schema.FlyerLayout.referentiel.value and not d.print_shop
        ],
    )
    for stage in s.stages:
        yield r.page(
            Paths.pro_stage(stage.id),
            "pro_stage.md.j2",
            f"Étape {stage.order} : {stage.title}",
            source=stage,
            stage=stage,
            stage_schemes=r.visible_schemes(stage.schemes),
        )
    yield r.page(Paths.schemes, "schemes.md.j2", "Les dispositifs", scheme_list=list(s.schemes.values()))
    for scheme in s.schemes.values():
        yield r.page(
            Paths.scheme(scheme.id),
            "scheme.md.j2",
            scheme.name,
            source=scheme,
            scheme=scheme,
            used_at=[st for st in s.stages if scheme.id in st.schemes],
            operators=r.orgs(scheme.operated_by),
        )
    orgs = list(s.organisations.values())  # in alphabetical order since loading
    yield r.page(Paths.directory, "directory.md.j2", "Annuaire des acteurs", orgs=orgs)
    state = campaign_state(s)
    if state is not None:
        yield r.page(Paths.directory_update, "directory_update.md.j2", state.headline, state=state)
    for org in orgs:
        yield r.page(
            Paths.organisation(org.id),
            "organisation.md.j2",
            org.name,
            org=org,
            back=r.backlinks[org.id],
            areas_by_number={a.number: a for a in s.territory.areas},
            jsonld=organisation_jsonld(s, org),
        )
    yield r.page(Paths.actions, "actions.md.j2", f"Les {len(s.actions)} actions de la charte", actions=s.actions)
    for action in s.actions:
        yield r.page(
            Paths.action(action.number), "action.md.j2", f"Action {action.number} : {action.title}", action=action
        )
    yield r.page(
        Paths.indicators,
        "indicators.md.j2",
        "Les indicateurs de suivi",
        indicators=s.indicators,
        tables=partner_tables(s),
        years=[year.year for year in s.figures],
    )
    yield r.page(Paths.references, "references.md.j2", "Les textes de référence")
    if s.glossary and s.glossary.acronyms:
        yield r.page(
            Paths.acronyms, "acronyms.md.j2", "Les sigles", acronyms=s.glossary.acronyms, intro=s.glossary.intro
        )


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold().strip()


def who_note_beyond(who: list[str], note: str | None, organisations: dict[str, schema.Organisation]) -> str:
    """The part of the charter's "who" note that names no one already linked, so that each "Qui" shows once.

    « DRIHL, Département de Paris et partenaires de la charte » beside the DRIHL and the Département
    linked gives « partenaires de la charte ».
    """
    if not note:
        return ""
    names = [_folded(n) for o in who for n in (organisations[o].name, organisations[o].display_name)]

    def named(part: str) -> bool:
        return any(name == _folded(part) or name.startswith(_folded(part) + " ") for name in names)

    pieces = re.split(r"(,\s*|\s+et\s+)", note)  # names at even indexes, the separators between them
    kept = [i for i in range(0, len(pieces), 2) if not named(pieces[i])]
    return "".join(pieces[i] + (pieces[i + 1] if i + 1 < len(pieces) and i != kept[-1] else "") for i in kept)


def other_guide_pages(sources: Sources) -> list[schema.GuidePage]:
    """content/pages/ except the two whose words the home and near-me pages take."""
    pages = sorted(sources.pages.values(), key=lambda p: p.order)
    return [p for p in pages if p.id not in (HOME_PAGE, NEAR_ME_PAGE)]


def document_pages(r: Renderer) -> Iterator[Page]:
    if r.documents or r.data_files:
        yield r.page(
            Paths.documents, "documents.md.j2", "Documents à imprimer", documents=r.documents, data_files=r.data_files
        )


def search_pages(r: Renderer) -> Iterator[Page]:
    """The search page; without JavaScript it lists every page of the menu instead."""
    menu = navigation(r.sources, [*r.documents, *r.data_files])
    words = r.sources.search_words
    yield r.page(
        Paths.search,
        "search.md.j2",
        "Rechercher",
        menu=menu_entries(menu),
        stop_words=sorted(STOP_WORDS),
        synonyms=synonym_marks(synonym_terms(words.synonyms if words else None)),
    )


PAGE_GROUPS: list[Callable[[Renderer], Iterator[Page]]] = [
    public_pages,
    referentiel_pages,
    document_pages,
    search_pages,
]


SITEMAP_TITLE = "Plan du site"


def sitemap_page(r: Renderer, pages: list[Page]) -> Page:
    """Every page of the site: the menu, then the pages it does not name (organisations, charter actions…),
    under the page of their folder. Written last, from the pages themselves, so none can be forgotten."""
    menu = menu_entries(navigation(r.sources, [*r.documents, *r.data_files]))
    in_menu = {target for _, _, target in menu if target} | {Paths.sitemap}
    titles = {page.path: page.title for page in pages}
    groups: dict[str, list[Page]] = {}
    for page in pages:
        if page.path not in in_menu:
            folder = posixpath.dirname(page.path)
            groups.setdefault(folder, []).append(page)
    others = [
        (titles.get(f"{folder}/index.md", folder) if folder else "Autres pages", sorted(items, key=lambda p: p.path))
        for folder, items in sorted(groups.items())
    ]
    return r.page(Paths.sitemap, "sitemap.md.j2", SITEMAP_TITLE, menu=menu, others=others)


def render_pages(
    sources: Sources, preview: bool = False, documents: Sequence[Any] = (), data_files: Sequence[Any] = ()
) -> list[Page]:
    renderer = Renderer(sources, preview, documents, data_files)
    pages = [page for group in PAGE_GROUPS for page in group(renderer)]
    pages.append(sitemap_page(renderer, pages))
    require_site_links_exist(renderer.site_links, pages)
    require_first_search_pages_exist(sources, pages)
    return pages


def require_first_search_pages_exist(sources: Sources, pages: list[Page]) -> None:
    """The page content/recherche.yml puts first for a word must be a page the site builds."""
    words = sources.search_words
    if not words:
        return
    served = {"/" + page_url(page.path) for page in pages}
    origin = sources.origin(words)
    problems = [
        SourceProblem(
            origin.file,
            origin.line_of(("first", word)),
            f"first.{word}",
            f"« {address} » n'est pas une page publiée du site ; attendu : l'adresse d'une page, "
            "comme /etapes/commandement-de-payer/",
        )
        for word, address in words.first.items()
        if address not in served
    ]
    if problems:
        raise SourceErrors(problems)


def require_site_links_exist(site_links: list[tuple[str, str]], pages: list[Page]) -> None:
    """A link written in a source to a page of the site (/etapes/jugement/) must lead to a page that is built."""
    served = {"/" + page_url(page.path) for page in pages}
    broken = sorted({(page, href) for page, href in site_links if href.partition("#")[0] not in served})
    if broken:
        raise BuildFailed(
            "\n".join(
                f"page {page} : le lien « {href} » mène à une page qui n'existe pas sur le site "
                "(une page brouillon n'est pas publiée) ; corrigez le lien dans la source de cette page"
                for page, href in broken
            )
        )


# ------------------------------------------------------------------ navigation


def menu_entries(nav: list[Any], depth: int = 0) -> list[tuple[int, str, str | None]]:
    """The menu as (depth, title, page or None) lines; a section whose first item is a page links to it."""
    entries: list[tuple[int, str, str | None]] = []
    for item in nav:
        for title, target in item.items():
            if isinstance(target, str):
                entries.append((depth, title, target))
                continue
            index = target[0] if target and isinstance(target[0], str) else None
            entries.append((depth, title, index))
            entries += menu_entries(target[1:] if index else target, depth + 1)
    return entries


def navigation(sources: Sources, documents: Sequence[Any] = ()) -> list[Any]:
    """The site menu: sections a tenant, a landlord and a professional look for."""
    s = sources
    about = [{p.title: Paths.guide_page(p.id)} for p in other_guide_pages(s)]
    nav: list[Any] = [
        {"Accueil": Paths.home},
        {"La procédure, étape par étape": [Paths.stages, *[{st.title: Paths.stage(st.id)} for st in s.stages]]},
        {"Selon le motif": [Paths.grounds, *[{g.title: Paths.ground(g.id)} for g in s.grounds]]},
        {"Près de chez moi": Paths.near_me},
    ]
    if s.landlord_guide:
        nav.append(
            {"Propriétaires": [Paths.landlords, *[{c.title: Paths.landlord_chapter(c.id)} for c in s.landlord_guide]]}
        )
    nav.append(
        {
            "Professionnels": [
                Paths.professionals,
                {"Étapes et dispositifs": [{f"{st.order}. {st.title}": Paths.pro_stage(st.id)} for st in s.stages]},
                {"Dispositifs": Paths.schemes},
                {"Annuaire": Paths.directory},
                *([{"Mise à jour de l'annuaire": Paths.directory_update}] if s.campaigns else []),
                {f"Charte : les {len(s.actions)} actions": Paths.actions},
                {"Indicateurs": Paths.indicators},
                {"Textes de référence": Paths.references},
                *([{"Sigles": Paths.acronyms}] if s.glossary and s.glossary.acronyms else []),
            ]
        }
    )
    if documents:
        nav.append({"Documents à imprimer": Paths.documents})
    nav.append({"À propos": [*about, {SITEMAP_TITLE: Paths.sitemap}]})
    return nav
