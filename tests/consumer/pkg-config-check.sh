#!/bin/sh
# pkg-config-check.sh PREFIX BUILD_DIR - a user of the installed galloc who
# does not use CMake: builds host.c and plugin.c with nothing but
# `pkg-config --cflags --libs galloc`, and runs them.
set -eu
prefix=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
pc=$(find "$prefix" -name galloc.pc | head -n1)
[ -n "$pc" ] || { echo "no galloc.pc under $prefix" >&2; exit 1; }
export PKG_CONFIG_PATH="$(dirname "$pc")"
libdir=$(pkg-config --variable=libdir galloc)
flags=$(pkg-config --cflags --libs galloc)
echo "pkg-config --cflags --libs galloc: $flags"
cc=${CC:-cc}
# shellcheck disable=SC2086
$cc -std=c11 -Wall -Wextra -Werror -o "$out/host" "$here/host.c" $flags -ldl
# shellcheck disable=SC2086
$cc -std=c11 -Wall -Wextra -Werror -shared -fPIC -o "$out/plugin.so" "$here/plugin.c" $flags
if LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
       "$out/host" "$out/plugin.so"; then
    echo "pkg-config: 1 passed, 0 failed"
else
    echo "pkg-config: 0 passed, 1 failed"
    exit 1
fi
