"""Rebuild evictionportal/assets_etat/ from the official DSFR package (@gouvfr/dsfr, pinned below).

The State edition serves the DSFR from the site itself (no third-party host). Only what the portal's
templates use is kept, so that a first visit stays within the budget of checks.yml:

- one stylesheet: the core, the colour schemes (light and dark) and the components the templates use,
  with the core's @font-face rules replaced by ours (Marianne regular and bold only);
- one script: the core and the components that need one (header, modal, navigation, display settings),
  each wrapped in a block so that the files' top-level names do not clash;
- the icons those stylesheets name, and Marianne 400 and 700 cut down to the characters of French text
  (woff2). Spectral is not used by any template, so it is not shipped.

Run from the project root, with the network (npm registry) and the virtual environment:
    DSFR_ACCEPT_LICENSE=1 .venv/bin/python scripts/dsfr_vendor.py
The DSFR is under Etalab 2.0 (its LICENSE.md is copied as LICENSE.txt); its use is reserved to State websites.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VERSION = "1.15.3"
INTEGRITY = "sha512-R9AALZc1LfZjtytWZMOaUIOHWTkllBZ/sZlsL8TpKZVgF3qUKXt/uNYh+L1D1Fh4p92ZqWxbtNcebsigBZe5pQ=="
TARGET = Path(__file__).resolve().parent.parent / "evictionportal" / "assets_etat"
# The State's mark on the printed documents of the State edition (templates/print/, WeasyPrint).
PRINT_MARK = TARGET.parent / "templates" / "print" / "marque-etat.css"

STYLES = [
    "core/core.main.min.css",
    "scheme/scheme.min.css",
    *(
        f"component/{name}/{name}.main.min.css"
        for name in (
            "link",
            "button",
            "logo",
            "form",
            "input",
            "radio",
            "modal",
            "navigation",
            "search",
            "header",
            "footer",
            "skiplink",
            "callout",
            "accordion",
            "stepper",
        )
    ),
    "component/display/display.min.css",
]
SCRIPTS = [
    "core/core.module.min.js",
    "scheme/scheme.module.min.js",
    "component/modal/modal.module.min.js",
    "component/navigation/navigation.module.min.js",
    "component/header/header.module.min.js",
    "component/display/display.module.min.js",
]
# Icons the templates name with a fr-icon-* class (the components' own are found in their stylesheets).
TEMPLATE_ICONS = {
    "fr-icon-phone-line": "icons/device/phone-line.svg",
    "fr-icon-theme-fill": "icons/system/fr--theme-fill.svg",
    "fr-icon-search-line": "icons/system/search-line.svg",
    "fr-icon-arrow-up-line": "icons/arrows/arrow-up-line.svg",
}
FONTS = {"Marianne-Regular": 400, "Marianne-Bold": 700}
OWN_FILES = ("portail-etat.css", "theme-init.js")
# Latin letters, French accents and ligatures, the punctuation and signs of the portal's texts.
UNICODES = "U+0020-007E,U+00A0-00FF,U+0152-0153,U+0178,U+2013-2014,U+2018-201E,U+2022,U+2026,U+202F,U+20AC,U+2192"
FONT_FACE = re.compile(r"@font-face\{[^}]*\}")
URL = re.compile(r"url\((\.\./)+(icons/[^)]+)\)")


def download(work: Path) -> Path:
    """`npm pack` the pinned version and check it against the registry's integrity recorded here."""
    env = {**os.environ, "DSFR_ACCEPT_LICENSE": "1"}
    subprocess.run(["npm", "pack", f"@gouvfr/dsfr@{VERSION}", "--silent"], cwd=work, check=True, env=env)
    archive = work / f"gouvfr-dsfr-{VERSION}.tgz"
    digest = "sha512-" + base64.b64encode(hashlib.sha512(archive.read_bytes()).digest()).decode()
    if digest != INTEGRITY:
        sys.exit(f"{archive.name} : empreinte {digest} ; attendu : {INTEGRITY}")
    with tarfile.open(archive) as tar:
        tar.extractall(work, filter="data")
    return work / "package" / "dist"


