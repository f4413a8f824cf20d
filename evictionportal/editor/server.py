"""The editor's local web server: the listing, the forms, saving, « Mes modifications »; and its security.

Loopback only. A request whose Host or Origin is not this server's is refused (403): a page of another site,
or a DNS name pointed at 127.0.0.1, cannot read or write through it. Every write carries the session's token,
written in the editor's own forms. Only source files are opened (`catalogue.resolve_source`). Answers carry the
site's Content-Security-Policy; the editor's pages load nothing but its own stylesheet and script.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.server
import re
import secrets
import threading
import traceback
import unicodedata
import urllib.parse
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from ruamel.yaml.error import YAMLError

from .. import schema
from ..errors import SourceErrors
from ..load import MAX_FILE_BYTES, Sources, load_sources, read_yaml
from ..pages import Paths
from ..site import CONTENT_SECURITY_POLICY
from ..text import page_url
from . import history
from .catalogue import KINDS, Kind, Refused, listing, resolve_source
from .fields import Context, Option, apply_operation, build_form, form_data, plain
from .save import (
    Mirror,
    Outcome,
    base_data,
    date_changed_contacts,
    digest,
    errors_by_field,
    read_text,
    review_step,
    save,
    unplaced,
)

PACKAGE = Path(__file__).parent
TEMPLATES = PACKAGE.parent / "templates" / "editor"
STATIC = PACKAGE / "static"
MAX_BODY_BYTES = 4 * MAX_FILE_BYTES  # a form is its file's values, percent-encoded
KEPT_VERSIONS = 500  # opened files remembered for the conflict check
EDITOR_COOKIE = "editeur"
HTML = "text/html; charset=utf-8"
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY + "; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # with no-referrer, a browser posts « Origin: null »
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


def slug(name: str) -> str:
    """An id made from a name: « Maison de la justice (10e) » → maison-de-la-justice-10e."""
    plain_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return "-".join(re.findall(r"[a-z0-9]+", plain_text))[:60].strip("-")


@dataclass
class Editor:
    """The state of one editing session: the project, the day, the token, the versions opened."""

    root: Path
    port: int
    preview_url: str | None = None
    today: Callable[[], dt.date] = dt.date.today
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    opened: OrderedDict[str, str] = field(default_factory=OrderedDict)
    _sources: tuple[tuple[Any, ...], Sources | None, list[str]] | None = None
    _choices: dict[str, list[Option]] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.root = self.root.resolve()
        self.mirror = Mirror(self.root)
        self.templates = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    @property
    def hosts(self) -> set[str]:
        return {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}

    def remember(self, text: str) -> str:
        key = digest(text)
        self.opened[key] = text
        self.opened.move_to_end(key)
        while len(self.opened) > KEPT_VERSIONS:
            self.opened.popitem(last=False)
        return key

    def close(self) -> None:
        self.mirror.remove()

    def warm_up(self) -> None:
        """Read the sources and lay out the check's tree before the first request, not during it."""
        self.sources()
        self.choices()
        self.mirror.sync()

    def stamp(self) -> tuple[Any, ...]:
        """Every source file with its modification time: the sources changed when this did."""
        files = [p for kind in KINDS for p in sorted(self.root.glob(kind.pattern))]
        return tuple((p.as_posix(), p.stat().st_mtime_ns) for p in files if p.exists())

    def sources(self) -> tuple[Sources | None, list[str]]:
        """The validated sources (None while they have a problem) and the problems; reloaded when a file changed."""
        stamp = self.stamp()
        if self._sources is None or self._sources[0] != stamp:
            try:
                self._sources = (stamp, load_sources(self.root, self.today()), [])
            except SourceErrors as error:
                self._sources = (stamp, None, [str(p) for p in error.problems])
            self._choices = None
        return self._sources[1], self._sources[2]

    def saved(self, sources: Sources | None) -> None:
        """A save checked every source: they are the sources now, with no need to read them again."""
        self._sources = (self.stamp(), sources, []) if sources is not None else None
        self._choices = None

    def choices(self) -> dict[str, list[Option]]:
        """The names an id may be chosen by, for each kind of target (from the sources, or their files)."""
        sources, _problems = self.sources()
        if self._choices is None:
            self._choices = choices_of(sources) if sources is not None else choices_in_files(self.root)
            self._choices["reference"] = reference_choices(self.root)  # every period, not only today's
        return self._choices

    def preview_link(self, kind: Kind, data: Any) -> str | None:
        """The address of the page a source feeds, in the live preview."""
        if not self.preview_url or not isinstance(data, dict):
            return None
        key = str(data.get("id", ""))
        paths = {
            "stages": Paths.stage,
            "grounds": Paths.ground,
            "schemes": Paths.scheme,
            "organisations": Paths.organisation,
            "landlord_guide": Paths.landlord_chapter,
        }
        if kind.key in paths and key:
            path = paths[kind.key](key)
        elif kind.key == "pages" and key:
            path = {"accueil": Paths.home, "pres-de-chez-moi": Paths.near_me}.get(key, Paths.guide_page(key))
        elif kind.key == "actions" and isinstance(data.get("number"), int):
            path = Paths.action(data["number"])
        else:
            path = {"references": Paths.references, "indicators": Paths.indicators}.get(kind.key, Paths.home)
        return self.preview_url.rstrip("/") + "/" + page_url(path)

    def render(self, template: str, **context: Any) -> str:
        return self.templates.get_template(template).render(token=self.token, kinds=KINDS, **context)


