#!/bin/sh
# ensure-packages.sh PACKAGE... - installs, with apt-get, whichever of the
# given Debian packages are missing, and says which.  Installs nothing when
# all are present, so it is cheap to run before every build.
set -eu

missing=""
for pkg in "$@"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    case "$status" in
        *" installed") ;;
        *) missing="$missing $pkg" ;;
    esac
done
[ -z "$missing" ] && exit 0

echo "galloc: installing missing Debian packages:$missing"
if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
    command -v sudo >/dev/null 2>&1 || {
        echo "galloc: not root and no sudo; install them yourself:" >&2
        echo "    apt-get install$missing" >&2
        exit 1
    }
else
    SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
# The package lists may be empty or stale on a fresh machine.  A mirror in
# the middle of a sync can fail one index; the install below may still
# succeed with the others, and says so clearly if it does not.
$SUDO apt-get update -qq || echo "galloc: apt-get update reported errors; trying the install anyway" >&2
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "galloc: installed:$missing"