def stylesheet(dist: Path, icons: set[str]) -> str:
    parts = []
    for name in STYLES:
        css = FONT_FACE.sub("", (dist / name).read_text(encoding="utf-8"))
        css = re.sub(r"/\*!.*?\*/", "", css, flags=re.S)
        for match in URL.finditer(css):
            icons.add(match.group(2))
        parts.append(URL.sub(lambda m: f"url({m.group(2)})", css))
    faces = "".join(
        f"@font-face{{font-display:swap;font-family:Marianne;font-style:normal;font-weight:{weight};"
        f'src:url(fonts/{font}.woff2) format("woff2")}}'
        for font, weight in FONTS.items()
    )
    rules = "".join(
        f".{cls}:after,.{cls}:before{{-webkit-mask-image:url({path});mask-image:url({path})}}"
        for cls, path in TEMPLATE_ICONS.items()
    )
    icons.update(TEMPLATE_ICONS.values())
    header = f"/*! DSFR v{VERSION} (extrait) | SPDX-License-Identifier: Etalab-2.0 | License-Filename: LICENSE.txt */\n"
    return header + faces + "".join(parts) + rules + "\n"


def script(dist: Path) -> str:
    header = f"/*! DSFR v{VERSION} (extrait) | SPDX-License-Identifier: Etalab-2.0 | License-Filename: LICENSE.txt */\n"
    blocks = []
    for name in SCRIPTS:
        code = re.sub(r"^/\*!.*?\*/\n?", "", (dist / name).read_text(encoding="utf-8"), flags=re.S)
        if re.search(r"^\s*(import|export)\b", code, flags=re.M):
            sys.exit(f"{name} : import ou export ; le fichier ne peut pas être regroupé")
        blocks.append("{\n" + code.strip() + "\n}\n")
    return header + "".join(blocks)


def print_mark(dist: Path) -> str:
    """The bloc-marque's Marianne and flag (the DSFR logo's first :before rule) for the print documents."""
    css = (dist / "component/logo/logo.main.min.css").read_text(encoding="utf-8")
    rule = re.search(r"\.fr-logo:before\{(background-image:[^}]*)\}", css)
    if rule is None:
        sys.exit("logo.main.min.css : règle .fr-logo:before introuvable")
    header = f"/* DSFR v{VERSION}, bloc-marque (component/logo), Etalab-2.0 : édition État seulement. */\n"
    font = (
        "@font-face{font-family:Marianne;font-weight:700;font-style:normal;"
        'src:url(../../assets_etat/fonts/Marianne-Bold.woff2) format("woff2")}\n'
    )
    text = (
        ".marque-etat{float:right;margin:0 0 1mm 4mm;padding:1.5mm 2.5mm;background:#fff;color:#000;"
        "font-family:Marianne,sans-serif;font-weight:700;font-size:8.5pt;line-height:1.05;text-transform:uppercase;"
        "letter-spacing:-0.01em}\n"
        ".marque-etat .marque-devise{display:block;margin-top:1.2mm;font-size:5.5pt;font-weight:700;"
        "font-style:italic;text-transform:none;line-height:1.1}\n"
    )
    return header + font + text + f".marque-etat::before{{{rule.group(1)}}}\n"


def subset_fonts(dist: Path, target: Path) -> None:
    (target / "fonts").mkdir(parents=True, exist_ok=True)
    for font in FONTS:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "fontTools.subset",
                str(dist / "fonts" / f"{font}.woff2"),
                f"--unicodes={UNICODES}",
                "--flavor=woff2",
                "--layout-features=kern,liga",
                f"--output-file={target / 'fonts' / f'{font}.woff2'}",
            ],
            check=True,
        )


def main() -> None:
    """Everything is written into a new folder first: a failed run leaves the current assets untouched."""
    with tempfile.TemporaryDirectory() as tmp:
        dist = download(Path(tmp))
        new = Path(tmp) / "assets_etat"
        new.mkdir()
        icons: set[str] = set()
        (new / "dsfr.min.css").write_text(stylesheet(dist, icons), encoding="utf-8")
        (new / "dsfr.module.min.js").write_text(script(dist), encoding="utf-8")
        for icon in sorted(icons):
            (new / icon).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(dist / icon, new / icon)
        subset_fonts(dist, new)
        shutil.copyfile(dist.parent / "LICENSE.md", new / "LICENSE.txt")  # a .md would become a page
        for own in OWN_FILES:  # the portal's own files in that folder
            if (TARGET / own).is_file():
                shutil.copyfile(TARGET / own, new / own)
        mark = print_mark(dist)
        shutil.rmtree(TARGET, ignore_errors=True)
        shutil.copytree(new, TARGET)
        PRINT_MARK.write_text(mark, encoding="utf-8")
    print(f"DSFR {VERSION} : {len(icons)} icônes, {len(FONTS)} polices dans {TARGET}")


if __name__ == "__main__":
    main()
