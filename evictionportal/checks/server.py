"""Serve a built site on 127.0.0.1, as a production server would: gzip, and counting what it sends.

The checks look at the site over HTTP (links resolve as on the real server, the
browser runs the theme's JavaScript) without anything leaving the machine.
Compressing text answers makes the measured page weight what a tenant's phone
would download; counting bytes on the server side includes what the search
worker fetches, which browser-side sizes miss.
"""

from __future__ import annotations

import contextlib
import email.utils
import functools
import gzip
import http.server
import mimetypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


@dataclass
class SiteServer:
    """A running local server: its base URL and the bytes it has sent since `reset()`."""

    url: str
    _sent: list[int] = field(default_factory=lambda: [0])
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, size: int) -> None:
        with self._lock:
            self._sent[0] += size

    def reset(self) -> None:
        with self._lock:
            self._sent[0] = 0

    @property
    def bytes_sent(self) -> int:
        with self._lock:
            return self._sent[0]


class _CountingWriter:
    """Wraps the socket writer so every byte sent (headers and body) is counted."""

    def __init__(self, inner: Any, site: SiteServer) -> None:
        self._inner = inner
        self._site = site

    def write(self, data: bytes) -> int:
        self._site.count(len(data))
        return self._inner.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class _Handler(http.server.SimpleHTTPRequestHandler):
    site: SiteServer  # set on the subclass made for each server

    def setup(self) -> None:
        super().setup()
        self.wfile = _CountingWriter(self.wfile, self.site)

    def end_headers(self) -> None:
        # LinkChecker slows down to ~3 requests a second per host unless the server
        # announces itself with this header; it is our own server, so no need to be polite.
        self.send_header("LinkChecker", "local")
        super().end_headers()

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        content_type = mimetypes.guess_type(path.name)[0] or ""
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (path.is_file() and accepts_gzip and content_type.startswith(COMPRESSED_TYPES)):
            super().do_GET()
            return
        modified = int(path.stat().st_mtime)
        if self._unchanged_since(modified):
            self.send_response(304)
            self.end_headers()
            return
        body = _gzipped(path, path.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Last-Modified", self.date_time_string(modified))
        self.send_header("Content-Type", content_type + ("; charset=utf-8" if content_type.startswith("text/") else ""))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)

    def _unchanged_since(self, modified: int) -> bool:
        """A browser asking again for a file it holds gets "not modified", as from nginx: a page that
        shares the theme's files with the previous one weighs only its own."""
        since = self.headers.get("If-Modified-Since")
        try:
            return since is not None and email.utils.parsedate_to_datetime(since).timestamp() >= modified
        except (TypeError, ValueError):
            return False

    def handle(self) -> None:
        # The browser may move on to the next page before a download ends.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@functools.lru_cache(maxsize=512)
def _gzipped(path: Path, mtime_ns: int) -> bytes:
    """Level 6, the default of nginx and Apache's mod_deflate."""
    return gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)


@contextmanager
def serve(site_dir: Path) -> Iterator[SiteServer]:
    """Serve `site_dir` on a free port of 127.0.0.1 for the duration of the `with` block."""
    site = SiteServer(url="")
    handler = type("Handler", (_Handler,), {"site": site})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site_dir)))
    httpd.daemon_threads = True
    site.url = f"http://127.0.0.1:{httpd.server_port}/"
    thread = threading.Thread(target=httpd.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield site
    finally:
        httpd.shutdown()
        httpd.server_close()
