"""Property-based test: whatever an editor or a partner's file puts in a text field, no traceback, and
either an error that names file and line, or pages where nothing can run.

Hypothesis writes random YAML values, hostile strings and random Markdown into the text fields of the
made-up tree. The pages are rendered by our code and passed through Python-Markdown with the site
engine's own extensions (read from mkdocs.yml), as the engine does; the result must pass the same
security check as `build.py check`. A few examples also go through a complete build, engine included.
The number of examples is fixed and the run derandomised, so `make test` stays fast and repeatable.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evictionportal.build import build_site
from evictionportal.checks.security import check_security
from evictionportal.errors import BuildFailed, SourceErrors
from evictionportal.load import load_sources
from evictionportal.pages import render_pages
from evictionportal.relations import visible_sources
from tests.conftest import MINIMAL

# (file, path in the file) of text fields that reach the pages: titles, names, plain text and Markdown.
TARGETS = [
    ("referentiel/etapes/01-premiere-etape.yml", ("title",)),
    ("referentiel/etapes/01-premiere-etape.yml", ("what_it_means",)),
    ("referentiel/etapes/01-premiere-etape.yml", ("what_to_do", 0)),
    ("referentiel/etapes/01-premiere-etape.yml", ("deadlines", 0, "label")),
    ("referentiel/etapes/01-premiere-etape.yml", ("deadlines", 0, "details")),
    ("referentiel/etapes/01-premiere-etape.yml", ("actors", 0, "role")),
    ("directory/service-social.yml", ("name",)),
    ("directory/service-social.yml", ("role",)),
    ("content/territoire.yml", ("site_name",)),
    ("content/pages/mise-a-jour.yml", ("sections", 0, "body")),
    ("referentiel/motifs/impayes.yml", ("title",)),
    ("referentiel/references.yml", ("references", 0, "label")),
]
PROBLEM_LINE = re.compile(r"^[\w./\-]+(:\d+)?: ")
HOSTILE = [
    "<script>alert(1)</script>", "</title><script>", "javascript:alert(1)", "JaVaScRiPt:", "&#106;avascript:",
    "java\tscript:", "data:text/html,x", "vbscript:", "{: onclick=\"alert(1)\" }", "{: #x .y onmouseover=z }",
    "[a](javascript:x)", "[a][r]\n\n[r]: javascript:x", "<https://x.test>", "![i](https://x.test/i.png)",
    "<img src=x onerror=alert(1)>", "\" onmouseover=\"x", "' onfocus='x", "](", "[", "**", "__", "`", "\\",
    "!!! note", "<div markdown=\"1\">", "&lt;b&gt;", "&amp;", "\u202e", "\x00", "\x07", "é", "—", "|a|b|\n|-|-|",
    "# titre", "1. un", "- a", "> cite", "    code", "\n\n", " ", "https://exemple.test/a?b=<c>", "/etapes/",
    "[x](/)", "mailto:a@b.c", "tel:+33100000000", "*", "&", "{", "}",
]  # fmt: skip


def texts() -> st.SearchStrategy[str]:
    """Random text made of hostile pieces; often ending with one, where Markdown attribute lists act."""
    fragment = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=12))
    mixed = st.lists(fragment, max_size=8).map("".join)
    ending = st.tuples(st.text(max_size=8), st.sampled_from(HOSTILE)).map("".join)
    return st.one_of(mixed, ending)


def yaml_values() -> st.SearchStrategy[Any]:
    scalars = st.one_of(texts(), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False))
    return st.one_of(
        texts(), texts(), scalars, st.lists(scalars, max_size=3), st.dictionaries(texts(), scalars, max_size=2)
    )


def set_value(data: Any, path: tuple[str | int, ...], value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


ENGINE_EXTENSIONS = [
    next(iter(item)) if isinstance(item, dict) else item
    for item in yaml.safe_load((MINIMAL / "mkdocs.yml").read_text(encoding="utf-8"))["markdown_extensions"]
]


def pages_as_the_engine_renders_them(tree: Path, out: Path) -> None:
    """Our Markdown pages, through Python-Markdown with the engine's extensions, written as HTML files."""
    sources = load_sources(tree)
    shutil.rmtree(out, ignore_errors=True)
    (out / "assets").mkdir(parents=True)
    for page in render_pages(visible_sources(sources, include_drafts=False)):
        body = page.markdown.split("---\n", 2)[-1]  # the front matter is the engine's, not Markdown
        target = out / page.path.replace(".md", ".html")
        target.parent.mkdir(parents=True, exist_ok=True)
        html = markdown.markdown(body, extensions=ENGINE_EXTENSIONS)
        target.write_text(f"<!doctype html><html lang=fr><body>{html}</body></html>", encoding="utf-8")


def write_example(tree: Path, originals: dict[str, str], values: dict[tuple[str, tuple[str | int, ...]], Any]) -> None:
    """The made-up tree with each target field set to its value, every other file as it was."""
    data = {rel: yaml.safe_load(text) for rel, text in originals.items()}
    for (rel, path), value in values.items():
        set_value(data[rel], path, value)
    for rel in originals:
        (tree / rel).write_text(yaml.safe_dump(data[rel], allow_unicode=True), encoding="utf-8")


