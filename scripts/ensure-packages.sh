#!/bin/sh
# ensure-packages.sh [--why-not FILE] PACKAGE... - installs, with apt-get,
# whichever of the given Debian packages are missing, and says which.
# Installs nothing when all are present, so it is cheap to run before every
# build.
#
# A PACKAGE may name a foreign architecture, as apt does (wine32:i386): that
# architecture is added to dpkg first (a multiarch install) if it is not
# there yet.
#
#   --why-not FILE   if the install fails, write one line saying why to
#                    FILE (for a summary to quote); remove FILE once every
#                    package is installed.  The exit status is the same.
set -eu

why_not=""
if [ "${1:-}" = "--why-not" ]; then
    why_not=$2
    shift 2
fi

native=$(dpkg --print-architecture)
missing="" new_archs=""
for pkg in "$@"; do
    # dpkg-query answers for NAME:ARCH as apt writes it, and finds nothing
    # (an error, so not "installed") while ARCH is not yet a dpkg
    # architecture.
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    case "$status" in
        *" installed") continue ;;
    esac
    missing="$missing $pkg"
    case "$pkg" in
        *:*)
            arch=${pkg#*:}
            if [ "$arch" != "$native" ] && [ "$arch" != all ] &&
               ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
                case " $new_archs " in *" $arch "*) ;; *) new_archs="$new_archs $arch" ;; esac
            fi ;;
    esac
done
if [ -z "$missing" ]; then
    [ -z "$why_not" ] || rm -f "$why_not"
    exit 0
fi

# fail REASON: says why nothing was installed (and records it), exits 1.
fail() {
    echo "galloc: could not install$missing: $1" >&2
    if [ -n "$why_not" ]; then
        mkdir -p "$(dirname "$why_not")"
        echo "$1" > "$why_not"
    fi
    exit 1
}

echo "galloc: installing missing Debian packages:$missing"
if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
    command -v sudo >/dev/null 2>&1 || {
        echo "galloc: not root and no sudo; install them yourself:" >&2
        [ -z "$new_archs" ] || echo "    dpkg --add-architecture$new_archs && apt-get update" >&2
        echo "    apt-get install$missing" >&2
        fail "not root and no sudo"
    }
else
    SUDO=
fi
for arch in $new_archs; do
    echo "galloc: adding the dpkg architecture $arch (multiarch), for$missing"
    $SUDO dpkg --add-architecture "$arch" || fail "dpkg --add-architecture $arch failed"
done
export DEBIAN_FRONTEND=noninteractive
# Another apt-get or dpkg may be running (another build, the system's
# updates): wait for its lock rather than fail at once.
APT="apt-get -o DPkg::Lock::Timeout=600"
# The package lists may be empty or stale on a fresh machine (and have no
# index yet for an architecture just added).  A mirror in the middle of a
# sync can fail one index; the install below may still succeed with the
# others, and says so clearly if it does not.
# shellcheck disable=SC2086 # (APT is a command with options, split on purpose)
$SUDO $APT update -qq || echo "galloc: apt-get update reported errors; trying the install anyway" >&2
# --no-remove: a half-synced mirror can offer a foreign-architecture package
# whose version differs from the installed native one, which apt would
# "solve" by removing packages; abort instead.
errors=$(mktemp)
trap 'rm -f "$errors"' EXIT
# shellcheck disable=SC2086
if ! $SUDO $APT install -y -qq --no-install-recommends --no-remove $missing \
        >/dev/null 2>"$errors"; then
    cat "$errors" >&2
    # apt's first error line ("E: ...") says why, in one line.
    reason=$(grep -m1 '^E: ' "$errors" | cut -c4- || true)
    fail "apt-get install failed: ${reason:-see its output above}"
fi
cat "$errors" >&2
[ -z "$why_not" ] || rm -f "$why_not"
echo "galloc: installed:$missing"
