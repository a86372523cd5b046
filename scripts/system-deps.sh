#!/usr/bin/env bash
# Installs the Debian packages the portal needs when they are missing, so that the README's two
# commands work on a fresh Debian 12 machine that has only Python.
#   scripts/system-deps.sh run    python3-venv and WeasyPrint's Pango/HarfBuzz libraries
#   scripts/system-deps.sh test   the above plus poppler-utils (PDF checks) and Chromium with
#                                 Thai fonts for the browser tests (optional outside CI)
#   scripts/system-deps.sh ci     the above plus redis-server, for the job tests on a real worker
set -u
want=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
python3 -c 'import ensurepip, venv' 2>/dev/null || want+=(python3-venv)
optional=()
if [ "${1:-run}" = "test" ] || [ "${1:-run}" = "ci" ]; then
  want+=(poppler-utils)
  optional=(chromium libatomic1 fonts-thai-tlwg)
fi
[ "${1:-run}" = "ci" ] && want+=(redis-server)

missing() {
  for pkg in "$@"; do dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || echo "$pkg"; done
}

need=$(missing "${want[@]}" "${optional[@]}")
[ -z "$need" ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && sudo="sudo"
if [ "$(id -u)" -ne 0 ] && [ -z "$sudo" ]; then
  echo "Missing Debian packages (install them as root): $need" >&2
  [ -z "$(missing "${want[@]}")" ] && exit 0 || exit 1
fi
echo "Installing Debian packages: $need"
$sudo apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $need >/dev/null \
  || { [ -z "$(missing "${want[@]}")" ] || exit 1; echo "Optional packages could not be installed: browser tests will be skipped." >&2; }
exit 0