def _sorted(options: list[Option]) -> list[Option]:
    return sorted(options, key=lambda o: o.label.casefold())


def choices_of(sources: Sources) -> dict[str, list[Option]]:
    """What an id may point at, by its name: organisations, schemes, stages, grounds, pages, laws, areas."""

    def organisation(org: schema.Organisation) -> str:
        return f"{org.short_name} ({org.name})" if org.short_name else org.name

    return {
        "organisation": _sorted([Option(k, organisation(o)) for k, o in sources.organisations.items()]),
        "scheme": _sorted([Option(k, s.name) for k, s in sources.schemes.items()]),
        "stage": [Option(s.id, s.title) for s in sources.stages],
        "ground": [Option(g.id, g.title) for g in sources.grounds],
        "page": _sorted([Option(k, p.title) for k, p in sources.pages.items()]),
        "area": [Option(str(a.number), a.name) for a in sources.territory.areas],
    }


def reference_choices(root: Path) -> list[Option]:
    """The legal texts, read from their one file: a rule's future or past text may be named too."""
    references = root / schema.SOURCE_KINDS["references"][0]
    data = read_yaml(references, root)[0] if references.exists() else None
    return [
        Option(r["id"], str(r.get("label", r["id"])))
        for r in (data or {}).get("references", [])
        if isinstance(data, dict)
        if isinstance(r, dict) and isinstance(r.get("id"), str)
    ]


def choices_in_files(root: Path) -> dict[str, list[Option]]:
    """The same choices read from the files themselves, while the sources have a problem."""
    wanted = {
        "organisation": ("organisations", ("short_name", "name")),
        "scheme": ("schemes", ("name",)),
        "stage": ("stages", ("title",)),
        "ground": ("grounds", ("title",)),
        "page": ("pages", ("title",)),
    }
    found: dict[str, list[Option]] = {}
    for target, (key, names) in wanted.items():
        kind = next(k for k in KINDS if k.key == key)
        options = []
        for path in sorted(root.glob(kind.pattern)):
            data, _lines, _problems = read_yaml(path, root)
            if isinstance(data, dict) and isinstance(data.get("id"), str):
                options.append(Option(data["id"], str(next((data[n] for n in names if data.get(n)), data["id"]))))
        found[target] = _sorted(options)
    territory = read_yaml(root / schema.SOURCE_KINDS["territory"][0], root)[0] or {}
    found["area"] = [
        Option(str(a["number"]), str(a.get("name", a["number"])))
        for a in territory.get("areas", [])
        if isinstance(a, dict) and isinstance(a.get("number"), int)
    ]
    return found


# ------------------------------------------------------------------ pages


def index_page(editor: Editor, query: str, name: str) -> str:
    sources, problems = editor.sources()
    entries = listing(editor.root, sources, editor.today())
    shown = [e for e in entries if e.matches(query)] if query else entries
    groups: dict[str, list[Any]] = {}
    for entry in shown:
        groups.setdefault(entry.kind.label, []).append(entry)
    return editor.render(
        "index.html.j2",
        title="Éditeur du portail",
        groups=groups,
        query=query,
        count=len(shown),
        problems=problems,
        editor_name=name,
        new_kinds=[k for k in KINDS if k.template],
        git=history.is_checkout(editor.root),
        preview_url=editor.preview_url,
    )


