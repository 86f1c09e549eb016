#!/bin/sh
# wine-run.sh [--path DIR]... PROGRAM [ARG]... - runs a cross-built Windows
# program under Wine; CTest uses it as CMAKE_CROSSCOMPILING_EMULATOR.
#   --path DIR   a directory of DLLs the program needs (added to WINEPATH)
#   --init       only create the Wine prefix (do it once before running
#                tests in parallel, so two first runs do not race)
#   --has-32bit  only answer (exit status) whether Wine can run 32-bit
#                programs here
# The Wine prefix lives in build/wine (or $GALLOC_WINEPREFIX), apart from the
# user's ~/.wine.  Wine's exit status is the program's.
#
# Wine itself can fail a run: once in a fresh-clone make test (i686 leg,
# two tests at once) the programs died with "wine client error:0: recvmsg:
# Connection reset by peer" before main, their Wine server gone.  Such a
# run is made once more, saying so on stderr; a program's own failure is
# never repeated.  --init also starts the server with a minute of
# persistence, so it does not come and go between the tests of a leg.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
export WINEPREFIX="${GALLOC_WINEPREFIX:-$top/build/wine}"
# Wine's own messages off, but for a DLL a program cannot load: without
# that line such a program dies before main with no output at all.
export WINEDEBUG="${WINEDEBUG:--all,err+module}"
# No display here: keep Wine from trying to open windows or install Mono.
export DISPLAY=
export WINEDLLOVERRIDES="${WINEDLLOVERRIDES:-mscoree,mshtml=}"

winepath=""
while [ $# -gt 0 ]; do
    case "$1" in
        --path) winepath="${winepath:+$winepath;}Z:$2"; shift 2 ;;
        --has-32bit)
            # Debian's 32-bit Wine loader (package wine32:i386) and its
            # i386 libraries.
            [ -x /usr/lib/wine/wine ] && [ -d /usr/lib/i386-linux-gnu/wine ]
            exit ;;
        --init)
            mkdir -p "$WINEPREFIX"
            wineboot --init >/dev/null 2>&1 || true
            wineserver -w
            wineserver -p60
            exit 0 ;;
        *) break ;;
    esac
done
export WINEPATH="$winepath"
errors=$(mktemp)
trap 'rm -f "$errors"' EXIT
for try in 1 2; do
    status=0
    wine "$@" 2>"$errors" || status=$?
    cat "$errors" >&2
    if [ "$status" -eq 0 ] || [ "$try" -eq 2 ] ||
       ! grep -q '^wine client error' "$errors"; then
        break
    fi
    echo "wine-run.sh: Wine lost its server (above); running $1 once more" >&2
done
exit "$status"
