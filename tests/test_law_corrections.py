"""The legal read of 2 December 2026: each corrected fact is on the page a reader needs it on, and the
wording that could harm a tenant or a landlord is nowhere, neither on the pages nor in the printed documents.

The real sources are built once, as of 15 December 2026 (the 2026 CAF rule in force, the 2027 one announced);
the 2027 wording is read from the pages rendered as of 15 January 2027, without a second build."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pypdf
import pytest

from evictionportal.build import build_site
from evictionportal.load import Sources, load_sources
from evictionportal.pages import render_pages
from evictionportal.relations import visible_sources
from tests.conftest import ROOT

DECEMBER = dt.date(2026, 12, 15)
JANUARY = dt.date(2027, 1, 15)
# The printed documents whose text is read back: the leaflets, the landlord guide, the two model letters (the
# référentiel PDF repeats the professional pages, which are read as pages; reading its 54 pages would triple the time).
DOCUMENTS = (
    "depliant-prevention-a4.pdf",
    "depliant-impayes-a4.pdf",
    "depliant-conge-vente-reprise-a4.pdf",
    "depliant-troubles-de-jouissance-a4.pdf",
    "depliant-occupation-sans-droit-ni-titre-a4.pdf",
    "guide-bailleurs-a4.pdf",
    "modele-courrier-menage.pdf",
    "modele-courrier-bailleur.pdf",
)
INLINE_TAGS = re.compile(r"</?(?:strong|em|b|i|a|abbr|span|code|mark)\b[^>]*>")


def plain(text: str) -> str:
    """One way of writing spaces and apostrophes, so that a phrase is found whatever the output."""
    text = text.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return " ".join(text.split())


def html_text(page: str) -> str:
    """A built page's main content as a reader sees it: inline tags vanish, block tags separate words."""
    article = page[page.index("<article") : page.index("</article>")] if "<article" in page else page
    return plain(html.unescape(re.sub(r"<[^>]+>", " ", INLINE_TAGS.sub("", article))))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("corrections") / "site"
    build_site(ROOT, target, force=True, as_of=DECEMBER)
    return target


@pytest.fixture(scope="module")
def pages(site: Path) -> dict[str, str]:
    """Every built page's text, by its address (« etapes/jugement »; « » is the home page)."""
    return {
        p.parent.relative_to(site).as_posix().removeprefix("."): html_text(p.read_text(encoding="utf-8"))
        for p in site.rglob("index.html")
    }


@pytest.fixture(scope="module")
def documents(site: Path) -> dict[str, str]:
    return {
        name: plain(" ".join(page.extract_text() for page in pypdf.PdfReader(site / "documents" / name).pages))
        for name in DOCUMENTS
    }


@pytest.fixture(scope="module")
def everything(pages: dict[str, str], documents: dict[str, str]) -> dict[str, str]:
    return {**pages, **{f"documents/{name}": text for name, text in documents.items()}}


@pytest.fixture(scope="module")
def january() -> dict[str, str]:
    """The pages' Markdown as a build of 15 January 2027 hands them to the site engine."""
    sources = load_sources(ROOT, JANUARY)
    return {
        p.path.removesuffix(".md"): plain(INLINE_TAGS.sub("", p.markdown).replace("**", ""))
        for p in render_pages(visible_sources(sources, False), preview=False)
    }


@pytest.fixture(scope="module")
def sources() -> Sources:
    return load_sources(ROOT, DECEMBER)


def nowhere(everything: dict[str, str], *phrases: str) -> None:
    for phrase in phrases:
        found = [where for where, text in everything.items() if phrase.casefold() in text.casefold()]
        assert found == [], f"« {phrase} » encore sur : {', '.join(found)}"


def headline(site: Path, stage: str) -> str:
    page = (site / "etapes" / stage / "index.html").read_text(encoding="utf-8")
    return html_text(re.search(r'<p class="delai-principal">.*?</p>', page, re.S).group(0))


# ---------------------------------------- illegal eviction (Code pénal 226-4-2)