@pytest.fixture(scope="module")
def fuzz_tree(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    tree = tmp_path_factory.mktemp("fuzz") / "project"
    shutil.copytree(MINIMAL, tree)
    originals = {rel: (tree / rel).read_text(encoding="utf-8") for rel, _ in TARGETS}
    return tree, originals


def assert_error_or_inert(tree: Path, html_dir: Path) -> None:
    try:
        pages_as_the_engine_renders_them(tree, html_dir)
    except SourceErrors as error:
        assert error.problems
        for problem in error.problems:
            assert PROBLEM_LINE.match(str(problem)), str(problem)
        return
    except BuildFailed as error:  # a link to a page of the site that does not exist: named, never a traceback
        assert "n'existe pas" in str(error)
        return
    findings = check_security(html_dir)
    assert findings == [], "\n".join(str(f) for f in findings)


def fuzz_settings(examples: int) -> settings:
    """A fixed number of examples, the same ones every run: fast and repeatable in `make test`."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@pytest.mark.parametrize("fragment", HOSTILE)
def test_each_hostile_fragment_in_every_text_field_at_once(
    fuzz_tree: tuple[Path, dict[str, str]], fragment: str
) -> None:
    """Every known attack in every field, at the start and at the end of the text (where Markdown acts)."""
    tree, originals = fuzz_tree
    write_example(tree, originals, {target: f"{fragment} Texte {fragment}" for target in TARGETS})
    assert_error_or_inert(tree, tree.parent / "html")


@fuzz_settings(40)
@given(values=st.fixed_dictionaries({target: texts().map("Texte ".__add__) for target in TARGETS}))
def test_fuzz_hostile_text_in_every_text_field_is_an_error_or_inert(
    fuzz_tree: tuple[Path, dict[str, str]], values: dict[Any, str]
) -> None:
    tree, originals = fuzz_tree
    write_example(tree, originals, values)
    assert_error_or_inert(tree, tree.parent / "html")


@fuzz_settings(30)
@given(target=st.sampled_from(TARGETS), value=yaml_values())
def test_fuzz_any_yaml_value_in_a_text_field_is_an_error_or_inert(
    fuzz_tree: tuple[Path, dict[str, str]], target: tuple[str, tuple[str | int, ...]], value: Any
) -> None:
    tree, originals = fuzz_tree
    write_example(tree, originals, {target: value})
    assert_error_or_inert(tree, tree.parent / "html")


@fuzz_settings(4)
@given(value=st.lists(st.sampled_from(HOSTILE), min_size=3, max_size=10).map(" ".join))
def test_fuzz_hostile_text_through_the_whole_build(fuzz_tree: tuple[Path, dict[str, str]], value: str) -> None:
    """The engine's own templates included: titles, menu, site name, with a real build."""
    tree, originals = fuzz_tree
    write_example(tree, originals, {target: value for target in [TARGETS[0], TARGETS[6], TARGETS[8], TARGETS[1]]})
    try:
        build_site(tree, force=True)
    except (SourceErrors, BuildFailed) as error:
        assert all(PROBLEM_LINE.match(line) or "problème" in line for line in str(error).splitlines())
        return
    finally:
        for rel, text in originals.items():
            (tree / rel).write_text(text, encoding="utf-8")
    assert check_security(tree / "site") == []


# ------------------------------------------------------------------ spreadsheets a partner or a register may send


def _spreadsheet_samples() -> dict[str, bytes]:
    import io

    import openpyxl

    from evictionportal.campaign.spreadsheet import write_ods

    book = openpyxl.Workbook()
    for row in (["Nom", "Code postal", "Montant"], ["Zorglub", 75011, 1234.5], ["=1+1", "Ondine", None]):
        book.active.append(row)
    xlsx = io.BytesIO()
    book.save(xlsx)
    folder = Path(__import__("tempfile").mkdtemp())
    write_ods(folder / "t.ods", [["Nom", "Montant"], ["Zorglub", "12"]], [10, 10])
    return {
        ".xlsx": xlsx.getvalue(),
        ".ods": (folder / "t.ods").read_bytes(),
        ".csv": "Nom;Code postal\r\nÉlodie Zorglub;75011\r\n".encode("cp1252"),
    }


SAMPLES = _spreadsheet_samples()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    suffix=st.sampled_from(sorted(SAMPLES)),
    changes=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=6),
    cut=st.one_of(st.none(), st.floats(0, 1)),
)
def test_fuzz_damaged_spreadsheets_are_read_or_refused_in_french(
    tmp_path: Path, suffix: str, changes: list[tuple[float, int]], cut: float | None
) -> None:
    """Bytes changed anywhere, or the file cut: a table, or UnreadableFile in French; never another exception."""
    from evictionportal.letters.register import LIMITS
    from evictionportal.tables import UnreadableFile, read_table

    data = bytearray(SAMPLES[suffix])
    for where, value in changes:
        data[int(where * len(data))] = value
    if cut is not None:
        data = data[: max(1, int(cut * len(data)))]
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(bytes(data))
    try:
        read_table(path, LIMITS)
    except UnreadableFile as error:
        assert str(error)[0].islower() and "Error" not in str(error) and "Traceback" not in str(error)