@dataclass
class FormState:
    rel: str
    kind: Kind
    data: dict[str, Any]
    base: str  # the digest of the file as the form opened it
    new: bool = False
    outcome: Outcome | None = None
    message: str = ""


def form_page(editor: Editor, state: FormState, name: str) -> str:
    errors, elsewhere, other = {}, [], []
    if state.outcome is not None:
        errors, elsewhere = errors_by_field(state.outcome.problems, state.rel)
        other = state.outcome.other
    context = Context(editor.choices(), editor.today(), errors)
    nodes = build_form(state.kind.model, state.data, context)
    names = [state.data.get(k) for k in ("title", "name")]
    title = next((n for n in names if isinstance(n, str) and n.strip()), state.rel)  # per period: the file
    conflict = state.outcome.conflict if state.outcome else None
    return editor.render(
        "form.html.j2",
        title=f"{title} — éditeur",
        heading=title,
        state=state,
        nodes=nodes,
        unplaced=unplaced(errors, context.shown),
        placed=[(name, message) for name, messages in errors.items() if name in context.shown for message in messages],
        elsewhere=elsewhere,
        other=other,
        conflict=conflict,
        mine=state.outcome.text if state.outcome else "",
        editor_name=name,
        preview=editor.preview_link(state.kind, state.data),
        count=sum(len(m) for m in errors.values()) + len(elsewhere) + len(other),
        suggested=context.suggested,
        choices=context.choices,
    )