def test_law_illegal_eviction_is_an_offence_even_after_the_judgment(pages: dict[str, str], everything) -> None:
    for page in ("etapes/jugement", "etapes/commandement-de-quitter-les-lieux", "etapes/concours-force-publique"):
        text = pages[page]
        assert "3 ans de prison et de 30 000 € d'amende" in text, page
        assert re.search(r"[Mm]ême (après le jugement|avec ce commandement)", text), page
    assert "sans le concours de l'État, c'est un délit" in pages["etapes/concours-force-publique"]
    guide = pages["bailleurs/procedure-et-delais"]
    assert "Avant tout : ne faites jamais partir votre locataire vous-même" in guide
    assert "même après le jugement, vous ne pouvez pas faire partir votre locataire vous-même" in guide
    assert "3 ans de prison et de 30 000 € d'amende (code pénal, article 226-4-2)" in guide
    assert (
        "Ne faites jamais partir votre locataire vous-même, même après un jugement"
        in pages["bailleurs/premier-loyer-impaye"]
    )
    summary = pages["professionnels/textes"]
    assert "Punit de trois ans de prison et de 30 000 € d'amende l'expulsion illégale" in summary
    assert "Un jugement d'expulsion ne permet pas au propriétaire d'agir lui-même" in summary
    assert "ne faites jamais partir votre locataire" in everything["documents/guide-bailleurs-a4.pdf"].casefold()
    nowhere(everything, "sans décision de justice", "sans jugement :", "sur décision d'un juge. Si cela")


# ---------------------------------------- appeal: 15 days (référé), 1 month (judgment)


def test_law_judgment_page_leads_with_the_appeal_delay(site: Path, pages: dict[str, str], everything) -> None:
    assert (
        headline(site, "jugement")
        == "Délai Faire appel : 15 jours pour une ordonnance de référé, 1 mois pour un jugement"
    )
    text = pages["etapes/jugement"]
    assert (
        "dans les 15 jours qui suivent sa notification pour une ordonnance de référé, dans le mois pour un jugement"
        in text
    )
    assert "Son titre dit « ordonnance de référé » ou « jugement »" in text
    assert "Code de procédure civile, article 490" in text and "Code de procédure civile, article 538" in text
    pro = pages["professionnels/etapes/jugement"]
    assert (
        "15 jours pour une ordonnance de référé (CPC, art. 490)" in pro
        and "1 mois pour un jugement au fond (CPC, art. 538)" in pro
    )
    assert (
        "dans les 15 jours de sa notification pour une ordonnance de référé" in pages["bailleurs/procedure-et-delais"]
    )
    nowhere(everything, "dans le mois qui suit sa notification", "Appel dans le mois de la notification")


# ---------------------------------------- the préfet's 2 months: a maximum, never a respite


def test_law_police_stage_says_the_prefet_can_decide_at_any_time(site: Path, pages: dict[str, str], everything) -> None:
    assert headline(site, "concours-force-publique") == "Délai Le préfet peut décider à tout moment : n'attendez pas"
    text = pages["etapes/concours-force-publique"]
    assert "Mais le préfet peut décider à tout moment : n'attendez pas." in text
    assert "Il a au plus 2 mois pour répondre, mais il peut accorder la police bien avant" in text
    page = (site / "etapes/concours-force-publique/index.html").read_text(encoding="utf-8")
    assert "data-delai-calcul" not in page  # no date to count: the 2 months are not the tenant's
    assert "2 mois au plus" in pages["professionnels/etapes/concours-force-publique"]
    assert (
        "Le préfet a 2 mois au plus pour répondre. Il peut accorder le concours plus tôt."
        in pages["bailleurs/procedure-et-delais"]
    )
    nowhere(
        everything,
        "vous avez 2 mois",
        "Elle a 2 mois pour répondre",
        "2 mois pour que la Préfecture de police réponde",
        "D'ici là, vous pouvez encore agir",
        "Sans réponse en 2 mois, c'est un refus",
    )


# ---------------------------------------- the trêve's exceptions, all of them


