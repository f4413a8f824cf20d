"""Stage 3 of the pipeline: hand the generated pages to the site engine.

MkDocs (or Zensical, which reads the same configuration) only sees a folder
of Markdown and a configuration file written here; nothing in the engine
knows about our YAML, so the engine can be swapped.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from .errors import BuildFailed, PortalError
from .load import Sources, os_reason
from .pages import Page
from .schema import Edition
from .text import engine_text

ASSETS = Path(__file__).parent / "assets"
# Only the site's own files load, and no script written inside a page runs: a text that slipped through
# every other defence still could not execute. Sent as a <meta> by the theme; a host should also send it
# as an HTTP header, with the others in deploy/nginx-securite.conf (a test keeps the two the same).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-src 'none'"
)
THEME_OVERRIDES = Path(__file__).parent / "theme"
# The State edition's own templates, on no engine theme: the DSFR's header, footer and components
# (assets in assets_etat/, copied to assets/dsfr/ only in that edition).
THEME_STATE = Path(__file__).parent / "theme_etat"
STATE_ASSETS = Path(__file__).parent / "assets_etat"
STATE_ASSETS_URL = "assets/dsfr"


def write_docs(pages: list[Page], docs_dir: Path, edition: Edition = Edition.collectivite) -> set[Path]:
    """Write the Markdown tree the engine builds from, with our assets; return every file of it.

    The DSFR's files go in the State edition only: the design system is reserved to the State.
    A file whose content is already there is left alone, date included: the live preview's engine
    then re-renders only the pages an edit changed.
    """
    wanted = {docs_dir / page.path: page.markdown.encode("utf-8") for page in pages}
    folders = [(ASSETS, docs_dir / "assets")]
    if edition is Edition.etat:
        folders.append((STATE_ASSETS, docs_dir / STATE_ASSETS_URL))
    for folder, target in folders:
        for asset in folder.rglob("*"):
            if asset.is_file():
                wanted[target / asset.relative_to(folder)] = asset.read_bytes()
    for target, content in wanted.items():
        write_if_changed(target, content)
    return set(wanted)


def write_if_changed(target: Path, content: bytes) -> bool:
    """Write `content` unless the file already holds it; say whether it was written."""
    if target.is_file() and target.read_bytes() == content:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    return True


def engine_config(root: Path, sources: Sources, nav: list[Any], docs_dir: Path) -> dict[str, Any]:
    """The project's mkdocs.yml plus what comes from the sources."""
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    territory = sources.territory
    config.update(
        site_name=engine_text(territory.site_name),
        site_description=engine_text(f"{territory.site_name} : la procédure, les délais, qui peut aider."),
        docs_dir=str(docs_dir.resolve()),
        nav=escaped_nav(nav),
    )
    extra = config.setdefault("extra", {})
    extra.update(
        content_security_policy=CONTENT_SECURITY_POLICY,
        edition=sources.edition.value,
        publisher_name=territory.publisher_name,
        brand=list(territory.brand),
        brand_entity=territory.brand_entity or "",
        accessibility_status=accessibility_status(sources),
    )
    if sources.edition is Edition.etat:
        # Our own templates on no engine theme: none of Material's files, classes or scripts.
        config["theme"] = {"name": None, "custom_dir": str(THEME_STATE)}  # lang="fr" is in the template
        config["extra_css"] = [f"{STATE_ASSETS_URL}/dsfr.min.css", f"{STATE_ASSETS_URL}/portail-etat.css"]
    else:
        config["theme"]["custom_dir"] = str(THEME_OVERRIDES)
    if territory.site_url:
        config["site_url"] = str(territory.site_url)
    return config


ACCESSIBILITY_PAGE = "accessibilite"
ACCESSIBILITY_STATES = {
    "non": "non conforme",
    "partiellement": "partiellement conforme",
    "totalement": "totalement conforme",
}


def accessibility_status(sources: Sources) -> str:
    """The footer's « Accessibilité : … conforme », from the accessibility statement's own result (RGAA)."""
    page = sources.pages.get(ACCESSIBILITY_PAGE)
    conformity = getattr(page, "conformity", None) if page else None
    return ACCESSIBILITY_STATES[conformity.value if conformity else "non"]


def escaped_nav(nav: Any) -> Any:
    """The menu with every title HTML-escaped: the engine's templates print menu titles as HTML."""
    if isinstance(nav, list):
        return [escaped_nav(item) for item in nav]
    if isinstance(nav, dict):
        return {engine_text(title): escaped_nav(target) for title, target in nav.items()}
    return nav