class Unreadable(Exception):
    """A source the form cannot show (not YAML, not UTF-8, too large): the loader's messages say why."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


def open_form(editor: Editor, rel: str) -> FormState:
    path, kind = resolve_source(editor.root, rel)
    _data, _lines, problems = read_yaml(path, editor.root)
    try:
        if problems:
            raise ValueError(problems)
        text = read_text(path)
        data = base_data(text)
    except (ValueError, UnicodeDecodeError, YAMLError) as error:
        raise Unreadable([str(p) for p in problems] or [f"{rel} : le fichier ne se lit pas ({error})"]) from None
    return FormState(rel, kind, data if isinstance(data, dict) else {}, editor.remember(text))


def new_form(editor: Editor, kind_key: str, name: str) -> FormState:
    """A new record from its template: a draft, its id made from the name, not written until it is valid."""
    kind = next((k for k in KINDS if k.key == kind_key and k.template), None)
    if kind is None or not slug(name):
        raise Refused(kind_key)
    identifier = slug(name)
    folder = kind.pattern.split("*")[0]
    existing = sorted(p.name for p in (editor.root / folder).glob("*.yml"))
    numbered = existing and all(re.match(r"\d\d-", n) for n in existing)
    stem = f"{len(existing) + 1:02d}-{identifier}" if numbered else identifier
    rel = f"{folder}{stem}.yml"
    resolve_source(editor.root, rel, new=True)
    template = (PACKAGE / "modeles" / kind.template).read_text(encoding="utf-8")  # type: ignore[operator]
    data = plain(base_data(template))
    data["id"] = identifier
    data["name" if "name" in kind.model.model_fields else "title"] = name.strip()
    if "order" in kind.model.model_fields:
        data["order"] = str(len(existing) + 1)
    return FormState(rel, kind, data, editor.remember(template), new=True)


def posted_form(editor: Editor, fields: list[tuple[str, str]]) -> FormState:
    values = dict(fields)
    rel = values.get("chemin", "")
    new = values.get("nouveau") == "1"
    path, kind = resolve_source(editor.root, rel, new=new and not (editor.root / rel).exists())
    data = form_data([(k, v) for k, v in fields if k not in ("chemin", "base", "jeton", "op", "nouveau")])
    return FormState(rel, kind, data, values.get("base", ""), new=new)


def handle_form_post(
    editor: Editor, state: FormState, operation: str, name: str, values: dict[str, str] | None = None
) -> FormState:
    """A button of the form: a list or review step (the form comes back), or saving."""
    today = editor.today()
    values = values or {}
    if operation.startswith("etape|"):
        if not name:
            state.message = "Indiquez d'abord votre nom (page d'accueil de l'éditeur) : il est écrit dans la relecture."
            return state
        review_step(state.data, operation.split("|", 1)[1], today, name)
        return state
    if operation != "enregistrer":
        new_key = values.get("+" + operation.partition("|")[2], "").strip()
        apply_operation(state.data, operation, state.kind.model, new_key)
        return state
    base_text = editor.opened.get(state.base)
    if base_text is not None:
        date_changed_contacts(state.data, base_data(base_text), today, name)
    with editor.lock:
        state.outcome = save(editor.mirror, state.rel, state.data, state.kind.model, base_text, today, state.new)
    if state.outcome.written:
        state.base = editor.remember(state.outcome.text)
        state.new = False
        editor.saved(state.outcome.sources)
    return state


# ------------------------------------------------------------------ HTTP


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "edition"
    sys_version = ""
    editor: Editor

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the standard library's name
        """Nothing logged: a form's values stay on this machine's screen only."""

    # -------------------------------------------------------------- checks every request passes

    def _allowed(self, write: bool) -> bool:
        editor = self.editor
        if self.headers.get("Host", "") not in editor.hosts:
            return False
        origins = {f"http://{host}" for host in editor.hosts}
        origin = self.headers.get("Origin")
        if origin is not None and origin not in origins:
            return False
        if self.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
            return False
        if write:
            referer = self.headers.get("Referer")
            if origin is None and referer is not None and not any(referer.startswith(o + "/") for o in origins):
                return False
        return True

    def _send(
        self, status: int, body: str | bytes, content_type: str = "text/html; charset=utf-8", **extra: str
    ) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in {**HEADERS, **extra}.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _refuse(self, status: int, message: str) -> None:
        page = self.editor.render("refus.html.j2", title="Refusé", message=message, status=status)
        self._send(status, page)

    def _name(self) -> str:
        cookie = self.headers.get("Cookie", "")
        for part in cookie.split(";"):
            key, _, value = part.strip().partition("=")
            if key == EDITOR_COOKIE:
                return urllib.parse.unquote(value)[:80]
        return ""

    def _fields(self) -> list[tuple[str, str]] | None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return None
        if length > MAX_BODY_BYTES or length < 0:
            self.close_connection = True
            remaining = min(max(length, 0), 4 * MAX_BODY_BYTES)  # read what was sent, so the refusal is heard
            while remaining > 0:
                remaining -= len(self.rfile.read(min(remaining, 65536)) or b"x" * remaining)
            return None
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        return urllib.parse.parse_qsl(body, keep_blank_values=True, max_num_fields=20000)

    # -------------------------------------------------------------- routes

    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        if not self._allowed(write=False):
            return self._refuse(403, "Adresse refusée : l'éditeur ne répond qu'à http://127.0.0.1.")
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        editor = self.editor
        try:
            if url.path == "/":
                return self._send(200, index_page(editor, query.get("q", ""), self._name()))
            if url.path == "/fichier":
                return self._send(200, form_page(editor, open_form(editor, query.get("chemin", "")), self._name()))
            if url.path == "/modifications":
                return self._send(200, changes_page(editor, "", self._name()))
            if url.path.startswith("/static/") and url.path[8:] in ("editeur.css", "editeur.js"):
                kind = "text/css" if url.path.endswith(".css") else "text/javascript"
                return self._send(200, (STATIC / url.path[8:]).read_bytes(), f"{kind}; charset=utf-8")
        except Refused:
            return self._refuse(404, "Ce fichier n'est pas une source du portail : l'éditeur ne l'ouvre pas.")
        except Unreadable as error:
            said = "Ce fichier ne s'ouvre pas dans un formulaire ; corrigez-le d'abord dans un éditeur de texte : "
            return self._refuse(422, said + " ; ".join(error.messages))
        return self._refuse(404, "Page inconnue.")

    def do_HEAD(self) -> None:  # noqa: N802
        self.do_GET()

    def handle_one_request(self) -> None:
        """A bug answers a French page (and its traceback on the terminal), never a dropped connection."""
        try:
            super().handle_one_request()
        except (ConnectionError, TimeoutError):
            self.close_connection = True
        except Exception:
            traceback.print_exc()
            self.close_connection = True
            with contextlib.suppress(Exception):
                self._refuse(500, "Erreur du programme, pas de vos fichiers : rien n'a été écrit. Signalez-la.")

    def do_POST(self) -> None:  # noqa: N802
        if not self._allowed(write=True):
            return self._refuse(403, "Demande refusée : elle ne vient pas de l'éditeur.")
        fields = self._fields()
        if fields is None:
            return self._refuse(413, "Formulaire trop grand.")
        values = dict(fields)
        if not secrets.compare_digest(values.get("jeton", ""), self.editor.token):
            return self._refuse(403, "Jeton de session absent ou périmé : rouvrez la page depuis l'éditeur.")
        editor, name = self.editor, self._name()
        path = urllib.parse.urlsplit(self.path).path
        try:
            if path == "/nom":
                given = values.get("nom", "").strip()[:80]
                cookie = f"{EDITOR_COOKIE}={urllib.parse.quote(given)}; Path=/; SameSite=Strict; HttpOnly"
                return self._send(303, "", Location="/", Set_Cookie=cookie)
            if path == "/fichier":
                state = handle_form_post(
                    editor, posted_form(editor, fields), values.get("op", "enregistrer"), name, values
                )
                return self._send(
                    409 if state.outcome and state.outcome.conflict is not None else 200, form_page(editor, state, name)
                )
            if path == "/nouveau":
                state = new_form(editor, values.get("type", ""), values.get("nom", ""))
                return self._send(200, form_page(editor, state, name))
            if path == "/modifications":
                try:
                    done = history.commit(editor.root, values.get("message", ""), name)
                    said = f"Modifications enregistrées dans git (commit {done})."
                except ValueError as error:
                    said = f"Rien n'a été enregistré : {error}."
                return self._send(200, changes_page(editor, said, name))
        except Refused:
            return self._refuse(403, "Ce chemin n'est pas une source du portail : rien n'a été lu ni écrit.")
        return self._refuse(404, "Page inconnue.")


def changes_page(editor: Editor, message: str, name: str) -> str:
    git = history.is_checkout(editor.root)
    found = history.changes(editor.root) if git else []
    return editor.render(
        "modifications.html.j2",
        title="Mes modifications",
        git=git,
        changes=[(c, history.diff_of(editor.root, c)) for c in found],
        message=message,
        editor_name=name,
    )


class EditorServer(http.server.ThreadingHTTPServer):
    daemon_threads = True


def make_server(editor: Editor) -> EditorServer:
    """A server bound to 127.0.0.1 only (port 0: a free one, then written into `editor.port`)."""
    handler = type("EditorHandler", (Handler,), {"editor": editor})
    server = EditorServer(("127.0.0.1", editor.port), handler)
    editor.port = server.server_address[1]
    return server


def stop_group(process: Any) -> None:
    """Ctrl+C to a process group (the preview stops its MkDocs server), then, if it is still there, SIGTERM."""
    import os
    import signal
    import subprocess

    for sent in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sent)
        try:
            process.wait(timeout=10)
            break
        except subprocess.TimeoutExpired:
            continue
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)  # the group's last process (MkDocs) if its parent went first


def serve_editor(root: Path, port: int = 8001, preview_port: int | None = 8000) -> None:
    """`build.py edition`: the editor on 127.0.0.1, and the live preview beside it (drafts shown)."""
    import signal
    import subprocess
    import sys

    preview = None
    preview_url = None
    if preview_port:
        command = [sys.executable, str(PACKAGE.parent.parent / "build.py"), "--root", str(root)]
        # Its own process group, with its MkDocs server: stopping the editor stops both, however it was started.
        preview = subprocess.Popen([*command, "serve", "--port", str(preview_port)], start_new_session=True)
        preview_url = f"http://127.0.0.1:{preview_port}/"
    editor = Editor(root, port, preview_url)
    server = make_server(editor)
    editor.warm_up()

    def stop(_signal: int, _frame: Any) -> None:
        raise KeyboardInterrupt  # `kill` stops the editor as Ctrl+C does: the preview with it

    signal.signal(signal.SIGTERM, stop)
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:  # started in the background by a shell
        signal.signal(signal.SIGINT, stop)
    print(f"Éditeur sur http://127.0.0.1:{editor.port}/ (Ctrl+C pour arrêter)", flush=True)
    if preview_url:
        print(f"Aperçu du portail sur {preview_url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        editor.close()
        if preview is not None:
            stop_group(preview)