def test_law_winter_truce_lists_every_exception(pages: dict[str, str], everything) -> None:
    text = pages["etapes/treve-hivernale"]
    for exception in (
        "un relogement est assuré dans des conditions suffisantes pour la famille",
        "entrée dans le logement de quelqu'un d'autre par la force, par la ruse, par des menaces ou par la contrainte",
        "dans un autre lieu qu'un logement, et le juge a supprimé ou réduit la trêve",
        "habite un logement pour étudiants et ne remplit plus les conditions",
        "l'expulsion d'un conjoint, d'un partenaire de PACS ou d'un concubin violent",
    ):
        assert exception in text
    for article in ("L412-6", "L412-7", "L412-8"):
        assert f"Code des procédures civiles d'exécution, article {article}" in text
    pro = pages["professionnels/etapes/treve-hivernale"]
    assert (
        "(L412-6, al. 2)" in pro
        and "(L412-6, al. 3)" in pro
        and "(L412-7)" in pro
        and "(L412-8 ; Code civil, art. 515-9)" in pro
    )
    nowhere(everything, "La loi prévoit d'autres cas particuliers", "l'article en prévoit d'autres")


# ---------------------------------------- the CQL is notified to the préfet, or the 2 months wait


def test_law_cql_delay_is_suspended_until_the_prefet_is_told(pages: dict[str, str]) -> None:
    text = pages["etapes/commandement-de-quitter-les-lieux"]
    assert (
        "Le commissaire de justice doit prévenir le préfet dès ce commandement : "
        "tant qu'il ne l'a pas fait, les 2 mois ne courent pas" in text
    )
    assert "Code des procédures civiles d'exécution, article L412-5" in text
    assert (
        "le délai de 2 mois est suspendu (CPCE, L412-5)"
        in pages["professionnels/etapes/commandement-de-quitter-les-lieux"]
    )
    assert "Sinon, le délai de 2 mois est suspendu." in pages["bailleurs/procedure-et-delais"]


# ---------------------------------------- the commandement de payer: its mentions, leases, renewals


def test_law_cdp_lists_its_required_mentions(pages: dict[str, str]) -> None:
    text = pages["etapes/commandement-de-payer"]
    for mention in (
        "le loyer et les charges du mois",
        "le détail de la dette",
        "ce qui arrive si vous ne payez pas dans le délai",
        "le FSL (fonds de solidarité pour le logement) et son adresse",
        "votre droit de demander des délais de paiement au juge",
    ):
        assert mention in text
    guide = pages["bailleurs/procedure-et-delais"]
    assert (
        "le loyer et les charges du mois ; le décompte détaillé de la dette ; le délai pour payer, et ce qui arrive"
        in guide
    )


def test_law_clause_resolutoire_is_in_leases_signed_since_29_july_2023(pages: dict[str, str], everything) -> None:
    sentence = "les baux signés depuis le 29 juillet 2023 en contiennent obligatoirement une"
    assert sentence in pages["etapes/commandement-de-payer"]
    assert sentence.capitalize() in pages["bailleurs/procedure-et-delais"]
    assert (
        "Les baux d'habitation signés depuis le 29 juillet 2023 contiennent obligatoirement"
        in pages["professionnels/textes"]
    )
    nowhere(everything, "tous les baux", "tout bail")


def test_law_renewed_lease_or_doubt_counts_6_weeks(pages: dict[str, str], documents: dict[str, str]) -> None:
    text = pages["etapes/commandement-de-payer"]
    assert (
        "Bail renouvelé ou reconduit depuis le 29 juillet 2023, ou vous n'êtes pas sûr de la date ? Comptez 6 semaines"
        in text
    )
    assert (
        "Bail renouvelé ou reconduit depuis le 29 juillet 2023, ou en cas de doute : comptez 6 semaines"
        in pages["motifs/impayes"]
    )
    assert (
        "Bail renouvelé ou reconduit depuis le 29 juillet 2023, ou en cas de doute : comptez 6 semaines"
        in documents["depliant-impayes-a4.pdf"]
    )


# ---------------------------------------- payment delays: two conditions


