#!/usr/bin/env bash
# install-deps.sh PACKAGE...: install the Debian packages that are missing, without the
# recommended extras (noweb alone would pull in a full TeX installation otherwise).
set -euo pipefail
missing=()
for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0
echo "deps: installing ${missing[*]}"
if [[ $(id -u) != 0 ]]; then
    sudo=sudo
    command -v sudo >/dev/null || { echo "deps: run as root: apt-get install --no-install-recommends ${missing[*]}" >&2; exit 1; }
else
    sudo=
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q -o DPkg::Lock::Timeout=600
$sudo apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}"
