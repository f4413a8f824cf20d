#!/usr/bin/env bash
# Installs the Debian packages the checks and tests need, only when missing:
# Chromium (browser tests, axe-core), poppler-utils (PDF to PNG), a Java runtime (vnu.jar),
# zbar-tools (reads the QR codes printed on the leaflets back).
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v zbarimg >/dev/null 2>&1 || missing+=(zbar-tools)
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installation des paquets Debian manquants : ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