def test_law_payment_delays_need_two_conditions(pages: dict[str, str], everything) -> None:
    text = pages["etapes/assignation-audience"]
    assert (
        "à deux conditions : vous êtes en mesure de rembourser la dette, "
        "et vous payez de nouveau le loyer du mois en entier" in text
    )
    assert "Jusqu'à 3 ans de délais de paiement, à deux conditions" in text
    assert "À deux conditions : vous êtes en mesure de rembourser la dette" in pages["motifs/impayes"]
    assert (
        "qu'à deux conditions : le locataire est en mesure de régler sa dette" in pages["bailleurs/procedure-et-delais"]
    )
    assert "deux conditions" in pages["professionnels/dispositifs/diagnostic-social-financier"]
    nowhere(
        everything,
        "mais seulement si vous payez de nouveau le loyer",
        "si le loyer du mois est repris en entier",
        "c'est la condition des délais",
        "Seulement si vous avez repris le loyer du mois",
    )


# ---------------------------------------- the 7,500 € fine: the JEX exception is L412-3 only


def test_law_315_2_exception_is_a_request_for_delays_under_l412_3(pages: dict[str, str], everything) -> None:
    tenant = (
        "pendant que le juge de l'exécution examine votre demande de délais pour partir "
        "et pendant les délais qu'il vous accorde"
    )
    assert tenant in pages["etapes/commandement-de-quitter-les-lieux"]
    assert tenant in pages["motifs/occupation-sans-droit-ni-titre"]
    pro = pages["professionnels/etapes/commandement-de-quitter-les-lieux"]
    assert (
        "saisi d'une demande de délais au titre de l'article L412-3 du CPCE" in pro
        and "pas n'importe quelle saisine du JEX" in pro
    )
    assert (
        "quand le juge de l'exécution est saisi d'une demande de délais (CPCE, L412-3)"
        in pages["professionnels/textes"]
    )
    nowhere(
        everything,
        "tant que le juge de l'exécution est saisi (par exemple",
        "pendant la saisine du juge de l'exécution",
    )


# ---------------------------------------- violation de domicile and art. 38


def test_law_violation_de_domicile_and_article_38_as_the_law_says(pages: dict[str, str], everything) -> None:
    text = pages["motifs/occupation-sans-droit-ni-titre"]
    assert (
        "Entrer dans le logement de quelqu'un d'autre par la force, la ruse, des menaces ou la contrainte "
        "est un délit, tout comme s'y maintenir après une telle entrée" in text
    )
    assert "Un ancien locataire resté après la fin de son bail ne commet pas ce délit" in text
    assert (
        "après avoir pris en compte la situation personnelle et familiale de l'occupant, "
        "qui a au moins 24 heures pour partir" in text
    )
    texts = pages["professionnels/textes"]
    assert (
        "et de s'y maintenir après une telle entrée" in texts
        and "la mise en demeure laisse au moins 24 heures" in texts
    )
    assert "LEGIARTI000042655744" in (Path(ROOT) / "referentiel/references.yml").read_text(encoding="utf-8")
    nowhere(
        everything,
        "Entrer ou rester chez quelqu'un",
        "l'introduction ou le maintien",
        "dans les 48 heures qui suivent la demande",
    )


# ---------------------------------------- Sundays and public holidays: only with the judge's leave


def test_law_no_eviction_on_sundays_unless_the_judge_allowed_it(pages: dict[str, str], everything) -> None:
    assert (
        "Jamais le dimanche ou un jour férié, sauf si le juge l'a autorisé en cas de nécessité"
        in pages["etapes/concours-force-publique"]
    )
    assert (
        "ni un dimanche ou un jour férié, sauf autorisation du juge en cas de nécessité"
        in pages["professionnels/textes"]
    )
    for where, text in everything.items():
        for found in re.finditer(r"(?:ni|[Jj]amais) (?:le|un) dimanche ou un jour férié", text):
            assert text[found.end() : found.end() + 7] == ", sauf ", (
                f"{where} : « {text[found.start() - 40 : found.end() + 40]} »"
            )


# ---------------------------------------- EXPLOC since 2018; national thresholds


