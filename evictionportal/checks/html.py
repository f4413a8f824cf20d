"""Valid HTML: the Nu HTML Checker (vnu.jar, the W3C validator's engine) on every generated page.

Browsers forgive invalid markup in different ways, and assistive technologies
build on what the browser made of it, so errors in our templates are bugs.
Errors that the theme produces and we cannot change are accepted by exact
message, each with its reason, in checks.yml.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from ..errors import BuildFailed
from .config import AllowedHtmlMessage
from .findings import Finding
from .parse import page_file, page_path
from .tools import VNU_JAR, debian_program, npm_file


def check_html(site_dir: Path, pages: list[str], allowlist: list[AllowedHtmlMessage]) -> tuple[list[Finding], int]:
    """Validate every page in one Java run; return the findings and how many allowlisted errors were skipped."""
    java = debian_program("java", "default-jre-headless")
    vnu = npm_file(VNU_JAR)
    files = [str(page_file(site_dir, page)) for page in pages]
    result = subprocess.run(
        [java, "-Xss4m", "-jar", str(vnu), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
    )
    try:
        messages = json.loads(result.stderr)["messages"]
    except (json.JSONDecodeError, KeyError) as error:
        raise BuildFailed(f"vnu a échoué ({result.returncode}) :\n{result.stderr.strip()[:2000]}") from error
    accepted = {entry.message for entry in allowlist}
    findings, skipped = [], 0
    for message in messages:
        if message.get("type") != "error" and message.get("subType") != "fatal":
            continue
        if message.get("message") in accepted:
            skipped += 1
            continue
        url = message.get("url", "")
        page = page_path(site_dir, Path(url.removeprefix("file:"))) if url.startswith("file:") else url
        extract = " ".join((message.get("extract") or "").split())
        findings.append(
            Finding(page, f"{extract} (ligne {message.get('lastLine', '?')})", "html", message.get("message", ""))
        )
    return findings, skipped
