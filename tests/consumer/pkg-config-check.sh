#!/bin/sh
# pkg-config-check.sh OUT_DIR FLAVOUR=PREFIX... - a user of the installed
# galloc who does not use CMake, for each install flavour (shared+static,
# static or shared: the libraries that were built and installed under
# PREFIX).  Builds with nothing but pkg-config and checks that:
#   - galloc.pc is installed, and galloc-static.pc exactly when the static
#     library is;
#   - host.c and plugin.c, built with `pkg-config --cflags --libs galloc`,
#     run: the plugin's allocations reach the host's override; the host
#     needs libgalloc.so exactly when it is installed (galloc.pc names it);
#   - the same with galloc-static: a dynamic host with galloc inside, loading
#     a plugin with its own copy (row M4), neither needing libgalloc.so;
#   - new_delete.cpp, built with `pkg-config --cflags --libs
#     galloc-new-delete`, runs: std::vector's operator new reaches its
#     override;
#   - static_override.c, built with `pkg-config --static --cflags --libs` of
#     each, runs: fully static (cc -static) where the static library is
#     installed, else an ordinary program.
# Ends with one line, "pkg-config: N passed, M failed (FLAVOURS)", and exits
# non-zero if a check failed.
set -u
out=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
cc=${CC:-cc}
cxx=${CXX:-c++}
cflags="-std=c11 -Wall -Wextra -Werror"
passed=0
failed=0
ld_library_path=${LD_LIBRARY_PATH:-}

# check DESCRIPTION COMMAND...: runs COMMAND in a subshell that stops at its
# first failing command, and counts the result.  (Not `if ( set -e; ... )`:
# set -e is ignored inside an if condition.)
check() {
    what=$1
    shift
    ( set -e; "$@" )
    # shellcheck disable=SC2181
    if [ $? -eq 0 ]; then
        passed=$((passed + 1))
        echo "  ok: $what"
    else
        failed=$((failed + 1))
        echo "  FAILED: $what"
    fi
}

installed_pc_files() {
    [ -f "$pcdir/galloc.pc" ]
    if [ "$static" = yes ]; then
        [ -f "$pcdir/galloc-static.pc" ]
    else
        [ ! -e "$pcdir/galloc-static.pc" ]
    fi
}

# host_and_plugin MODULE NEEDS_SHARED (yes/no)
host_and_plugin() {
    dir=$work/$1
    mkdir -p "$dir"
    flags=$(pkg-config --cflags --libs "$1")
    echo "  pkg-config --cflags --libs $1: $flags"
    # shellcheck disable=SC2086
    $cc $cflags -o "$dir/host" "$here/host.c" $flags -ldl
    # shellcheck disable=SC2086
    $cc $cflags -shared -fPIC -o "$dir/plugin.so" "$here/plugin.c" $flags
    if readelf -d "$dir/host" | grep -q 'NEEDED.*libgalloc\.so'; then
        needs=yes
    else
        needs=no
    fi
    [ "$needs" = "$2" ] || { echo "  host needs libgalloc.so: $needs, expected $2"; exit 1; }
    "$dir/host" "$dir/plugin.so"
}

# new_delete: a C++ program with galloc-new-delete (operator new over the
# global allocator) and an override its std::vector must reach.
new_delete() {
    dir=$work/new-delete
    mkdir -p "$dir"
    flags=$(pkg-config --cflags --libs galloc-new-delete)
    echo "  pkg-config --cflags --libs galloc-new-delete: $flags"
    # shellcheck disable=SC2086
    $cxx -std=c++17 -Wall -Wextra -Werror -o "$dir/new_delete" "$here/new_delete.cpp" $flags
    "$dir/new_delete"
}

# static_override MODULE
static_override() {
    dir=$work/$1-static
    mkdir -p "$dir"
    flags=$(pkg-config --static --cflags --libs "$1")
    echo "  pkg-config --static --cflags --libs $1: $flags"
    link=
    [ "$static" = yes ] && link=-static
    # shellcheck disable=SC2086
    $cc $cflags $link -o "$dir/static_override" "$here/static_override.c" $flags
    if [ -n "$link" ] && readelf -l "$dir/static_override" | grep -q INTERP; then
        echo "  static_override has a program interpreter: not fully static"
        exit 1
    fi
    "$dir/static_override"
}

flavours=
for arg in "$@"; do
    flavour=${arg%%=*}
    prefix=${arg#*=}
    flavours="${flavours:+$flavours, }$flavour"
    case $flavour in *shared*) shared=yes ;; *) shared=no ;; esac
    case $flavour in *static*) static=yes ;; *) static=no ;; esac
    echo "== $flavour, installed under $prefix"
    work=$out/$flavour
    rm -rf "$work"
    mkdir -p "$work"
    # Only this install's .pc files, not the machine's.
    pcdir=$(find "$prefix" -type d -name pkgconfig | head -n1)
    export PKG_CONFIG_LIBDIR="${pcdir:-$prefix/lib/pkgconfig}"
    export PKG_CONFIG_PATH=
    libdir=$(pkg-config --variable=libdir galloc 2>/dev/null || echo "$prefix/lib")
    export LD_LIBRARY_PATH="$libdir${ld_library_path:+:$ld_library_path}"

    check "installed .pc files" installed_pc_files
    check "galloc: host + plugin" host_and_plugin galloc "$shared"
    check "galloc --static: static_override" static_override galloc
    check "galloc-new-delete: C++ new reaches the override" new_delete
    if [ "$static" = yes ]; then
        check "galloc-static: host + plugin (M4)" host_and_plugin galloc-static no
        check "galloc-static --static: static_override" static_override galloc-static
    fi
done

echo "pkg-config: $passed passed, $failed failed ($flavours)"
[ "$failed" -eq 0 ]
