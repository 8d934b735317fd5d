#!/usr/bin/env bash
# Install the Debian packages ehdesk needs that this machine lacks (only when run as root; otherwise
# name them and carry on). Usage: scripts/system-deps.sh run|test
# - run:  the libraries Qt's xcb platform plugin loads to open a window
# - test: those plus the PostgreSQL server the test run starts, and poppler-utils/qpdf for PDF checks
set -euo pipefail
purpose=${1:-run}

qt_libs=(libegl1 libgl1 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3 libxkbcommon0
         libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
         libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xkb1 fonts-dejavu-core)
test_pkgs=(poppler-utils qpdf)

wanted=("${qt_libs[@]}")
# Debian's own python3 needs python3-venv before `python3 -m venv` works (pyenv/python.org builds do not).
if ! python3 -c "import ensurepip, venv" 2> /dev/null; then
  wanted+=(python3-venv)
fi
if [ "$purpose" = test ]; then
  wanted+=("${test_pkgs[@]}")
  # Any PostgreSQL server major version will do; install Debian's default one if none is present.
  if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null; then
    wanted+=(postgresql)
  fi
fi

missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "note: missing Debian packages (install them as root): ${missing[*]}" >&2
  exit 0
fi
if ! command -v apt-get > /dev/null; then
  echo "note: not a Debian system; make sure these are installed: ${missing[*]}" >&2
  exit 0
fi
echo "installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
