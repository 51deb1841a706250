#!/usr/bin/env bash
# The Debian packages the tests, `make soak` and the screenshot reader use: installs the
# missing ones when it can (root and apt-get), else says nothing and the tests that need
# them skip, naming the command (tests/conftest.py). Keep in step with .ci/run.
set -uo pipefail

PACKAGES=(gettext graphviz chromium fonts-liberation fonts-dejavu-core nginx
  tesseract-ocr tesseract-ocr-ind)

command -v dpkg-query >/dev/null || exit 0
missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" \
    || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing what the tests need: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # A failed install only means skipped tests: the summary says which, and how.
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || echo "apt-get could not install ${missing[*]}: the tests that need them will skip."
fi
exit 0
