#!/usr/bin/env bash
# Installs the real peers the invitation and mail tests talk to:
#   - a Python virtualenv (default: <repo>/.venv, override with PEERS_VENV) holding
#     aiosmtpd (SMTP sink), icalendar + recurring-ical-events and vobject (ICS parsers), PyYAML
#     (reads docker-compose.yml for tests/compose_example.rs);
#   - ical.js (Thunderbird's parser) into tests/peers/node_modules, pinned by package-lock.json.
# Only the ordinary registry clients (pip, npm) are used. Safe to run repeatedly.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="${PEERS_VENV:-$repo/.venv}"

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"

cd "$here"
if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
else
    npm install --no-audit --no-fund --loglevel=error
fi

"$venv/bin/python" -c "import aiosmtpd, icalendar, recurring_ical_events, vobject, yaml; print('python peers: icalendar', icalendar.__version__)"
node --input-type=module -e "import { readFileSync } from 'node:fs'; const p = JSON.parse(readFileSync('$here/node_modules/ical.js/package.json', 'utf8')); console.log('node peers: ical.js', p.version)"