def write_engine_config(config: dict[str, Any], path: Path) -> Path:
    write_if_changed(path, yaml.safe_dump(config, allow_unicode=True, sort_keys=False).encode("utf-8"))
    return path


def run_mkdocs(config_file: Path, site_dir: Path) -> None:
    """`mkdocs build --strict`: a broken internal link or anchor fails the build."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file), "-d", str(site_dir)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        output = (result.stderr or result.stdout).splitlines()
        problems = [line for line in output if not line.startswith("INFO")] or output
        raise BuildFailed("le moteur du site (MkDocs) a échoué :\n" + "\n".join(problems).strip())


def require_writable_target(target: Path) -> None:
    """Say before any work, not after a minute of it, that the site cannot be written where asked: a file in
    its place, a folder that cannot be created, written or renamed in (read-only disk, no rights, full disk),
    a mount point (busy: it cannot be swapped whole). What the swap will do is tried on an empty folder."""
    if target.exists() and not target.is_dir():
        raise PortalError(
            f"{target} est un fichier, pas un dossier : le site ne peut pas y être écrit ; "
            "déplacez ce fichier ou choisissez un autre dossier (--site-dir)"
        )
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise PortalError(f"{parent} : {os_reason(error)} ; le site ne peut pas y être écrit") from None
    if not os.access(parent, os.W_OK | os.X_OK):
        raise PortalError(f"{parent} : accès refusé en écriture ; le site ne peut pas y être remplacé")
    if target.is_dir() and os.path.ismount(target):
        raise PortalError(
            f"{target} est un point de montage (dossier occupé) : il ne peut pas être remplacé d'un bloc ; "
            "choisissez avec --site-dir un dossier à l'intérieur"
        )
    probe = parent / f".{target.name}.essai-{os.getpid()}"
    try:
        probe.mkdir()
        (probe / "essai").write_bytes(b"essai")
        probe.rename(probe.with_name(probe.name + "-renomme"))
    except OSError as error:
        raise PortalError(
            f"{parent} : {os_reason(error)} ; le site ne peut pas y être remplacé (rien n'a été construit)"
        ) from None
    finally:
        remove_tree(probe)
        remove_tree(probe.with_name(probe.name + "-renomme"))


@contextmanager
def target_lock(target: Path) -> Iterator[None]:
    """One build at a time per site folder: a second one is refused at once (the folder is busy), not left to
    swap half-way through the first one's. A lock left by a killed build (its process gone) is taken over."""
    lock = target.with_name(f".{target.name}.verrou")
    for _ in range(2):
        try:
            handle = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            owner = _lock_owner(lock)
            if owner is not None:
                raise PortalError(
                    f"{target} : dossier occupé, un autre build l'écrit en ce moment (processus {owner}) ; "
                    "attendez qu'il finisse, puis relancez"
                ) from None
            lock.unlink(missing_ok=True)  # left by a build that no longer runs
            continue
        except OSError as error:
            raise PortalError(f"{target.parent} : {os_reason(error)} ; le site ne peut pas y être écrit") from None
        with os.fdopen(handle, "w") as out:
            out.write(str(os.getpid()))
        break
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)


def _lock_owner(lock: Path) -> int | None:
    """The process that holds the lock, if it still runs."""
    try:
        pid = int(lock.read_text().strip() or 0)
    except (OSError, ValueError):
        return None
    if pid <= 0:
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid
    return pid


def swap_in(new_dir: Path, target: Path) -> None:
    """Replace `target` by `new_dir` in two renames, so a reader never sees half a site.

    The renames happen beside the target: when `new_dir` is on another file system, it is first copied
    there. A `.old` left by an interrupted build is removed first; if the second rename fails, the
    previous site is put back.
    """
    staged = target.with_name(f".{target.name}.nouveau")
    remove_tree(staged)
    try:
        new_dir.rename(staged)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        try:
            shutil.copytree(new_dir, staged)
        except BaseException:
            remove_tree(staged)  # a full disk half-way: nothing left behind
            raise
    old = target.with_name(target.name + ".old")
    remove_tree(old)
    if target.exists():
        target.rename(old)
    try:
        staged.rename(target)
    except OSError:
        if old.exists():
            old.rename(target)
        remove_tree(staged)
        raise
    remove_tree(old)


def remove_tree(path: Path) -> None:
    """Remove a folder (or a stray file) even where a previous run left it read-only."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():

        def allow_and_retry(function: Any, name: str, _: Any) -> None:
            os.chmod(Path(name).parent, 0o755)  # removing an entry needs write access to its folder
            function(name)

        shutil.rmtree(path, onerror=allow_and_retry)
