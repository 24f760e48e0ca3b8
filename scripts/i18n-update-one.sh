#!/usr/bin/env bash
# Refresh messages.pot from the code, then add new messages to ONE language's catalogue.
# (make translations-update does every language; this is for a translator working on one.)
set -euo pipefail
cd "$(dirname "$0")/.."
lang="${1:?usage: scripts/i18n-update-one.sh LANG}"
pot=$(mktemp --suffix=.pot)
.venv/bin/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output -o "$pot" .
cp "$pot" translations/messages.pot
.venv/bin/pybabel -q update --no-fuzzy-matching --ignore-obsolete -i "$pot" -d translations -l "$lang"
rm -f "$pot"
