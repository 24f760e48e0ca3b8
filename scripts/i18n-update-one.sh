#!/usr/bin/env bash
# Refresh messages.pot from the code, then add new messages to ONE language's catalogue.
# (make translations-update does every language; this is for a translator working on one.)
set -euo pipefail
cd "$(dirname "$0")/.."
lang="${1:?usage: scripts/i18n-update-one.sh LANG}"
# The Makefile holds the one list of gettext keywords (pgettext and lazy_pgettext among them).
make -s translations-extract
.venv/bin/pybabel -q update --no-fuzzy-matching --ignore-obsolete -i translations/messages.pot -d translations -l "$lang"