def test_law_exploc_dates_from_2018_and_2026_83_only_makes_reports_systematic(
    pages: dict[str, str], everything
) -> None:
    pro = pages["professionnels/etapes/commandement-de-payer"]
    assert "depuis le 1er janvier 2018" in pro and "loi n° 2017-86 du 27 janvier 2017, art. 152" in pro
    assert "EXPLOC (loi n° 2017-86 du 27 janvier 2017, art. 152)" in pages["professionnels/dispositifs/ccapex"]
    guide = pages["bailleurs/procedure-et-delais"]
    assert (
        "sur la plateforme nationale EXPLOC, depuis le 1er janvier 2018. "
        "Le décret n° 2026-83 du 12 février 2026 le rend systématique" in guide
    )
    nowhere(
        everything,
        "Depuis le décret n° 2026-83 du 12 février 2026, ce signalement se fait en ligne",
        "systématique et électronique",
    )


def test_law_reporting_thresholds_by_arrete_only_where_the_charter_is_quoted_with_a_note(everything) -> None:
    quoting = {where for where, text in everything.items() if re.search(r"fixés\s+par\s+arrêté|seuils fixés", text)}
    assert quoting == {"professionnels/charte/action-17"}
    for action in ("professionnels/charte/action-11", "professionnels/charte/action-17"):
        note = everything[action]
        assert "Ce qui a changé depuis la charte" in note and "nationaux depuis la loi n° 2023-668" in note
    assert "Ces seuils sont fixés par la loi, pour toute la France." in everything["bailleurs/procedure-et-delais"]


# ---------------------------------------- the CAF: benefit paid to the tenant, and after 2027


def test_law_caf_rule_covers_benefit_paid_to_the_tenant(pages: dict[str, str], documents: dict[str, str]) -> None:
    stage = pages["etapes/premier-impaye"]
    assert "L'aide vous est versée ? Votre propriétaire doit aussi signaler l'impayé à la CAF" in stage
    assert "sans déduire l'aide. La CAF lui propose alors de recevoir l'aide directement" in stage
    assert "Votre propriétaire le signale toujours à la CAF" in stage  # the 2027 box, announced in December
    guide = pages["bailleurs/premier-loyer-impaye"]
    assert "L'aide est versée à votre locataire ? Vous devez aussi signaler l'impayé à la CAF" in guide
    assert (
        "deux fois le loyer mensuel brut" in guide and "Vous signalez toujours l'impayé à la CAF (ou à la MSA)" in guide
    )
    chapter = pages["bailleurs/aides-locataire-solvable"]
    assert (
        "L'aide est versée à votre locataire ? Signalez aussi l'impayé à la CAF, à deux fois le loyer mensuel brut"
        in chapter
    )
    assert "Le bailleur signale toujours l'impayé à la CAF (ou à la MSA)" in chapter
    assert "Aide versée au locataire." in pages["professionnels/dispositifs/plan-apurement-caf"]
    letter = documents["modele-courrier-bailleur.pdf"]
    assert "Signalez aussi l'impayé à la CAF, à deux fois le loyer mensuel brut" in letter
    assert "Le bailleur signale toujours l'impayé à la CAF" in letter  # in its « À partir du 1er janvier 2027 » box


def test_law_from_2027_the_landlord_still_reports_to_the_caf(january: dict[str, str]) -> None:
    assert "Votre propriétaire le signale toujours à la CAF" in january["etapes/premier-impaye"]
    assert "Vous signalez toujours l'impayé à la CAF (ou à la MSA)" in january["bailleurs/premier-loyer-impaye"]
    assert (
        "Le bailleur signale toujours l'impayé à la CAF (ou à la MSA)" in january["bailleurs/aides-locataire-solvable"]
    )
    assert (
        "Le bailleur signale toujours l'impayé à la CAF (ou à la MSA)"
        in january["professionnels/dispositifs/aides-au-logement-caf"]
    )
    assert (
        "Il signale toujours l'impayé à la CAF (ou à la MSA)"
        in january["professionnels/dispositifs/plan-apurement-caf"]
    )
    assert "deux fois le loyer mensuel brut" not in january["bailleurs/premier-loyer-impaye"]  # the 2026 rule is gone


# ---------------------------------------- what is not confirmed is not said as fact


