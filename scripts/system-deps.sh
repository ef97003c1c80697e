#!/usr/bin/env bash
# System packages the platform needs beside Python:
#   run:  Pango (WeasyPrint's text layout), Noto CJK fonts (Chinese in PDFs), gettext
#   test: the same, plus Debian's Chromium for the browser tests, poppler (PDF text checks) and
#         LibreOffice Calc without its GUI (the exports are opened and printed to PDF by it)
# As root they are installed with apt; otherwise the exact command is printed and we stop.
set -euo pipefail
profile=${1:-run}

packages=(libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk gettext)
if [ "$profile" = "test" ]; then
  packages+=(chromium poppler-utils libreoffice-calc-nogui)
fi

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "Install these system packages with your package manager: ${missing[*]}" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages. Run this, then the make target again:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