def test_law_unconfirmed_figures_are_not_stated(pages: dict[str, str], everything) -> None:
    assert "vous avez le délai écrit sur le procès-verbal" in pages["etapes/concours-force-publique"]
    legal_aid = pages["professionnels/dispositifs/aide-juridictionnelle"]
    assert (
        "(montant 2025)" in legal_aid
        and "Pour l'année en cours et pour un foyer de plusieurs personnes, voir justice.fr" in legal_aid
    )
    nowhere(
        everything,
        "montant 2027",
        "pour reprendre vos affaires, vous avez 1 mois",
        "vous avez 2 mois pour les reprendre",
    )


# ---------------------------------------- a way to reach everyone the reader is told to contact


def test_law_adil_is_reached_through_sos_loyers_impayes(
    pages: dict[str, str], documents: dict[str, str], everything
) -> None:
    nowhere(everything, "Appelez tout de suite l'ADIL", "Appelez l'ADIL", "oriente vers l'ADIL la plus proche.")
    routed = "SOS Loyers impayés au 0 805 160 075 : la ligne vous met en relation avec l'ADIL de Paris"
    assert routed in pages["etapes/commandement-de-payer"].replace("tout de suite ", "")
    letter = documents["modele-courrier-menage.pdf"]  # the free lines' box with their numbers follows the steps
    assert "Appelez vite SOS Loyers impayés au 0 805 160 075 : il vous met en relation avec l'ADIL de Paris" in letter
    assert "SOS Loyers impayés 0 805 160 075" in letter and "Appelez tout de suite l'ADIL" not in letter
    for leaflet in ("depliant-prevention-a4.pdf", "depliant-impayes-a4.pdf"):
        assert "0 805 160 075" in documents[leaflet] and "la ligne vous met en relation avec" in documents[leaflet], (
            leaflet
        )


def test_law_every_step_that_names_the_adil_or_the_eps_says_how_to_reach_it(sources: Sources) -> None:
    """A tenant page's step never sends the reader to an office without its confirmed way in, in the same item."""
    for page in [*sources.stages, *sources.grounds]:
        for step in page.what_to_do:
            if "ADIL" in step:
                assert "SOS Loyers impayés" in step or "0 805 160 075" in step, f"{page.id} : {step}"
            if re.search(r"(Demandez|Adressez|Contactez).*Espace parisien des solidarités", step):
                assert "3975" in step, f"{page.id} : {step}"


def test_law_one_name_for_the_adil_in_the_texts_the_law_pages_own() -> None:
    owned = [*ROOT.glob("referentiel/etapes/*.yml"), *ROOT.glob("referentiel/motifs/*.yml")]
    owned += [*ROOT.glob("referentiel/dispositifs/*.yml"), *ROOT.glob("content/bailleurs/*.yml")]
    owned += [ROOT / "content/pages/accueil.yml", ROOT / "content/pages/pres-de-chez-moi.yml"]
    for path in owned:
        text = "\n".join(
            line for line in path.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("#")
        )
        assert "ADIL 75" not in text, path.name


# ---------------------------------------- the reader's own first deadline


def test_law_headline_deadlines_are_the_readers(site: Path) -> None:
    assert headline(site, "premier-impaye") == "Délai Dès aujourd'hui : payez le loyer du mois et demandez de l'aide"
    assert headline(site, "assignation-audience").startswith(
        "Délai Allez à l'audience, à la date écrite sur l'assignation"
    )


# ---------------------------------------- sources and « Vérifié le »


@pytest.mark.parametrize(
    ("page", "texts"),
    [
        ("etapes/jugement", ["Code de procédure civile, article 490", "Code pénal, article 226-4-2"]),
        ("etapes/commandement-de-quitter-les-lieux", ["article L412-5", "article L412-7", "article L412-8"]),
        ("etapes/treve-hivernale", ["article L412-7", "article L412-8"]),
        ("etapes/commandement-de-payer", ["Loi n° 2017-86 du 27 janvier 2017"]),
        (
            "bailleurs/procedure-et-delais",
            ["Code de procédure civile, article 538", "article L141-1", "Code pénal, article 226-4-2"],
        ),
    ],
)
def test_law_each_fact_cites_its_source_and_the_page_is_verified_anew(
    pages: dict[str, str], page: str, texts: list[str]
) -> None:
    text = pages[page]
    for cited in texts:
        assert cited in text, f"{cited} absent de {page}"
    assert "Vérifié le 3 décembre 2026" in text
